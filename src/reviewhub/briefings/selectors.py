"""Reads of briefings, through the access rule."""

from django.db.models import Count, Q

from reviewhub.accounts.access import get_for_user

from .choices import BriefingStatus
from .models import Briefing, BriefingDelivery


def briefing_list(*, user, status: str | None = None):
    qs = Briefing.objects.restrict(user, "view")
    if status:
        qs = qs.filter(status=status)
    return qs


def briefing_get(*, user, pk, action="view") -> Briefing:
    return get_for_user(Briefing, user, pk, action, audit=False)


def briefing_reach(*, briefing: Briefing) -> list[dict]:
    """Per agency: how many it was sent to, opened and acknowledged (reach)."""
    rows = (
        BriefingDelivery.objects.filter(briefing=briefing)
        .values("agency__name")
        .annotate(
            sent=Count("id", filter=Q(sent_at__isnull=False)),
            opened=Count("id", filter=Q(opened_at__isnull=False)),
            acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
        )
        .order_by("agency__name")
    )
    return [
        {
            "agency": r["agency__name"] or "No agency",
            "sent": r["sent"],
            "opened": r["opened"],
            "acknowledged": r["acknowledged"],
        }
        for r in rows
    ]


def briefing_delivery_for(*, briefing: Briefing, user) -> BriefingDelivery | None:
    return BriefingDelivery.objects.filter(briefing=briefing, user=user).first()


def published_count(*, user) -> int:
    return briefing_list(user=user, status=BriefingStatus.PUBLISHED).count()
