"""Statutory clocks of a case, computed from stored dates (never stored as derived state).

Each function takes the dates recorded on a case plus ``today`` and a working calendar, and
returns a :class:`Clock` saying when the step is due, how many working days are left (or by how
many it is overdue), and whether it was met or missed once the step happened.

Rules (see reference/domain.md, section 2):

- Serious incident notification (SIN): 5 working days from the local authority becoming aware
  (start configurable: awareness, the statutory reading, or the incident date some local
  procedures use).
- Rapid review: 15 working days, from the notification by default (configurable: awareness).
- LCSPR: 6 calendar months from the decision to initiate, or the last recorded extension.
- Publication: notice to the Panel and the Secretary of State at least 7 working days before
  publication.

Counting follows :mod:`reviewhub.calendar.workdays`: the start date is day 0, and "within N
working days of X" means on or before the N-th working day after X.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from reviewhub.calendar.workdays import WorkingCalendar, default_calendar

NOTIFICATION_WORKING_DAYS = 5
RAPID_REVIEW_WORKING_DAYS = 15
LCSPR_MONTHS = 6
PUBLICATION_NOTICE_WORKING_DAYS = 7


class ClockStatus(StrEnum):
    NOT_STARTED = "not-started"
    RUNNING = "running"
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"
    MET = "met"
    MISSED = "missed"


class NotificationStart(StrEnum):
    AWARENESS = "awareness"
    INCIDENT = "incident"


class RapidReviewStart(StrEnum):
    NOTIFICATION = "notification"
    AWARENESS = "awareness"


class LcsprStop(StrEnum):
    PUBLISHED = "published"
    COMPLETED = "completed"


#: The default reading of each conflicting rule; a deployment setting may override them.
NOTIFICATION_DEFAULT_START = NotificationStart.AWARENESS
RAPID_REVIEW_DEFAULT_START = RapidReviewStart.NOTIFICATION
LCSPR_DEFAULT_STOP = LcsprStop.PUBLISHED


class Extension(NamedTuple):
    """An agreed new target date for a review, with the reason logged for reg 14 monitoring."""

    new_due: date
    reason: str


@dataclass(frozen=True)
class Clock:
    """One statutory clock as of ``today``.

    ``start`` is the date the clock counts from (for the publication-notice clock, the
    publication date it counts back from); ``due`` the last date on which the step is on time;
    ``stopped`` the date the step happened, if it has. ``working_days_left`` is counted from
    ``today`` for a running clock and from ``stopped`` for a stopped one: positive is time in
    hand, 0 is due that day, negative is overdue (or late) by that many working days. A clock
    can be overdue with 0 working days left when today is the weekend after a Friday deadline;
    ``status`` is the authority, and ``calendar_days_left`` tells the two apart.
    """

    name: str
    rule: str
    start: date | None
    due: date | None
    stopped: date | None
    status: ClockStatus
    working_days_left: int | None
    calendar_days_left: int | None
    label: str
    original_due: date | None = None
    extensions: tuple[Extension, ...] = ()

    @property
    def is_stopped(self) -> bool:
        return self.stopped is not None


def format_date(day: date) -> str:
    """Format a date the GOV.UK way, e.g. "4 October 2022"."""
    return f"{day.day} {day:%B %Y}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _evaluate(
    *,
    name: str,
    rule: str,
    start: date | None,
    due: date | None,
    stopped: date | None,
    today: date,
    calendar: WorkingCalendar,
    due_soon_within: int,
    not_started_reason: str,
    original_due: date | None = None,
    extensions: tuple[Extension, ...] = (),
) -> Clock:
    """Work out status, days left and label from the clock's key dates."""
    if due is None:
        return Clock(
            name=name,
            rule=rule,
            start=start,
            due=None,
            stopped=stopped,
            status=ClockStatus.NOT_STARTED,
            working_days_left=None,
            calendar_days_left=None,
            label=f"Not started: {not_started_reason}",
            original_due=original_due,
            extensions=extensions,
        )
    reference = stopped if stopped is not None else today
    left = calendar.working_days_between(reference, due)
    days = (due - reference).days
    due_text = format_date(due)
    if stopped is not None:
        if stopped <= due:
            status = ClockStatus.MET
            label = f"Met on {format_date(stopped)} (due {due_text})"
        else:
            status = ClockStatus.MISSED
            late = _plural(-left, "working day") if left else _plural(-days, "calendar day")
            label = f"Missed by {late}: done {format_date(stopped)} (due {due_text})"
    elif today > due:
        status = ClockStatus.OVERDUE
        late = _plural(-left, "working day") if left else _plural(-days, "calendar day")
        label = f"Overdue by {late} (due {due_text})"
    elif left <= due_soon_within:
        status = ClockStatus.DUE_SOON
        if today == due:
            label = f"Due today ({due_text})"
        else:
            label = f"Due {due_text}: {_plural(left, 'working day')} left"
    else:
        status = ClockStatus.RUNNING
        label = f"Due {due_text}: {_plural(left, 'working day')} left"
    if original_due is not None and original_due != due:
        label += f"; extended from {format_date(original_due)}"
    return Clock(
        name=name,
        rule=rule,
        start=start,
        due=due,
        stopped=stopped,
        status=status,
        working_days_left=left,
        calendar_days_left=days,
        label=label,
        original_due=original_due,
        extensions=extensions,
    )


