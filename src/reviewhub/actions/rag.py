"""Derive an action's RAG status from its dates, progress, milestones and evidence.

RAG is never stored as state: it is recomputed from the stored facts on each read, so a
dashboard cannot show a colour that the dates no longer support. The only stored input that
is a judgement is the manual override, and it must carry a reason so the judgement is visible.

Colours
    ``blue``   complete: the action is marked complete *and* has evidence of impact.
    ``red``    off track: the target date has passed and the action is not complete.
    ``amber``  at risk: a milestone is overdue, the target is near and progress is behind,
               there is no target date, or the action is marked complete without evidence.
    ``green``  on track.
    ``grey``   not started and not yet at risk.

Rules, applied in this order (the first that matches decides; ``today`` is a calendar date
and all counting is in calendar days, because action plans set calendar target dates):

1. ``status == "complete"`` with ``evidence_count > 0`` is **blue**. A manual override is
   ignored: once complete, only reopening (which changes the status) can change the colour.
2. A manual override, when given, wins over rules 3-9. It must be ``red``, ``amber`` or
   ``green`` and needs a non-blank reason, else ``ValueError``. Completion cannot be set by
   override because it needs evidence and the business unit's sign-off; "not started" is a
   fact, not a judgement.
3. The target date has passed (``today > target_date``) and the action is not complete (in
   whatever status, including complete-without-evidence): **red**. The target date itself is
   still in time.
4. ``status == "complete"`` without evidence: **amber**, because completion needs evidence.
5. No target date: **amber**, because nothing can be on track against no date.
6. A milestone whose due date has passed (``due_date < today``) and that is not done:
   **amber**. A milestone done late no longer counts.
7. ``status == "not_started"``: **amber** if the target is within the amber window
   (``policy.amber_window_days``, default 28 days, inclusive), else **grey**.
8. Inside the amber window, the action must have made at least the expected progress, which
   rises linearly from ``policy.expected_at_window_start`` (default 50%) when ``window`` days
   are left to 100% on the target date: ``expected = 100 - (100 - start) * days_left /
   window``. Below it, or with no progress recorded: **amber**.
9. Otherwise **green**.

Statuses are ``not_started``, ``in_progress``, ``reopened`` (treated as in progress) and
``complete``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

RED, AMBER, GREEN, BLUE, GREY = "red", "amber", "green", "blue", "grey"

#: Display order, worst first, for tables and stacked charts.
RAG_ORDER = (RED, AMBER, GREEN, BLUE, GREY)

RAG_LABELS = {
    RED: "Red (off track)",
    AMBER: "Amber (at risk)",
    GREEN: "Green (on track)",
    BLUE: "Blue (complete)",
    GREY: "Grey (not started)",
}

#: GOV.UK colours, so the charts match the tags on the product's pages.
RAG_COLOURS = {
    RED: "#d4351c",
    AMBER: "#f47738",
    GREEN: "#00703c",
    BLUE: "#1d70b8",
    GREY: "#b1b4b6",
}

NOT_STARTED, IN_PROGRESS, REOPENED, COMPLETE = "not_started", "in_progress", "reopened", "complete"
STATUSES = (NOT_STARTED, IN_PROGRESS, REOPENED, COMPLETE)

#: Colours an analyst may set by hand.
OVERRIDE_CHOICES = (RED, AMBER, GREEN)


@dataclass(frozen=True)
class RagPolicy:
    """The tunable numbers behind rules 7 and 8, so a partnership can set its own window."""

    amber_window_days: int = 28
    expected_at_window_start: float = 50.0

    def __post_init__(self) -> None:
        if self.amber_window_days < 1:
            raise ValueError("amber_window_days must be at least 1")
        if not 0 <= self.expected_at_window_start <= 100:
            raise ValueError("expected_at_window_start must be between 0 and 100")

    def expected_progress(self, days_left: int) -> float:
        """Return the progress (percent) expected with ``days_left`` days to the target."""
        start = self.expected_at_window_start
        return 100.0 - (100.0 - start) * days_left / self.amber_window_days


DEFAULT_POLICY = RagPolicy()


@dataclass(frozen=True)
class Milestone:
    """A dated step of an action; any object with ``title``, ``due_date`` and
    ``completed_date`` attributes (a model instance, say) is accepted in its place."""

    title: str
    due_date: date
    completed_date: date | None = None


@dataclass(frozen=True)
class RagResult:
    """The colour to show, why, and whether a person chose it.

    ``derived`` is the colour the rules give without the override, so a page can show
    "Green (overridden; rules say red)".
    """

    rag: str
    reason: str
    overridden: bool
    derived: str

    @property
    def label(self) -> str:
        return RAG_LABELS[self.rag]


def _as_date(value, name: str) -> date | None:
    if value is None:
        return None
    # A datetime compared with a date raises TypeError; the day is what the rules use.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"{name} must be a date, not {type(value).__name__}")


def _fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _overdue_milestones(milestones: Iterable, today: date) -> list:
    overdue = []
    for milestone in milestones:
        due = _as_date(milestone.due_date, "milestone due_date")
        done = _as_date(getattr(milestone, "completed_date", None), "milestone completed_date")
        if due is not None and due < today and done is None:
            overdue.append((due, milestone))
    overdue.sort(key=lambda pair: pair[0])
    return [m for _, m in overdue]


def _derive(
    *,
    target_date: date | None,
    today: date,
    status: str,
    progress_percent: float | None,
    milestones: Iterable,
    completed_date: date | None,
    evidence_count: int,
    policy: RagPolicy,
) -> tuple[str, str]:
    if status == COMPLETE and evidence_count > 0:
        if completed_date is None:
            return BLUE, "Complete with evidence of impact."
        when = f"Completed on {_fmt(completed_date)}"
        if target_date is not None and completed_date > target_date:
            late = (completed_date - target_date).days
            when += f", {_days(late)} after the target date"
        return BLUE, f"{when}, with evidence of impact."

    if target_date is not None and today > target_date:
        late = (today - target_date).days
        reason = f"Target date {_fmt(target_date)} passed {_days(late)} ago"
        if status == COMPLETE:
            reason += "; marked complete but no evidence of impact recorded."
        else:
            reason += " and the action is not complete."
        return RED, reason

    if status == COMPLETE:
        return AMBER, "Marked complete but no evidence of impact recorded."

    if target_date is None:
        return AMBER, "No target date set."

    overdue = _overdue_milestones(milestones, today)
    if overdue:
        first = overdue[0]
        reason = f"Milestone \u201c{first.title}\u201d was due on {_fmt(first.due_date)}"
        if len(overdue) > 1:
            reason += f" ({len(overdue) - 1} more overdue)"
        return AMBER, reason + " and is not done."

    days_left = (target_date - today).days
    in_window = days_left <= policy.amber_window_days
    if status == NOT_STARTED:
        if in_window:
            return AMBER, f"Not started, with {_days(days_left)} to the target date."
        return GREY, f"Not started; target date {_fmt(target_date)}."

    if in_window:
        expected = policy.expected_progress(days_left)
        if progress_percent is None:
            return AMBER, (f"{_days(days_left)} to the target date and no progress recorded.")
        if progress_percent < expected:
            return AMBER, (
                f"{_days(days_left)} to the target date and {progress_percent:g}% done; "
                f"{expected:.0f}% expected by now."
            )
    return GREEN, f"On track for the target date {_fmt(target_date)}."


def derive_rag(
    *,
    target_date: date | None,
    today: date,
    status: str,
    progress_percent: float | None = None,
    milestones: Iterable = (),
    completed_date: date | None = None,
    evidence_count: int = 0,
    override: str | None = None,
    override_reason: str = "",
    policy: RagPolicy = DEFAULT_POLICY,
) -> RagResult:
    """Return the action's RAG colour and the reason for it, by the rules in this module.

    Raise ``ValueError`` for an unknown status, a progress outside 0-100, an override colour
    that may not be set by hand, or an override without a reason.
    """
    if status not in STATUSES:
        raise ValueError(f"unknown action status {status!r}; expected one of {STATUSES}")
    if progress_percent is not None and not 0 <= progress_percent <= 100:
        raise ValueError("progress_percent must be between 0 and 100")
    if evidence_count < 0:
        raise ValueError("evidence_count cannot be negative")
    today = _as_date(today, "today")
    if today is None:
        raise TypeError("today is required")
    status = IN_PROGRESS if status == REOPENED else status
    rag, reason = _derive(
        target_date=_as_date(target_date, "target_date"),
        today=today,
        status=status,
        progress_percent=progress_percent,
        milestones=milestones,
        completed_date=_as_date(completed_date, "completed_date"),
        evidence_count=evidence_count,
        policy=policy,
    )
    if override in (None, ""):
        return RagResult(rag, reason, False, rag)
    if override not in OVERRIDE_CHOICES:
        raise ValueError(f"override must be one of {OVERRIDE_CHOICES}, not {override!r}")
    why = (override_reason or "").strip()
    if not why:
        raise ValueError("a manual RAG override needs a reason")
    if rag == BLUE:
        # Completion was evidenced and signed off; a stale override must not hide it.
        return RagResult(rag, reason, False, rag)
    return RagResult(override, f"Set by hand: {why} (rules give {rag}: {reason})", True, rag)
