"""Counting for the dashboards and the yearly report.

Every "how counted" note attached here describes the query beside it; change one, change the
other. Clocks are the cases app's (``cases.selectors.case_clocks``), RAG the actions app's
(``Action.rag``): nothing is counted a second way.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from reviewhub.accounts.access import Action as AccessAction
from reviewhub.actions import rag as ragmod
from reviewhub.actions.choices import ActionStatus
from reviewhub.actions.models import Evidence
from reviewhub.actions.selectors import action_queryset, rag_counts_by_agency
from reviewhub.briefings.choices import BriefingStatus
from reviewhub.briefings.models import Briefing
from reviewhub.calendar.selectors import working_calendar
from reviewhub.cases import clocks
from reviewhub.cases.choices import CaseKind, Outcome, Stage
from reviewhub.cases.choices import ReviewType as CaseReviewType
from reviewhub.cases.models import Decision, Notification, ProceedingsHold, Review
from reviewhub.cases.selectors import case_clocks, case_queryset, setting
from reviewhub.learning.choices import CodeSource
from reviewhub.learning.models import Code, LearningPoint
from reviewhub.reports.charts import Chart, make_chart
from reviewhub.reports.yearly import YearlyFigures
from reviewhub.reports.yearly.model import ADULTS, CHILDREN, format_date

RAPID_REVIEW_CLOCK = "Rapid review"
LCSPR_CLOCK = "Local child safeguarding practice review"
CONFIRMED = (CodeSource.CONFIRMED, CodeSource.MANUAL)


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The same dates one year earlier (29 February becomes 28 February)."""

    def back(d: date) -> date:
        try:
            return d.replace(year=d.year - 1)
        except ValueError:
            return d.replace(year=d.year - 1, day=28)

    return back(date_from), back(date_to)


def _between(field: str, date_from: date, date_to: date) -> Q:
    return Q(**{f"{field}__gte": date_from, f"{field}__lte": date_to})


def _period(a: date, b: date) -> str:
    return f"from {format_date(a)} to {format_date(b)}"


def _notifications(partnership, a: date, b: date) -> dict[str, int]:
    counts = Counter(
        Notification.objects.filter(
            _between("notified_on", a, b), case__partnership=partnership
        ).values_list("case__nature", flat=True)
    )
    return counts


def _theme_counts(partnership, a: date, b: date) -> Counter:
    return Counter(
        Code.objects.filter(
            exercise__isnull=True,
            source__in=CONFIRMED,
            point__partnership=partnership,
            point__created_at__date__gte=a,
            point__created_at__date__lte=b,
        ).values_list("theme__label", flat=True)
    )


def _actions_in_year(partnership, a: date, b: date):
    """Actions open at any time in the period: created by its end and not completed before it."""
    return (
        action_queryset()
        .filter(partnership=partnership, created_at__date__lte=b)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gte=a))
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("added_at")))
    )


