"""Who must be notified of a serious incident: the s16C duty and the LAC and care-leaver routes.

Pure functions of the facts recorded on a notification (domain.md §1 and §10 item 2):

- **s16C (notify the Panel):** the local authority knows or suspects abuse or neglect, **and**
  the child died or was seriously harmed in the authority's area, or is normally resident there
  and died or was seriously harmed outside England.
- **Looked-after child death:** notify the Secretary of State and Ofsted, whether or not abuse or
  neglect is suspected (the Panel does not consider it without suspected abuse or neglect).
- **Care leaver death (up to and including age 24):** notified through the same system.
"""

from __future__ import annotations

from dataclasses import dataclass

from .choices import IncidentPlace, Nature

CARE_LEAVER_MAX_AGE = 24


@dataclass(frozen=True)
class Eligibility:
    """The answer: must the Panel be notified, and which other routes apply, each with why."""

    must_notify_panel: bool
    reason: str
    looked_after_route: bool
    looked_after_reason: str
    care_leaver_route: bool
    care_leaver_reason: str


def assess(
    *,
    abuse_suspected: bool,
    nature: str,
    place: str,
    looked_after_death: bool = False,
    care_leaver_death: bool = False,
    care_leaver_age: int | None = None,
) -> Eligibility:
    """Answer the s16C test and the LAC-death and care-leaver-death routes from the facts."""
    harmed = nature in (Nature.DEATH, Nature.SERIOUS_HARM)
    what = "died" if nature == Nature.DEATH else "was seriously harmed"
    if not abuse_suspected:
        must, reason = False, "No: abuse or neglect is not known or suspected."
    elif not harmed:
        must, reason = (
            False,
            "No: the child neither died nor was seriously harmed (nature recorded as 'Other').",
        )
    elif place == IncidentPlace.IN_AREA:
        must, reason = (
            True,
            f"Yes: abuse or neglect is known or suspected and the child {what} in this local "
            "authority's area.",
        )
    elif place == IncidentPlace.OUTSIDE_ENGLAND:
        must, reason = (
            True,
            f"Yes: abuse or neglect is known or suspected and the child, normally resident "
            f"here, {what} outside England.",
        )
    else:
        must, reason = (
            False,
            "No, not by this local authority: the duty sits with the authority where the child "
            f"{what}.",
        )

    if looked_after_death and nature == Nature.DEATH:
        lac, lac_reason = (
            True,
            "Yes: a looked-after child died. Notify the Secretary of State and Ofsted, "
            "whether or not abuse or neglect is suspected"
            + ("." if abuse_suspected else "; the Panel does not consider it without it."),
        )
    elif looked_after_death:
        lac, lac_reason = False, "No: the case's nature is not a child death."
    else:
        lac, lac_reason = False, "No: not recorded as a looked-after child's death."

    if care_leaver_death and nature != Nature.DEATH:
        leaver, leaver_reason = False, "No: the case's nature is not a death."
    elif (
        care_leaver_death
        and care_leaver_age is not None
        and care_leaver_age > (CARE_LEAVER_MAX_AGE)
    ):
        leaver, leaver_reason = (
            False,
            f"No: care leaver deaths are notified up to and including age {CARE_LEAVER_MAX_AGE}.",
        )
    elif care_leaver_death:
        leaver, leaver_reason = (
            True,
            "Yes: a care leaver (up to and including age 24) died; notify it through the "
            "serious incident notification system.",
        )
    else:
        leaver, leaver_reason = False, "No: not recorded as a care leaver's death."

    return Eligibility(must, reason, lac, lac_reason, leaver, leaver_reason)


def notification_eligibility(notification) -> Eligibility:
    """Assess a recorded notification against its case's nature and eldest child's age."""
    case = notification.case
    ages = [c.age_years for c in case.children.all() if c.age_years is not None]
    return assess(
        abuse_suspected=notification.abuse_suspected,
        nature=case.nature,
        place=notification.incident_place,
        looked_after_death=notification.looked_after_death,
        care_leaver_death=notification.care_leaver_death,
        care_leaver_age=max(ages) if ages else None,
    )
