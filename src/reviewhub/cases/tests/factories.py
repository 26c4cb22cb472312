"""Factories for case records: a case built directly up to a given step (no actions, no audit)."""

import itertools
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from reviewhub.cases.choices import CaseKind, Outcome, Partner, PublicationMode, ReviewType
from reviewhub.cases.models import (
    AgencySummary,
    Case,
    CaseAgency,
    Child,
    Decision,
    Notification,
    PartnerSignOff,
    ProceedingsHold,
    Publication,
    RapidReview,
    Review,
)

_seq = itertools.count(1)

STEPS = [
    "open",
    "notified",
    "rapid_review",
    "rr_outcome",
    "decision",
    "signed",
    "review",
    "completed",
    "published",
]


def case(
    partnership,
    upto: str = "open",
    *,
    kind=CaseKind.CHILD,
    awareness: date = date(2024, 3, 4),
    agencies=(),
    lead_reviewer=None,
    outcome=Outcome.LCSPR,
    hold=False,
    **fields,
) -> Case:
    """Build a case with every record up to ``upto`` (one of STEPS), dated from ``awareness``."""
    n = next(_seq)
    want = STEPS.index(upto)
    c = Case.objects.create(
        partnership=partnership,
        reference=fields.pop("reference", f"TEST-{awareness.year}-{n:03d}"),
        kind=kind,
        title=fields.pop("title", f"Child {n}"),
        incident_date=fields.pop("incident_date", awareness - timedelta(days=2)),
        awareness_date=awareness,
        **fields,
    )
    for agency in agencies:
        CaseAgency.objects.create(case=c, agency=agency)
    day = awareness
    if kind == CaseKind.CHILD:
        Child.objects.create(case=c, label="Child A", age_years=7)
        if want >= 1:
            day = awareness + timedelta(days=3)
            Notification.objects.create(case=c, notified_on=day, notifier="Head of service")
        if want >= 2:
            rr = RapidReview.objects.create(case=c, started_on=day)
            for agency in agencies:
                AgencySummary.objects.create(
                    rapid_review=rr, agency=agency, requested_on=day, received_on=day
                )
        if want >= 3:
            day = day + timedelta(days=14)
            rr.meeting_date = day
            rr.summary_outcome = "Criteria met; recommend an LCSPR."
            rr.completed_on = day
            rr.save()
    elif kind == CaseKind.ADULT_SAR:
        outcome = Outcome.SAR_MANDATORY if outcome == Outcome.LCSPR else outcome
    elif kind == CaseKind.LEGACY_SCR:
        outcome = Outcome.SCR if outcome == Outcome.LCSPR else outcome
    if want >= 4:
        day = day + timedelta(days=3)
        decision = Decision.objects.create(
            case=c,
            outcome=outcome,
            decided_on=day,
            criterion_a=True,
            criterion_c=True,
            reasons="Agencies working together.",
        )
    if want >= 5 and kind == CaseKind.CHILD:
        for partner in Partner.values:
            PartnerSignOff.objects.create(
                decision=decision, partner=partner, signed_by="Director", signed_on=day
            )
        decision.panel_response = "Agrees with the local review."
        decision.panel_response_on = day + timedelta(days=10)
        decision.save()
    if want >= 6:
        review = Review.objects.create(
            case=c,
            partnership=partnership,
            review_type=decision.review_type or ReviewType.LCSPR,
            title=f"Review {n}",
            methodology="SCIE Learning Together",
            lead_reviewer=lead_reviewer,
            started_on=day + timedelta(days=14),
            target_on=day + relativedelta(months=6),
        )
        if hold:
            ProceedingsHold.objects.create(
                review=review,
                started_on=day + timedelta(days=20),
                review_on=day + timedelta(days=120),
                reason="Trial listed.",
            )
    if want >= 7:
        review.completed_on = day + timedelta(days=150)
        review.save()
    if want >= 8:
        published = day + timedelta(days=170)
        Publication.objects.create(
            review=review,
            mode=PublicationMode.FULL,
            notice_sent_on=published - timedelta(days=14),
            planned_on=published,
            published_on=published,
            address="https://example.org/reviews/report.pdf",
            remove_after=published + relativedelta(years=1),
        )
    return c
