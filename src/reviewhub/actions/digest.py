"""The weekly chasing digest: one e-mail per partner lead, listing their agency's open actions
that are overdue or due within 14 days. Run by ``reviewhub actions digest`` from a scheduler.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import Membership
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from .models import Action
from .selectors import DUE_SOON_DAYS, ChaseList, action_queryset, chase_list


@dataclass
class Digest:
    user: object
    partnership: object
    chase: ChaseList
    subject: str
    body: str


def _fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _lines(rows, today: date) -> list[str]:
    out = []
    for row in rows:
        a = row.action
        late = (today - a.target_date).days
        when = f"{late} days overdue" if late > 0 else f"due in {-late} days"
        out.append(
            f"- {a.title} ({a.lead_agency.name}; target {_fmt(a.target_date)}, {when}; "
            f"RAG {row.rag.rag}; {a.progress_percent}% done)"
        )
    return out


def _body(user, partnership, chase: ChaseList, today: date) -> str:
    name = user.get_full_name() or user.username
    parts = [
        f"Dear {name},",
        "",
        f"Your open actions in {partnership.name} as of {_fmt(today)}.",
        "",
        f"Overdue ({len(chase.overdue)}):",
        *(_lines(chase.overdue, today) or ["- none"]),
        "",
        f"Due within {DUE_SOON_DAYS} days ({len(chase.due_soon)}):",
        *(_lines(chase.due_soon, today) or ["- none"]),
        "",
        "Please update the progress, agency response and evidence of impact in ReviewHub.",
    ]
    return "\n".join(parts)


def digests(*, today: date | None = None) -> list[Digest]:
    """Build one digest per partner lead who has an overdue or soon-due open action."""
    today = today or timezone.localdate()
    found = []
    leads = (
        Membership.objects.filter(
            role=Role.PARTNER_LEAD, agency__isnull=False, user__is_active=True
        )
        .select_related("user", "partnership", "agency")
        .order_by("partnership_id", "user_id")
    )
    by_user: dict[tuple[int, int], tuple] = {}
    for m in leads:
        key = (m.user_id, m.partnership_id)
        entry = by_user.setdefault(key, (m.user, m.partnership, set()))
        entry[2].add(m.agency_id)
    for user, partnership, agencies in by_user.values():
        if not user.email:
            continue
        qs = action_queryset().filter(partnership=partnership, lead_agency_id__in=agencies)
        chase = chase_list(qs, today=today)
        if not chase:
            continue
        subject = (
            f"ReviewHub: {len(chase.overdue)} overdue and {len(chase.due_soon)} soon-due "
            f"actions ({partnership.name})"
        )
        found.append(
            Digest(user, partnership, chase, subject, _body(user, partnership, chase, today))
        )
    return found


def digest_send(*, today: date | None = None, dry_run: bool = False) -> list[Digest]:
    """Send the digests (or only build them, for ``--dry-run``); each send is audited."""
    built = digests(today=today)
    if dry_run:
        return built
    connection = get_connection()
    for d in built:
        EmailMessage(
            d.subject,
            d.body,
            settings.DEFAULT_FROM_EMAIL,
            [d.user.email],
            connection=connection,
        ).send()
        audit_event_record(
            action=AuditAction.EXPORT,
            object_type=Action._meta.label_lower,
            partnership_id=d.partnership.pk,
            # Field names only, never content: who it went to is the recipient's partnership.
            detail=f"weekly action digest: {len(d.chase.overdue)} overdue, "
            f"{len(d.chase.due_soon)} due soon",
        )
    return built