def yearly_figures(partnership, date_from: date, date_to: date) -> YearlyFigures:
    """Count everything the yearly report shows for one partnership and period (inclusive)."""
    if date_to < date_from:
        raise ValueError("The end of the period is before its start.")
    kind = ADULTS if partnership.kind == "adults" else CHILDREN
    prev_from, prev_to = previous_period(date_from, date_to)
    period = _period(date_from, date_to)
    calendar = working_calendar()
    notes: dict[str, str] = {}

    # Notifications by type, this year and last.
    this = _notifications(partnership, date_from, date_to)
    last = _notifications(partnership, prev_from, prev_to)
    natures = ["death", "serious_harm", "other"]
    by_type = {k: this.get(k, 0) for k in natures}
    previous = {k: last.get(k, 0) for k in natures}
    looked_after = (
        Notification.objects.filter(
            _between("notified_on", date_from, date_to),
            case__partnership=partnership,
            case__children__looked_after=True,
        )
        .values("case_id")
        .distinct()
        .count()
    )
    notes["notifications"] = (
        f"Serious incident notifications recorded as made to the Panel {period}, by the "
        "notification date, one per case, by the nature of the incident recorded on the case. "
        f"{looked_after} of them concerned a child recorded as looked after. The previous year "
        f"counts the same way {_period(prev_from, prev_to)}."
    )

    # Rapid reviews completed in the period and whether the cases app's clock was met.
    start = setting("RAPID_REVIEW_CLOCK_START", clocks.RAPID_REVIEW_DEFAULT_START)
    rr_cases = case_queryset().filter(
        partnership=partnership,
        kind=CaseKind.CHILD,
        rapid_review__completed_on__gte=date_from,
        rapid_review__completed_on__lte=date_to,
    )
    rr_done = rr_in_time = 0
    for case in rr_cases:
        if not case.rapid_review.outcome_recorded:
            continue
        rr_done += 1
        clock = next(
            c
            for c in case_clocks(case, today=date_to, calendar=calendar)
            if c.name == RAPID_REVIEW_CLOCK
        )
        if clock.status == clocks.ClockStatus.MET:
            rr_in_time += 1
    notes["rapid_reviews"] = (
        f"Rapid reviews completed {period} (a completion date and an outcome recorded). In time "
        f"means completed within {clocks.RAPID_REVIEW_WORKING_DAYS} working days of the "
        f"{'notification to the Panel' if start == 'notification' else 'local authority becoming aware'}"
        ", counting working days (Monday to Friday, not bank holidays) after that day."
    )

    # Decisions recorded in the period, by outcome.
    decision_counts = Counter(
        Decision.objects.filter(
            _between("decided_on", date_from, date_to), case__partnership=partnership
        ).values_list("outcome", flat=True)
    )
    labels = dict(Outcome.choices)
    decisions = {labels.get(k, k): n for k, n in sorted(decision_counts.items())}
    notes["decisions"] = f"Decisions recorded {period}, by their decision date and outcome."

    # Reviews started, completed, published and held.
    reviews = Review.objects.filter(partnership=partnership)
    started = reviews.filter(_between("started_on", date_from, date_to)).count()
    completed_qs = reviews.filter(_between("completed_on", date_from, date_to)).select_related(
        "case__decision"
    )
    completed = completed_qs.count()
    within_six = 0
    for review in completed_qs.filter(review_type=CaseReviewType.LCSPR):
        decision = getattr(review.case, "decision", None)
        if decision and review.completed_on <= clocks.lcspr_due_date(decision.decided_on):
            within_six += 1
    published = reviews.filter(_between("publication__published_on", date_from, date_to)).count()
    active_holds = ProceedingsHold.objects.filter(started_on__lte=date_to).filter(
        Q(lifted_on__isnull=True) | Q(lifted_on__gt=date_to)
    )
    held = (
        reviews.filter(completed_on__lte=date_to, pk__in=active_holds.values("review_id"))
        .exclude(publication__published_on__lte=date_to)
        .count()
    )
    notes["reviews"] = (
        f"Reviews whose start date, completion date or publication date fell {period}. Held "
        f"counts reviews completed by {format_date(date_to)}, not published by then, with a hold "
        "for criminal proceedings in force on that day. Completed within 6 months counts "
        "LCSPRs completed within six calendar months of the decision to hold them (agreed "
        "extensions not counted)."
    )

    # Themes: confirmed codes of learning points recorded in each period.
    this_themes = _theme_counts(partnership, date_from, date_to)
    last_themes = _theme_counts(partnership, prev_from, prev_to)
    themes = {
        label: (this_themes.get(label, 0), last_themes.get(label, 0))
        for label in sorted(set(this_themes) | set(last_themes))
    }
    coded = LearningPoint.objects.filter(
        partnership=partnership,
        coding_complete=True,
        coded_at__date__gte=date_from,
        coded_at__date__lte=date_to,
    ).count()
    notes["themes"] = (
        f"Learning points recorded {period} (and, for the previous year, "
        f"{_period(prev_from, prev_to)}), counted once under each theme an analyst confirmed "
        "or added; a point with several themes counts under each, suggestions not yet "
        f"confirmed are not counted. {coded} learning points had their coding finished in "
        "the period."
    )

    # Actions by agency and RAG; impact; little progress.
    actions = list(_actions_in_year(partnership, date_from, date_to))
    by_agency = rag_counts_by_agency(actions, date_to)
    notes["actions"] = (
        f"Actions open at any time {period} (created by its end and not completed before its "
        f"start), by lead agency, with the RAG status derived for {format_date(date_to)} from "
        "the action's target date, milestones, progress and evidence as recorded now: red "
        "when past the target date and not complete; amber when a milestone is overdue, the "
        "target is near and progress is behind, there is no target date, or completion lacks "
        "evidence; green when on track; blue when complete with evidence of impact; grey when "
        "not started and not yet at risk. A status set by hand, with its reason, counts as set."
    )
    impact = []
    little = []
    for a in actions:
        signed = a.signed_off_at.date() if a.signed_off_at else None
        if (
            a.status == ActionStatus.COMPLETE
            and signed is not None
            and date_from <= signed <= date_to
        ):
            evidence = "; ".join(f"{e.get_kind_display()}: {e.summary}" for e in a.evidence.all())
            impact.append(
                (
                    str(a.recommendation),
                    a.title,
                    a.lead_agency.name,
                    evidence,
                    a.recommendation.get_scope_display(),
                    a.completed_on,
                )
            )
        elif a.status != ActionStatus.COMPLETE:
            result = a.rag(date_to)
            if result.rag in (ragmod.RED, ragmod.AMBER):
                little.append(
                    (
                        str(a.recommendation),
                        a.title,
                        a.lead_agency.name,
                        a.target_date,
                        result.reason,
                    )
                )
    notes["impact"] = (
        f"Actions whose completion the business unit signed off {period}, with every piece "
        "of evidence of impact recorded against each (audit results, training figures, "
        "changed procedures), most recent first. An action cannot be signed off without "
        "evidence."
    )
    notes["little_progress"] = (
        f"Actions not complete whose RAG status derived for {format_date(date_to)} is red or "
        "amber, with the reason the rules give."
    )

    # Briefings published in the period and their reach.
    briefings = []
    for b in (
        Briefing.objects.filter(
            partnership=partnership,
            status=BriefingStatus.PUBLISHED,
            published_at__date__gte=date_from,
            published_at__date__lte=date_to,
        )
        .annotate(
            n_sent=Count("deliveries", filter=Q(deliveries__sent_at__isnull=False)),
            n_opened=Count("deliveries", filter=Q(deliveries__opened_at__isnull=False)),
            n_acked=Count("deliveries", filter=Q(deliveries__acknowledged_at__isnull=False)),
        )
        .order_by("published_at")
    ):
        briefings.append(
            (b.title, b.n_sent, b.n_opened, b.n_acked, timezone.localdate(b.published_at))
        )
    notes["briefings"] = (
        f"Briefings published {period}. Sent to counts deliveries sent (one per person); "
        "opened and acknowledged count the deliveries with an opening or an acknowledgement "
        "recorded, each person once."
    )
    notes["at_a_glance"] = "Each figure is counted as described in its own section of this report."

    return YearlyFigures(
        partnership_name=partnership.name,
        period_from=date_from,
        period_to=date_to,
        kind=kind,
        notifications_by_type=by_type,
        notifications_previous=previous,
        notifications_looked_after=looked_after,
        rapid_reviews_completed=rr_done,
        rapid_reviews_within_15_days=rr_in_time,
        decisions_by_outcome=decisions,
        reviews_started=started,
        reviews_completed=completed,
        reviews_completed_within_6_months=within_six,
        reviews_published=published,
        reviews_held=held,
        learning_points_coded=None,
        themes=themes,
        actions_by_agency_rag=by_agency,
        actions_with_impact=impact,
        actions_little_progress=little,
        briefings=briefings,
        how_counted=notes,
        counted_at=timezone.now(),
    )


