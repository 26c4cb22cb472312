"""Demo recommendations and actions at every RAG state, dated relative to today so the
colours stay true: one overdue (red), one at risk (amber), one on track (green), one complete
with evidence and the business unit's sign-off (blue). Idempotent: matched by reference."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from reviewhub.accounts.models import Agency
from reviewhub.cases.models import Review
from reviewhub.learning import services as learning_services
from reviewhub.learning.choices import ReviewType, SourceKind
from reviewhub.learning.models import LearningPoint, Recommendation

from . import services
from .models import Action

AUDIT_TEXT = (
    "Re-audit of 20 domestic abuse referrals, January: the household composition was "
    "recorded in 19 (95%), against 11 of 20 (55%) at the first audit.\n"
)


def _agency(partnership, kind):
    return Agency.objects.filter(partnership=partnership, kind=kind).first()


@transaction.atomic
def load(partnership, users) -> None:
    if Recommendation.objects.filter(partnership=partnership, reference="DEMO-R1").exists():
        return
    today = timezone.localdate()
    manager = users["manager"]
    council = _agency(partnership, "la_childrens")
    police = _agency(partnership, "police")
    health = _agency(partnership, "health")
    if not (council and police and health):
        return
    review = Review.objects.filter(partnership=partnership).order_by("pk").first()
    local = learning_services.source_get_or_create(
        partnership=partnership,
        kind=SourceKind.LOCAL_REVIEW,
        title=review.title if review else "Northshire local review",
        review_type=ReviewType.LCSPR,
        year=today.year,
        review=review,
    )
    national = learning_services.source_get_or_create(
        partnership=partnership,
        kind=SourceKind.NATIONAL_REVIEW,
        title="Child Protection in England (national review, adopted by the partnership)",
        publisher="Child Safeguarding Practice Review Panel",
        review_type=ReviewType.NATIONAL,
        year=2022,
    )
    points = list(
        LearningPoint.objects.filter(partnership=partnership, codes__isnull=False)
        .distinct()
        .order_by("pk")[:3]
    )
    r1 = learning_services.recommendation_create(
        partnership=partnership,
        source=local,
        reference="DEMO-R1",
        text="Agencies should record who lives in the household and share it when a new "
        "adult joins the family.",
        points=points[:2],
        scope="local",
        user=manager,
    )
    r2 = learning_services.recommendation_create(
        partnership=partnership,
        source=national,
        reference="DEMO-R2",
        text="Strengthen multi-agency responses to domestic abuse where children live with it.",
        points=points[2:],
        scope="national",
        user=manager,
    )

    def make(rec, agency, title, **fields):
        if Action.objects.filter(recommendation=rec, title=title).exists():
            return None
        return services.action_create(
            recommendation=rec, lead_agency=agency, user=manager, title=title, **fields
        )

    make(
        r1,
        police,
        "Add household composition to the domestic abuse referral form",
        lead_officer="DI Sarah Khan",
        target_date=today - timedelta(days=20),
        status="in_progress",
        progress_percent=60,
        agency_response="Form redesign agreed; IT change delayed by the supplier.",
    )
    make(
        r1,
        council,
        "Brief front-door staff on asking who lives in the home",
        lead_officer="Team manager, MASH",
        target_date=today + timedelta(days=10),
        status="in_progress",
        progress_percent=30,
        agency_response="Two of five briefings held.",
    )
    green = make(
        r2,
        health,
        "Routine enquiry about domestic abuse in health visiting",
        lead_officer="Named nurse",
        target_date=today + timedelta(days=150),
        status="in_progress",
        progress_percent=25,
        agency_response="Pilot running in two localities.",
    )
    if green:
        services.milestone_add(
            action=green, user=manager, title="Pilot evaluated", due_date=today + timedelta(days=60)
        )
    done = make(
        r1,
        police,
        "Audit domestic abuse referrals for household composition",
        lead_officer="Head of safeguarding",
        target_date=today - timedelta(days=10),
        status="in_progress",
        progress_percent=90,
        agency_response="Audit and re-audit completed.",
    )
    if done:
        services.evidence_add(
            action=done,
            user=manager,
            kind="audit",
            summary="Re-audit: household recorded in 19 of 20 referrals (95%), up from 55%.",
            upload_name="re-audit.txt",
            data=AUDIT_TEXT.encode(),
        )
        services.evidence_add(
            action=done,
            user=manager,
            kind="procedure",
            summary="Referral procedure updated to make the household section mandatory.",
        )
        done.refresh_from_db()
        services.action_complete(action=done, user=manager, completed_on=today - timedelta(days=12))
