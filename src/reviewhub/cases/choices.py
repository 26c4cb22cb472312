"""Choices for case records (DfE/ONS categories where the statistics use them)."""

from django.db import models


class CaseKind(models.TextChoices):
    """Which statutory route a case follows."""

    CHILD = "child", "Child (serious incident notification)"
    LEGACY_SCR = "legacy_scr", "Legacy serious case review (before 29 September 2019)"
    ADULT_SAR = "adult_sar", "Adult (safeguarding adults review referral)"


class Stage(models.TextChoices):
    """Where a case is; derived from which records exist, never stored."""

    NOTIFICATION = "notification", "Awaiting notification"
    RAPID_REVIEW = "rapid_review", "Rapid review"
    RR_NOT_REQUIRED = "rr_not_required", "Rapid review not required (criteria not met)"
    DECISION = "decision", "Awaiting decision"
    DECIDED = "decided", "Decision made"
    REVIEW = "review", "Review in progress"
    PUBLICATION = "publication", "Awaiting publication"
    PUBLISHED = "published", "Published or publication decided"
    CLOSED = "closed", "Closed"


class Nature(models.TextChoices):
    """Nature of the incident (DfE serious incident notifications)."""

    DEATH = "death", "Child death"
    SERIOUS_HARM = "serious_harm", "Serious harm"
    OTHER = "other", "Other"


class IncidentPlace(models.TextChoices):
    """Where the child died or was harmed, for the s16C duty to notify."""

    IN_AREA = "in_area", "In this local authority's area"
    OUTSIDE_ENGLAND = (
        "outside_england",
        ("Outside England, and the child is normally resident in this area"),
    )
    ELSEWHERE = "elsewhere", "Elsewhere in England (another local authority's area)"


class AbuseCategory(models.TextChoices):
    """Abuse categories (not a DfE field: a design choice, multi-select per case)."""

    NEGLECT = "neglect", "Neglect"
    PHYSICAL = "physical", "Physical abuse"
    SEXUAL = "sexual", "Sexual abuse"
    EMOTIONAL = "emotional", "Emotional abuse"
    CCE = "cce", "Child criminal exploitation"
    CSE = "cse", "Child sexual exploitation"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse context"
    OTHER = "other", "Other"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other or indeterminate"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """The DfE/ONS 19 detailed ethnic groups, plus not known and refused (group in the label)."""

    WHITE_BRITISH = "WBRI", "White – English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "WIRI", "White – Irish"
    WHITE_TRAVELLER = "WIRT", "White – Gypsy or Irish Traveller"
    WHITE_ROMA = "WROM", "White – Roma"
    WHITE_OTHER = "WOTH", "White – Any other White background"
    MIXED_WHITE_CARIBBEAN = "MWBC", "Mixed – White and Black Caribbean"
    MIXED_WHITE_AFRICAN = "MWBA", "Mixed – White and Black African"
    MIXED_WHITE_ASIAN = "MWAS", "Mixed – White and Asian"
    MIXED_OTHER = "MOTH", "Mixed – Any other Mixed or multiple ethnic background"
    ASIAN_INDIAN = "AIND", "Asian – Indian"
    ASIAN_PAKISTANI = "APKN", "Asian – Pakistani"
    ASIAN_BANGLADESHI = "ABAN", "Asian – Bangladeshi"
    ASIAN_CHINESE = "CHNE", "Asian – Chinese"
    ASIAN_OTHER = "AOTH", "Asian – Any other Asian background"
    BLACK_CARIBBEAN = "BCRB", "Black – Caribbean"
    BLACK_AFRICAN = "BAFR", "Black – African"
    BLACK_OTHER = "BOTH", "Black – Any other Black, Black British or Caribbean background"
    OTHER_ARAB = "OARB", "Other – Arab"
    OTHER_ANY = "OOTH", "Other – Any other ethnic group"
    NOT_KNOWN = "NOBT", "Not known (information not yet obtained)"
    REFUSED = "REFU", "Refused"


ETHNIC_GROUPS = {
    "W": "White",
    "M": "Mixed or multiple ethnic groups",
    "A": "Asian or Asian British",
    "C": "Asian or Asian British",
    "B": "Black, Black British, Caribbean or African",
    "O": "Other ethnic group",
    "N": "Not known",
    "R": "Refused",
}


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class Plan(models.TextChoices):
    NONE = "none", "No plan"
    CHILD_IN_NEED = "cin", "Child in need plan"
    CHILD_PROTECTION = "cp", "Child protection plan"
    NOT_KNOWN = "not_known", "Not known"


class Outcome(models.TextChoices):
    """The decision after a rapid review (or a SAR referral, or a legacy SCR initiation)."""

    LCSPR = "lcspr", "Local child safeguarding practice review"
    NATIONAL = "national", "Recommend national review"
    LOCAL_LEARNING = "local_learning", "Local learning review"
    SINGLE_AGENCY = "single_agency", "Single-agency review"
    NO_FURTHER_REVIEW = "none", "No further review"
    SAR_MANDATORY = "sar_mandatory", "Safeguarding adults review (mandatory, s44(1))"
    SAR_DISCRETIONARY = "sar_discretionary", "Safeguarding adults review (discretionary, s44(4))"
    NO_SAR = "no_sar", "No safeguarding adults review"
    SCR = "scr", "Serious case review (legacy)"


OUTCOMES_BY_KIND = {
    "child": {"lcspr", "national", "local_learning", "single_agency", "none"},
    "adult_sar": {"sar_mandatory", "sar_discretionary", "no_sar"},
    "legacy_scr": {"scr", "none"},
}

# The review type each outcome leads to; outcomes missing here lead to no review.
REVIEW_TYPE_FOR_OUTCOME = {
    "lcspr": "lcspr",
    "national": "national",
    "local_learning": "local_learning",
    "single_agency": "single_agency",
    "sar_mandatory": "sar_mandatory",
    "sar_discretionary": "sar_discretionary",
    "scr": "legacy_scr",
}


class ReviewType(models.TextChoices):
    LCSPR = "lcspr", "LCSPR"
    NATIONAL = "national", "National CSPR"
    LOCAL_LEARNING = "local_learning", "Local learning review"
    SINGLE_AGENCY = "single_agency", "Single-agency review"
    LEGACY_SCR = "legacy_scr", "Legacy SCR"
    SAR_MANDATORY = "sar_mandatory", "SAR (mandatory)"
    SAR_DISCRETIONARY = "sar_discretionary", "SAR (discretionary)"


class Partner(models.TextChoices):
    """The three statutory safeguarding partners who sign off a decision."""

    LOCAL_AUTHORITY = "la", "Local authority"
    ICB = "icb", "Integrated care board"
    POLICE = "police", "Chief officer of police"


# Which agency kind speaks for which partner when a partner lead signs off.
PARTNER_AGENCY_KINDS = {
    "la": {"la_childrens", "la_adults"},
    "icb": {"health"},
    "police": {"police"},
}


class PublicationMode(models.TextChoices):
    FULL = "full", "Full report"
    IMPROVEMENTS_ONLY = "improvements_only", "Improvements only"
    NOT_PUBLISHED = "not_published", "Not published"


DEFAULT_METHODOLOGIES = [
    "SCIE Learning Together",
    "SILP (Significant Incident Learning Process)",
    "Appreciative inquiry",
    "Hybrid",
    "Systems review",
    "Other",
]