def notification_clock(
    awareness_date: date | None,
    notified_date: date | None,
    *,
    today: date,
    calendar: WorkingCalendar | None = None,
    start: NotificationStart | str = NOTIFICATION_DEFAULT_START,
    incident_date: date | None = None,
    due_soon_within: int = 2,
) -> Clock:
    """Return the serious-incident-notification clock: 5 working days to notify the Panel.

    The Children Act 2004 s16C duty and GOV.UK's guidance run from the local authority
    *becoming aware* of the incident, so ``start="awareness"`` is the default. Some local
    procedures (a Devon flowchart) count from the date of the incident; ``start="incident"``
    serves partnerships that follow them, which is why both dates are stored.
    """
    start = NotificationStart(start)
    if start is NotificationStart.AWARENESS:
        anchor, missing = awareness_date, "date the local authority became aware not recorded"
    else:
        anchor, missing = incident_date, "incident date not recorded"
    calendar = calendar or default_calendar()
    return _evaluate(
        name="Serious incident notification",
        rule=f"{NOTIFICATION_WORKING_DAYS} working days from {start.value}",
        start=anchor,
        due=None
        if anchor is None
        else calendar.add_working_days(anchor, NOTIFICATION_WORKING_DAYS),
        stopped=notified_date,
        today=today,
        calendar=calendar,
        due_soon_within=due_soon_within,
        not_started_reason=missing,
    )


def rapid_review_clock(
    awareness_date: date | None,
    notified_date: date | None,
    completed_date: date | None,
    *,
    today: date,
    calendar: WorkingCalendar | None = None,
    start: RapidReviewStart | str = RAPID_REVIEW_DEFAULT_START,
    due_soon_within: int = 5,
) -> Clock:
    """Return the rapid-review clock: 15 working days to complete the review.

    Count from the notification to the Panel by default. The sources disagree: Working Together
    2018 is recalled (not verified) as "within 15 working days of becoming aware of the
    incident", while the checked sources count from the notification: the Panel's process as
    quoted by Cambridgeshire ("calculated from the date that the notification was sent to the
    Panel") and Devon's flowchart (the SIN is working day 0). The notification reading is also
    the only one consistent with the rule that there is no rapid review without a notification,
    and it is the date the Panel itself holds, so its timeliness figures match ours. Because the
    awareness reading is stricter (it can only give an earlier due date), partnerships that
    follow it set ``start="awareness"``.
    """
    start = RapidReviewStart(start)
    if start is RapidReviewStart.NOTIFICATION:
        anchor, missing = notified_date, "no serious incident notification recorded"
    else:
        anchor, missing = awareness_date, "date the local authority became aware not recorded"
    calendar = calendar or default_calendar()
    return _evaluate(
        name="Rapid review",
        rule=f"{RAPID_REVIEW_WORKING_DAYS} working days from {start.value}",
        start=anchor,
        due=None
        if anchor is None
        else calendar.add_working_days(anchor, RAPID_REVIEW_WORKING_DAYS),
        stopped=completed_date,
        today=today,
        calendar=calendar,
        due_soon_within=due_soon_within,
        not_started_reason=missing,
    )


