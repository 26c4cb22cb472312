"""Choices for learning points, their sources and their codes."""

from django.db import models


class Axis(models.TextChoices):
    """The two axes of the taxonomy."""

    CIRCUMSTANCES = "circumstances", "Circumstances and risk"
    PRACTICE = "practice", "Practice and system"


# How many codes a finished point may carry on each axis (themes.yaml coding rules).
AXIS_LIMITS = {Axis.CIRCUMSTANCES: (0, 3), Axis.PRACTICE: (1, 3)}


class SourceKind(models.TextChoices):
    """Where a learning point comes from."""

    LOCAL_REVIEW = "local_review", "Local review"
    NATIONAL_REVIEW = "national_review", "National review"
    OTHER_PARTNERSHIP = "other_partnership", "Another partnership's published review"
    AUDIT = "audit", "Audit"
    THEMATIC = "thematic", "Thematic analysis"


class ReviewType(models.TextChoices):
    """The type of review a point came from; values are those of the learning JSONL format."""

    RAPID_REVIEW = "rapid review", "Rapid review"
    LCSPR = "LCSPR", "Local child safeguarding practice review"
    SCR = "SCR", "Serious case review (legacy)"
    SAR = "SAR", "Safeguarding adults review"
    DHR = "DHR", "Domestic homicide review"
    NATIONAL = "national", "National review"
    THEMATIC = "thematic", "Thematic analysis"
    AUDIT = "audit", "Multi-agency audit"
    OTHER = "other", "Other learning review"


class Polarity(models.TextChoices):
    """Whether the point says what to improve or what to spread."""

    IMPROVEMENT = "improvement", "Improvement needed"
    GOOD_PRACTICE = "good_practice", "Good practice"


class AgeBand(models.TextChoices):
    """Age of the child or adult at the centre of the learning (themes.yaml facet)."""

    PRE_BIRTH = "pre-birth", "Pre-birth"
    UNDER_1 = "under 1", "Under 1"
    AGE_1_4 = "1-4", "1 to 4"
    AGE_5_10 = "5-10", "5 to 10"
    AGE_11_15 = "11-15", "11 to 15"
    AGE_16_17 = "16-17", "16 to 17"
    TRANSITION = "18-25", "18 to 25 (transition)"
    ADULT = "adult", "Adult 26 and over"


class Sector(models.TextChoices):
    """The agency or sector a point is addressed to (themes.yaml facet 'agency')."""

    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    POLICE = "police", "Police"
    MIDWIFERY = "midwifery", "Midwifery"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    GP = "gp", "GP / primary care"
    ACUTE = "acute", "Emergency department / acute"
    CAMHS = "camhs", "CAMHS"
    ADULT_MENTAL_HEALTH = "adult_mental_health", "Adult mental health"
    DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol services"
    EDUCATION = "education", "Schools / education"
    EARLY_YEARS = "early_years", "Early years"
    PROBATION_YOUTH_JUSTICE = "probation_youth_justice", "Probation / youth justice"
    HOUSING = "housing", "Housing"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    AMBULANCE = "ambulance", "Ambulance"
    VOLUNTARY = "voluntary", "Voluntary / community"
    PARTNERSHIP = "partnership", "Safeguarding partnership / SAB"


class CodeSource(models.TextChoices):
    """Where a code came from and what an analyst decided about it."""

    SUGGESTED = "suggested", "Suggested by the engine"
    CONFIRMED = "confirmed", "Confirmed"
    MANUAL = "manual", "Added by hand"
    REJECTED = "rejected", "Rejected"


# Only these count as a point's coding; engine suggestions never do until confirmed.
CONFIRMED_SOURCES = (CodeSource.CONFIRMED, CodeSource.MANUAL)


class RecommendationScope(models.TextChoices):
    """Who a recommendation is addressed to."""

    LOCAL = "local", "Local"
    REGIONAL = "regional", "Regional"
    NATIONAL = "national", "National"


# Keywords a theme may have: each is matched against every point, and past this many the
# keyword signal is noise. Checked on the theme, its form and taxonomy files alike.
THEME_MAX_KEYWORDS = 100
