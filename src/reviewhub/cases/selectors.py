"""Reads of the case register, always through the access rule; clocks computed on the fly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from reviewhub.accounts.access import Action, get_for_user
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.models import AuditEvent
from reviewhub.calendar.selectors import working_calendar
from reviewhub.calendar.workdays import WorkingCalendar

from . import clocks
from .choices import CaseKind, ReviewType
from .models import Case, ProceedingsHold, Review

RELATED = [
    "notification",
    "notification__notifier_agency",
    "notification__criteria_not_met_by",
    "rapid_review",
    "decision",
    "review",
    "review__lead_reviewer",
    "review__publication",
]
PREFETCH = [
    "children",
    "abuse_categories",
    Prefetch("case_agencies__agency"),
    "rapid_review__agency_summaries__agency",
    "decision__sign_offs",
    "review__extensions",
    Prefetch("review__holds", queryset=ProceedingsHold.objects.prefetch_related("liaison")),
]


def setting(name: str, default: str) -> str:
    return (getattr(settings, "REVIEWHUB", {}) or {}).get(name) or default


def case_clocks(
    case: Case, *, today: date | None = None, calendar: WorkingCalendar | None = None
) -> list[clocks.Clock]:
    """Return the statutory clocks that apply to the case, as of today.

    Child cases: notification (5 working days), rapid review (15 working days), LCSPR (6 months
    from the decision, with extensions) and the pre-publication notice. Legacy SCRs have no
    notification or rapid-review clock; SARs have no 5/15-day clocks.
    """
    today = today or timezone.localdate()
    calendar = calendar or working_calendar()
    found: list[clocks.Clock] = []
    notification = case.notification_or_none
    notified = notification.notified_on if notification else None
    if case.kind == CaseKind.CHILD:
        found.append(
            clocks.notification_clock(
                case.awareness_date,
                notified,
                today=today,
                calendar=calendar,
                start=setting("NOTIFICATION_CLOCK_START", clocks.NOTIFICATION_DEFAULT_START),
                incident_date=case.incident_date,
            )
        )
        rapid = case.rapid_review_or_none
        not_required = rapid is None and notification is not None and notification.criteria_not_met
        # Criteria recorded as not met: no rapid review is required, so no clock runs.
        if not not_required:
            found.append(
                clocks.rapid_review_clock(
                    case.awareness_date,
                    notified,
                    rapid.completed_on if rapid and rapid.outcome_recorded else None,
                    today=today,
                    calendar=calendar,
                    start=setting("RAPID_REVIEW_CLOCK_START", clocks.RAPID_REVIEW_DEFAULT_START),
                )
            )
    review = case.review_or_none
    decision = case.decision_or_none
    publication = review.publication_or_none if review else None
    if review is not None and review.review_type == ReviewType.LCSPR and decision is not None:
        found.append(
            clocks.lcspr_clock(
                decision.decided_on,
                review.completed_on,
                publication.published_on if publication else None,
                today=today,
                extensions=[(e.new_target_on, e.reason) for e in review.extensions.all()],
                calendar=calendar,
                stop=setting("LCSPR_CLOCK_STOP", clocks.LCSPR_DEFAULT_STOP),
            )
        )
    elif decision is not None and decision.outcome == "lcspr" and review is None:
        found.append(clocks.lcspr_clock(decision.decided_on, today=today, calendar=calendar))
    if publication is not None and publication.notice_reference_date:
        found.append(
            clocks.publication_notice_clock(
                publication.notice_sent_on,
                publication.notice_reference_date,
                today=today,
                calendar=calendar,
            )
        )
    return found


def case_queryset():
    return Case.objects.select_related(*RELATED).prefetch_related(*PREFETCH)


def case_get(*, user, pk) -> Case:
    """Fetch one case the user may view, auditing the view (404 and an audited denial
    otherwise)."""
    return get_for_user(case_queryset(), user, pk, Action.VIEW)


@dataclass
class RegisterRow:
    case: Case
    clocks: list
    overdue: bool


def case_list(
    *,
    user,
    partnership,
    stage: str = "",
    review_type: str = "",
    year: int | None = None,
    overdue: bool = False,
    agency_id: int | None = None,
    abuse_category: str = "",
    today: date | None = None,
) -> list[RegisterRow]:
    """List the cases of the partnership that the user may see, filtered, with their clocks."""
    qs = case_queryset().restrict(user, Action.VIEW).filter(partnership=partnership)
    if review_type:
        qs = qs.filter(review__review_type=review_type)
    if year:
        qs = qs.filter(
            Q(awareness_date__year=year) | Q(awareness_date__isnull=True, incident_date__year=year)
        )
    if agency_id:
        qs = qs.filter(case_agencies__agency_id=agency_id)
    if abuse_category:
        qs = qs.filter(abuse_categories__category=abuse_category)
    calendar = working_calendar()
    rows = []
    for case in qs.distinct():
        if stage and case.stage != stage:
            continue
        found = case_clocks(case, today=today, calendar=calendar)
        late = any(c.status == clocks.ClockStatus.OVERDUE for c in found)
        if overdue and not late:
            continue
        rows.append(RegisterRow(case=case, clocks=found, overdue=late))
    return rows


@dataclass
class DueItem:
    case: Case
    name: str
    due: date
    status: str
    label: str


def due_soon(*, user, partnership, within: int = 10, today: date | None = None) -> list[DueItem]:
    """Return what is overdue or due in the next ``within`` working days, soonest first.

    Running statutory clocks and the review dates of active criminal-proceedings holds.
    """
    today = today or timezone.localdate()
    calendar = working_calendar()
    horizon = calendar.add_working_days(today, within)
    qs = (
        case_queryset()
        .restrict(user, Action.VIEW)
        .filter(partnership=partnership, closed_on__isnull=True)
    )
    items = []
    for case in qs:
        for clock in case_clocks(case, today=today, calendar=calendar):
            if clock.is_stopped or clock.due is None or clock.due > horizon:
                continue
            items.append(DueItem(case, clock.name, clock.due, clock.status, clock.label))
        review = case.review_or_none
        hold = review.active_hold if review else None
        if hold is not None and hold.review_on <= horizon:
            late = hold.review_on < today
            items.append(
                DueItem(
                    case,
                    "Criminal-proceedings hold review",
                    hold.review_on,
                    clocks.ClockStatus.OVERDUE if late else clocks.ClockStatus.DUE_SOON,
                    f"{'Overdue' if late else 'Due'}: review the hold "
                    f"(due {clocks.format_date(hold.review_on)})",
                )
            )
    items.sort(key=lambda i: (i.due, i.case.reference))
    return items


def case_timeline(case: Case) -> list[tuple[date, str]]:
    """Return every dated event of the case in order (the records' own dates)."""
    events: list[tuple[date, str]] = []

    def add(day, text):
        if day:
            events.append((day, text))

    add(case.incident_date, "Incident")
    add(
        case.awareness_date,
        "Referral received" if case.kind == CaseKind.ADULT_SAR else "Local authority aware",
    )
    notification = case.notification_or_none
    if notification:
        add(notification.notified_on, "Serious incident notification sent to the Panel")
        add(notification.criteria_not_met_on, "Rapid review criteria recorded as not met")
    rapid = case.rapid_review_or_none
    if rapid:
        add(rapid.started_on, "Rapid review started")
        for summary in rapid.agency_summaries.all():
            add(summary.requested_on, f"Agency summary requested: {summary.agency}")
            add(summary.received_on, f"Agency summary received: {summary.agency}")
        add(rapid.meeting_date, "Rapid review meeting")
        if rapid.outcome_recorded:
            add(rapid.completed_on, "Rapid review summary and outcome agreed")
        add(rapid.sent_to_panel_on, "Rapid review sent to the Panel")
    decision = case.decision_or_none
    if decision:
        add(decision.decided_on, f"Decision: {decision.get_outcome_display()}")
        for sign_off in decision.sign_offs.all():
            add(sign_off.signed_on, f"Signed off: {sign_off.get_partner_display()}")
        add(decision.panel_response_on, "Panel's response received")
    review = case.review_or_none
    if review:
        add(review.started_on, f"{review.get_review_type_display()} started")
        for extension in review.extensions.all():
            add(
                extension.agreed_on,
                f"Extension agreed to {clocks.format_date(extension.new_target_on)}",
            )
        for hold in review.holds.all():
            add(hold.started_on, "Criminal-proceedings hold placed")
            for entry in hold.liaison.all():
                add(entry.contacted_on, f"Liaison with {entry.with_whom}")
            add(hold.lifted_on, "Criminal-proceedings hold lifted")
        add(review.completed_on, "Review completed")
        publication = review.publication_or_none
        if publication:
            add(publication.notice_sent_on, "Notice sent to the Panel and the Secretary of State")
            add(publication.published_on, f"Published ({publication.get_mode_display()})")
    add(case.closed_on, "Case closed")
    events.sort(key=lambda e: e[0])
    return events


def case_history(case: Case) -> list[AuditEvent]:
    """Return the recorded changes to the case (who did which step, when), newest first."""
    return list(
        AuditEvent.objects.filter(
            object_type=Case._meta.label_lower,
            object_id=str(case.pk),
            action__in=[AuditAction.CREATE, AuditAction.CHANGE, AuditAction.TRANSITION],
        ).order_by("-at")[:100]
    )


def review_list(*, user):
    """Return the reviews the user may see (used by other apps)."""
    return Review.objects.restrict(user, Action.VIEW).select_related("case")
