"""Reads of actions, always through the access rule; RAG derived on read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from reviewhub.accounts.access import Action as AccessAction
from reviewhub.accounts.access import get_for_user

from . import rag
from .choices import ActionStatus
from .models import Action, Milestone

#: The digest and the chasing dashboard list actions due within this many calendar days.
DUE_SOON_DAYS = 14


def action_queryset():
    return (
        Action.objects.select_related(
            "lead_agency",
            "recommendation",
            "recommendation__source",
            "recommendation__source__review",
            "signed_off_by",
        )
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due_date")))
        .annotate(n_evidence=Count("evidence", distinct=True))
    )


def action_get(*, user, pk, action: str = AccessAction.VIEW) -> Action:
    return get_for_user(action_queryset(), user, pk, action)


def recommendation_get(*, user, pk):
    """A recommendation the user may see through the learning app's rule, or one with an
    action the user may see (a partner lead sees the recommendations their agency answers).
    Audited view; 404 and an audited denial otherwise."""
    from django.db.models import Q
    from django.http import Http404

    from reviewhub.audit.choices import AuditAction, Outcome
    from reviewhub.audit.services import audit_event_record
    from reviewhub.learning.models import Recommendation

    visible = Recommendation.objects.filter(
        Q(pk__in=Recommendation.objects.restrict(user, AccessAction.VIEW).values("pk"))
        | Q(pk__in=Action.objects.restrict(user, AccessAction.VIEW).values("recommendation_id"))
    )
    rec = visible.select_related("source", "source__review").filter(pk=pk).first()
    if rec is None:
        audit_event_record(
            action=AuditAction.DENIED,
            object_type="learning.recommendation",
            object_id=str(pk),
            outcome=Outcome.DENIED,
            detail="view refused or not found",
        )
        raise Http404("No recommendation found.")
    audit_event_record(action=AuditAction.VIEW, obj=rec)
    return rec


@dataclass
class ActionRow:
    action: Action
    rag: rag.RagResult


def action_list(
    *,
    user,
    partnership,
    today: date | None = None,
    agency_id=None,
    open_only=False,
    rag_in=(),
    status: str = "",
    recommendation_id=None,
    overdue: bool | None = None,
) -> list[ActionRow]:
    """Every action of the active partnership the user may see, with its derived RAG.

    ``overdue`` means what the chasing list means: open, and the target date has passed
    (``False`` keeps the others).
    """
    today = today or timezone.localdate()
    qs = action_queryset().restrict(user, AccessAction.VIEW).filter(partnership=partnership)
    if agency_id:
        qs = qs.filter(lead_agency_id=agency_id)
    if open_only:
        qs = qs.exclude(status=ActionStatus.COMPLETE)
    if status:
        qs = qs.filter(status=status)
    if recommendation_id:
        qs = qs.filter(recommendation_id=recommendation_id)
    if overdue is not None:
        late = Q(target_date__lt=today) & ~Q(status=ActionStatus.COMPLETE)
        qs = qs.filter(late) if overdue else qs.exclude(late)
    rows = [ActionRow(a, a.rag(today)) for a in qs]
    if rag_in:
        rows = [r for r in rows if r.rag.rag in rag_in]
    return rows


@dataclass
class ChaseList:
    overdue: list[ActionRow]
    due_soon: list[ActionRow]

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_soon)


def chase_list(actions, *, today: date | None = None, within: int = DUE_SOON_DAYS) -> ChaseList:
    """Split open actions into overdue (target passed) and due within ``within`` days."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=within)
    overdue, soon = [], []
    for a in actions:
        if a.status == ActionStatus.COMPLETE or a.target_date is None:
            continue
        if a.target_date < today:
            overdue.append(ActionRow(a, a.rag(today)))
        elif a.target_date <= horizon:
            soon.append(ActionRow(a, a.rag(today)))
    overdue.sort(key=lambda r: (r.action.target_date, r.action.pk))
    soon.sort(key=lambda r: (r.action.target_date, r.action.pk))
    return ChaseList(overdue, soon)


def chase_for_user(*, user, partnership, today: date | None = None) -> ChaseList:
    """The chasing dashboard: the open actions the user may see that are overdue or due soon.

    Partner leads see their own agency's actions here; the business unit sees all.
    """
    from reviewhub.accounts.access import agency_ids, has_role
    from reviewhub.accounts.choices import Role

    qs = action_queryset().restrict(user, AccessAction.VIEW).filter(partnership=partnership)
    if not has_role(user, partnership.pk, Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST):
        qs = qs.filter(lead_agency_id__in=agency_ids(user, partnership.pk))
    return chase_list(qs, today=today)


def rag_counts_by_agency(actions, today: date) -> dict[str, dict[str, int]]:
    """Count actions by lead agency name and derived RAG colour (agencies in name order)."""
    counts: dict[str, dict[str, int]] = {}
    for a in sorted(actions, key=lambda a: (a.lead_agency.name, a.pk)):
        colour = a.rag(today).rag
        by = counts.setdefault(a.lead_agency.name, {})
        by[colour] = by.get(colour, 0) + 1
    return counts


def action_plan_rows(actions, today: date | None = None) -> list[dict]:
    """Rows for ``export.ACTION_PLAN_COLUMNS``, one per action."""
    today = today or timezone.localdate()
    rows = []
    for a in actions:
        result = a.rag(today)
        rec = a.recommendation
        source = rec.source
        evidence = [f"{e.get_kind_display()}: {e.summary}" for e in a.evidence.all()]
        rows.append(
            {
                "review": source.title,
                "recommendation": f"{rec.reference} {rec.text}".strip(),
                "scope": rec.get_scope_display(),
                "action": a.title,
                "lead_agency": a.lead_agency.name,
                "lead_officer": a.lead_officer,
                "milestones": [
                    f"{m.title} (due {m.due_date.isoformat()}"
                    + (f", done {m.completed_on.isoformat()})" if m.completed_on else ")")
                    for m in a.milestones.all()
                ],
                "target_date": a.target_date,
                "progress_percent": a.progress_percent,
                "rag": result.rag,
                "rag_reason": result.reason,
                "agency_response": a.agency_response,
                "completion_date": a.completed_on,
                "outcome": a.get_status_display(),
                "evidence_of_impact": evidence,
                "signed_off_by": a.signed_off_by.get_full_name() or a.signed_off_by.username
                if a.signed_off_by
                else "",
            }
        )
    return rows
