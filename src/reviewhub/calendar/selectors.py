"""The working calendar in force: the package calendar plus administrators' changes."""

import threading

from django.db.models import Count, Max

from reviewhub.calendar.workdays import WorkingCalendar, default_calendar

_lock = threading.Lock()
_cached: tuple[object, WorkingCalendar] | None = None


def _signature():
    from .models import BankHoliday

    found = BankHoliday.objects.aggregate(n=Count("id"), latest=Max("changed_at"), pks=Max("id"))
    return (found["n"], found["latest"], found["pks"])


def working_calendar() -> WorkingCalendar:
    """Return the calendar every clock uses, rebuilt when an administrator changes a holiday.

    The built calendar is cached per process; one cheap aggregate query tells whether another
    process (or this one) has changed the rows since, so a proclaimed holiday takes effect at once
    everywhere without a restart.
    """
    global _cached
    from .models import BankHoliday, HolidayKind

    signature = _signature()
    cached = _cached
    if cached is not None and cached[0] == signature:
        return cached[1]
    rows = list(BankHoliday.objects.values_list("date", "name", "kind"))
    extra = {d: n for d, n, k in rows if k == HolidayKind.ADDED}
    removed = [d for d, _n, k in rows if k == HolidayKind.REMOVED]
    calendar = default_calendar().with_holidays(extra, removed) if rows else default_calendar()
    with _lock:
        _cached = (signature, calendar)
    return calendar


def invalidate() -> None:
    """Forget the cached calendar (called when a holiday row is saved or deleted)."""
    global _cached
    with _lock:
        _cached = None