def _extensions(items: Iterable[Extension | Sequence]) -> tuple[Extension, ...]:
    result = []
    for item in items:
        extension = item if isinstance(item, Extension) else Extension(*item)
        if not isinstance(extension.new_due, date):
            raise TypeError(f"extension date must be a datetime.date, got {extension.new_due!r}")
        if not str(extension.reason or "").strip():
            raise ValueError(f"extension to {extension.new_due} has no reason")
        result.append(extension)
    return tuple(result)


def lcspr_due_date(decision_date: date) -> date:
    """Return six calendar months after the decision (31 August -> 28/29 February)."""
    return decision_date + relativedelta(months=LCSPR_MONTHS)


def lcspr_clock(
    decision_date: date | None,
    completed_date: date | None = None,
    published_date: date | None = None,
    *,
    today: date,
    extensions: Iterable[Extension | Sequence] = (),
    calendar: WorkingCalendar | None = None,
    stop: LcsprStop | str = LCSPR_DEFAULT_STOP,
    due_soon_within: int = 20,
) -> Clock:
    """Return the local child safeguarding practice review clock: 6 calendar months.

    The target is six calendar months from the decision to initiate the review (dateutil's
    month arithmetic, so 31 August gives the last day of February); if extensions were agreed,
    the last one recorded sets the target (they are taken in the order given, which should be
    the order they were agreed). Every extension must carry a reason. The clock stops on
    publication by default (Working Together: "completed and published within six months");
    ``stop="completed"`` follows the CPS's "report within 6 months" instead. A calendar-month
    target may fall on a weekend or bank holiday and is not moved: the statute counts months.
    """
    stop = LcsprStop(stop)
    agreed = _extensions(extensions)
    calendar = calendar or default_calendar()
    original = None if decision_date is None else lcspr_due_date(decision_date)
    due = agreed[-1].new_due if (agreed and original is not None) else original
    return _evaluate(
        name="Local child safeguarding practice review",
        rule=f"{LCSPR_MONTHS} months from the decision to {stop.value}",
        start=decision_date,
        due=due,
        stopped=published_date if stop is LcsprStop.PUBLISHED else completed_date,
        today=today,
        calendar=calendar,
        due_soon_within=due_soon_within,
        not_started_reason="no decision to initiate a review recorded",
        original_due=original,
        extensions=agreed,
    )


def publication_notice_due(publication_date: date, calendar: WorkingCalendar) -> date:
    """Return the last date the pre-publication copy may be sent.

    Count back from the publication date as day 0: the notice must go on or before the 7th
    working day before publication, leaving the recipients the 6 working days in between plus
    the day of sending, whether or not publication falls on a working day.
    """
    return calendar.subtract_working_days(publication_date, PUBLICATION_NOTICE_WORKING_DAYS)


def publication_notice_clock(
    notice_date: date | None,
    publication_date: date | None,
    *,
    today: date,
    calendar: WorkingCalendar | None = None,
    due_soon_within: int = 2,
) -> Clock:
    """Return the pre-publication notice clock: the copy goes at least 7 working days ahead.

    ``due`` is the latest date the copy to the Panel and the Secretary of State may be sent for
    the planned ``publication_date``; the clock is met if ``notice_date`` is on or before it.
    If the publication date moves, the due date moves with it.
    """
    calendar = calendar or default_calendar()
    return _evaluate(
        name="Pre-publication notice",
        rule=f"notice at least {PUBLICATION_NOTICE_WORKING_DAYS} working days before publication",
        start=publication_date,
        due=None
        if publication_date is None
        else publication_notice_due(publication_date, calendar),
        stopped=notice_date,
        today=today,
        calendar=calendar,
        due_soon_within=due_soon_within,
        not_started_reason="no publication date set",
    )