# --- Dashboard ---------------------------------------------------------------------------


def _stacked(title, categories, series, colours=None, **kw) -> Chart:
    return make_chart(
        "bar", title, categories, series, stacked=True, horizontal=True, colours=colours, **kw
    )


def dashboard(*, user, partnership, today: date | None = None) -> list[tuple[Chart, str]]:
    """The charts of the reports dashboard, each with how it was counted, for what the user
    may see (cases and actions through their access rules)."""
    today = today or timezone.localdate()
    calendar = working_calendar()
    cases = list(case_queryset().restrict(user, AccessAction.VIEW).filter(partnership=partnership))
    out: list[tuple[Chart, str]] = []

    statuses = [
        (clocks.ClockStatus.MET, "Met"),
        (clocks.ClockStatus.MISSED, "Missed"),
        (clocks.ClockStatus.OVERDUE, "Overdue (running)"),
        (clocks.ClockStatus.RUNNING, "Running"),
    ]
    counts = {RAPID_REVIEW_CLOCK: Counter(), LCSPR_CLOCK: Counter()}
    for case in cases:
        for clock in case_clocks(case, today=today, calendar=calendar):
            if clock.name in counts:
                status = clock.status
                if status == clocks.ClockStatus.DUE_SOON:
                    status = clocks.ClockStatus.RUNNING
                counts[clock.name][status] += 1
    names = ["Rapid reviews (15 working days)", "LCSPRs (6 months)"]
    if any(counts[RAPID_REVIEW_CLOCK].values()) or any(counts[LCSPR_CLOCK].values()):
        out.append(
            (
                _stacked(
                    "Statutory clocks met and missed",
                    names,
                    {
                        label: [counts[RAPID_REVIEW_CLOCK][s], counts[LCSPR_CLOCK][s]]
                        for s, label in statuses
                    },
                    category_label="Clock",
                    value_label="Cases",
                ),
                "Every case you may see, with the cases app's clocks as of today: the rapid "
                "review clock (15 working days) and the LCSPR clock (6 months from the decision, "
                "with agreed extensions). Running includes clocks due soon; clocks not yet started "
                "are not counted.",
            )
        )

    stage_counts = Counter(c.stage for c in cases)
    stages = [s for s in Stage if stage_counts.get(s)]
    if stages:
        out.append(
            (
                make_chart(
                    "bar",
                    "Cases by stage",
                    [s.label for s in stages],
                    {"Cases": [stage_counts[s] for s in stages]},
                    horizontal=True,
                    category_label="Stage",
                    value_label="Cases",
                ),
                "Every case you may see, by the stage its records show today.",
            )
        )
    decision_counts = Counter(c.decision.outcome for c in cases if c.decision_or_none is not None)
    if decision_counts:
        labels = dict(Outcome.choices)
        keys = sorted(decision_counts)
        out.append(
            (
                make_chart(
                    "bar",
                    "Cases by decision",
                    [labels.get(k, k) for k in keys],
                    {"Cases": [decision_counts[k] for k in keys]},
                    horizontal=True,
                    category_label="Decision",
                    value_label="Cases",
                ),
                "Every case you may see with a decision recorded, by the decision.",
            )
        )

    points = LearningPoint.objects.restrict(user, AccessAction.VIEW).filter(partnership=partnership)
    rows = Code.objects.filter(
        exercise__isnull=True, source__in=CONFIRMED, point__in=points
    ).values_list("theme__label", "point__created_at__year")
    by_theme: dict[str, Counter] = {}
    years: set[int] = set()
    for label, year in rows:
        by_theme.setdefault(label, Counter())[year] += 1
        years.add(year)
    if by_theme:
        top = sorted(by_theme, key=lambda t: (-sum(by_theme[t].values()), t))[:8]
        ordered_years = sorted(years)[-3:]
        out.append(
            (
                make_chart(
                    "bar",
                    "Most frequent themes by year",
                    top,
                    {str(y): [by_theme[t][y] for t in top] for y in ordered_years},
                    horizontal=True,
                    category_label="Theme",
                    value_label="Learning points",
                ),
                "Learning points you may see, counted under each theme an analyst confirmed or "
                "added, by the year the point was recorded; the eight most frequent themes and "
                "the last three years.",
            )
        )

    actions = list(
        action_queryset().restrict(user, AccessAction.VIEW).filter(partnership=partnership)
    )
    if actions:
        by_agency = rag_counts_by_agency(actions, today)
        agencies = list(by_agency)
        rags = [r for r in ragmod.RAG_ORDER if any(by_agency[a].get(r) for a in agencies)]
        out.append(
            (
                _stacked(
                    "Actions by lead agency and RAG status",
                    agencies,
                    {
                        ragmod.RAG_LABELS[r]: [by_agency[a].get(r, 0) for a in agencies]
                        for r in rags
                    },
                    colours=[ragmod.RAG_COLOURS[r] for r in rags],
                    category_label="Lead agency",
                    value_label="Actions",
                ),
                "Every action you may see, by lead agency, with the RAG status derived today "
                "from its dates, milestones, progress and evidence (or set by hand, with a "
                "reason).",
            )
        )
    return out
