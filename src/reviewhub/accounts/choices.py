"""Choices for people, agencies and roles."""

from django.db import models


class Role(models.TextChoices):
    """What a person does in a partnership; a person may hold several roles."""

    BUSINESS_UNIT = "business_unit", "Business unit (review manager)"
    PARTNER_LEAD = "partner_lead", "Partner lead"
    REVIEWER = "reviewer", "Independent reviewer"
    ANALYST = "analyst", "Analyst"
    PRACTITIONER = "practitioner", "Practitioner"
    ADMINISTRATOR = "administrator", "Administrator"
    # Reads published learning across every partnership on the instance (national analysis).
    NATIONAL_ANALYST = "national_analyst", "National analyst (published learning only)"


class AgencyKind(models.TextChoices):
    """The kinds of agency that take part in reviews."""

    CHILDRENS_SERVICES = "la_childrens", "Local authority children's services"
    ADULT_SERVICES = "la_adults", "Local authority adult social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health / integrated care board"
    EDUCATION = "education", "Education"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class PartnershipKind(models.TextChoices):
    """Which statutory workflow a partnership runs."""

    CHILDREN = "children", "Safeguarding children partnership"
    ADULTS = "adults", "Safeguarding adults board"
    JOINT = "joint", "Joint children's and adults' board"
    NATIONAL = "national", "National analysis"


# Roles that may read case records at all; the rest (practitioners, national analysts) never do.
CASE_ROLES = frozenset(
    {Role.BUSINESS_UNIT, Role.PARTNER_LEAD, Role.REVIEWER, Role.ANALYST, Role.ADMINISTRATOR}
)
