"""Working-day arithmetic on the England-and-Wales bank-holiday calendar.

A working day is a Monday to Friday that is not a bank holiday in England and Wales (the
common statutory definition, e.g. FOI Act s10(6): Saturdays, Sundays, Christmas Day, Good
Friday and bank holidays under the Banking and Financial Dealings Act 1971 are excluded).

The holidays come from the ``holidays`` package (country GB, subdivision ENG), optionally
overridden year by year by a snapshot of GOV.UK's ``bank-holidays.json``, and then adjusted
by administrator-added and administrator-removed dates, because a one-off holiday can be
proclaimed at any time and the calendar must follow it without a software release.

Counting conventions (used by every statutory clock):

- ``add_working_days(d, n)`` returns the n-th working day after ``d``; ``d`` itself is day 0
  and is not counted, whether or not it is a working day. "Within 5 working days of X" means
  "on or before ``add_working_days(X, 5)``".
- ``subtract_working_days(d, n)`` mirrors it backwards: the n-th working day before ``d``.
- ``working_days_between(a, b)`` is the number of working days ``w`` with ``a < w <= b``;
  if ``b < a`` it is minus the number with ``b < w <= a``. Hence
  ``working_days_between(a, add_working_days(a, n)) == n`` for every ``a`` and ``n >= 0``.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import IO, Any

import holidays as holidays_pkg

#: GOV.UK's name for the division this product follows.
GOVUK_DIVISION = "england-and-wales"

#: Years the ``holidays`` package covers for the United Kingdom; dates outside raise ValueError
#: rather than silently treating every weekday as a working day.
MIN_YEAR = 1872
MAX_YEAR = 2100

HolidayInput = Iterable[date] | Iterable[tuple[date, str]] | Mapping[date, str]


def _normalise_holidays(items: HolidayInput, default_name: str) -> dict[date, str]:
    """Turn dates, (date, name) pairs or a date->name mapping into a date->name dict."""
    if isinstance(items, Mapping):
        pairs: Iterable[Any] = items.items()
    else:
        pairs = items
    result: dict[date, str] = {}
    for item in pairs:
        if isinstance(item, date):
            day, name = item, default_name
        else:
            day, name = item
        # datetime is a subclass of date; a time of day would break set membership.
        if not isinstance(day, date) or hasattr(day, "hour"):
            raise TypeError(f"holiday must be a datetime.date, got {day!r}")
        result[day] = str(name) if name else default_name
    return result


@dataclass(frozen=True)
class GovukSnapshot:
    """Bank holidays for one GOV.UK division, as downloaded from gov.uk/bank-holidays.json.

    The snapshot is authoritative for every year from its first to its last listed year
    (GOV.UK publishes whole years); other years fall back to the ``holidays`` package.
    """

    division: str
    events: Mapping[date, str]

    @property
    def years(self) -> range:
        """Return the years this snapshot covers."""
        if not self.events:
            return range(0)
        return range(min(self.events).year, max(self.events).year + 1)

    def holidays_in(self, year: int) -> dict[date, str]:
        """Return the listed holidays in ``year`` (date -> title)."""
        return {d: n for d, n in sorted(self.events.items()) if d.year == year}


def parse_govuk_bank_holidays(data: Mapping[str, Any], division: str = GOVUK_DIVISION):
    """Build a GovukSnapshot from the parsed JSON of gov.uk/bank-holidays.json.

    Raise ValueError naming the offending event when the file is not in GOV.UK's format, so an
    administrator refreshing the calendar learns what is wrong with the file they uploaded.
    """
    if not isinstance(data, Mapping) or division not in data:
        raise ValueError(f"no {division!r} division in the bank-holidays data")
    block = data[division]
    events = block.get("events") if isinstance(block, Mapping) else None
    if not isinstance(events, list):
        raise ValueError(f"the {division!r} division has no 'events' list")
    parsed: dict[date, str] = {}
    for index, event in enumerate(events):
        if not isinstance(event, Mapping) or "date" not in event:
            raise ValueError(f"event {index} has no date")
        try:
            day = date.fromisoformat(str(event["date"]))
        except ValueError:
            raise ValueError(f"event {index} has an invalid date: {event['date']!r}")
        parsed[day] = str(event.get("title") or "Bank holiday")
    return GovukSnapshot(division=division, events=parsed)


def load_govuk_bank_holidays(
    source: str | os.PathLike[str] | IO[str] | IO[bytes], division: str = GOVUK_DIVISION
) -> GovukSnapshot:
    """Read a downloaded bank-holidays.json (path or open file); never touch the network."""
    if hasattr(source, "read"):
        raw = source.read()  # type: ignore[union-attr]
    else:
        with open(source, "rb") as handle:
            raw = handle.read()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"bank-holidays file is not valid JSON: {exc}")
    return parse_govuk_bank_holidays(data, division)


def _package_holidays(year: int) -> dict[date, str]:
    return dict(holidays_pkg.country_holidays("GB", subdiv="ENG", years=year))


def _weekdays_through(day: date) -> int:
    """Count Mondays to Fridays from 0001-01-01 (a Monday) up to and including ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return 5 * weeks + min(rest, 5)


class WorkingCalendar:
    """England-and-Wales working days, extensible with administrator-proclaimed holidays.

    ``extra_holidays`` adds non-working days (dates, (date, name) pairs or a mapping);
    ``removed_holidays`` takes dates out (e.g. a holiday the package predicts but that was moved);
    ``snapshot`` overrides the package for the years a GOV.UK download covers. An extra date
    wins over a removed one, so a proclaimed holiday is never lost by a stale removal.
    Instances are immutable and safe to share between threads.
    """

    def __init__(
        self,
        extra_holidays: HolidayInput = (),
        removed_holidays: Iterable[date] = (),
        *,
        snapshot: GovukSnapshot | None = None,
    ) -> None:
        self._extra = _normalise_holidays(extra_holidays, "Additional bank holiday")
        self._removed = frozenset(removed_holidays)
        self._snapshot = snapshot
        self._years: dict[int, dict[date, str]] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_govuk_json(
        cls,
        source: str | os.PathLike[str] | IO[str] | IO[bytes],
        extra_holidays: HolidayInput = (),
        removed_holidays: Iterable[date] = (),
    ) -> WorkingCalendar:
        """Build a calendar from a downloaded GOV.UK bank-holidays.json file."""
        return cls(extra_holidays, removed_holidays, snapshot=load_govuk_bank_holidays(source))

    def with_holidays(
        self, extra_holidays: HolidayInput = (), removed_holidays: Iterable[date] = ()
    ) -> WorkingCalendar:
        """Return a copy with more added and removed dates (this calendar is unchanged)."""
        extra = dict(self._extra)
        extra.update(_normalise_holidays(extra_holidays, "Additional bank holiday"))
        return WorkingCalendar(
            extra, self._removed | frozenset(removed_holidays), snapshot=self._snapshot
        )

    @property
    def extra_holidays(self) -> Mapping[date, str]:
        return dict(self._extra)

    @property
    def removed_holidays(self) -> frozenset[date]:
        return self._removed

    def _year(self, year: int) -> dict[date, str]:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(
                f"year {year} is outside the supported calendar ({MIN_YEAR}-{MAX_YEAR})"
            )
        if self._snapshot is not None and year in self._snapshot.years:
            base = self._snapshot.holidays_in(year)
        else:
            base = _package_holidays(year)
        merged = {d: n for d, n in base.items() if d not in self._removed}
        merged.update({d: n for d, n in self._extra.items() if d.year == year})
        # Only weekdays matter: the package also lists e.g. a Saturday Christmas Day next to
        # its Monday substitute, and GOV.UK lists just the substitute.
        result = {d: merged[d] for d in sorted(merged) if d.weekday() < 5}
        with self._lock:
            self._years[year] = result
        return result

    def holidays_in(self, year: int) -> dict[date, str]:
        """Return the weekday bank holidays (including substitute days) of ``year``, in order."""
        return dict(self._year(year))

    def is_holiday(self, day: date) -> bool:
        """Say whether ``day`` is a bank holiday falling on a weekday."""
        return day in self._year(day.year)

    def is_working_day(self, day: date) -> bool:
        """Say whether ``day`` is a Monday to Friday that is not a bank holiday."""
        return day.weekday() < 5 and day not in self._year(day.year)

    def add_working_days(self, start: date, n: int) -> date:
        """Return the n-th working day after ``start`` (``start`` is day 0; n=0 returns it)."""
        if n < 0:
            raise ValueError("n must be zero or positive; use subtract_working_days")
        return self._step(start, n, 1)

    def subtract_working_days(self, start: date, n: int) -> date:
        """Return the n-th working day before ``start`` (``start`` is day 0; n=0 returns it)."""
        if n < 0:
            raise ValueError("n must be zero or positive; use add_working_days")
        return self._step(start, n, -1)

    def _step(self, start: date, n: int, direction: int) -> date:
        self._year(start.year)
        day = start
        one = timedelta(days=direction)
        remaining = n
        try:
            while remaining:
                day += one
                if self.is_working_day(day):
                    remaining -= 1
        except OverflowError:
            raise ValueError("the result is outside the supported calendar")
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Count working days after ``a`` up to and including ``b``; negative if ``b < a``.

        This is the count that ``add_working_days`` advances by, so a clock due on ``b`` seen on
        day ``a`` has ``working_days_between(a, b)`` working days left (0 when due today).
        """
        if b < a:
            return -self.working_days_between(b, a)
        weekdays = _weekdays_through(b) - _weekdays_through(a)
        holidays_in_range = sum(
            1 for year in range(a.year, b.year + 1) for d in self._year(year) if a < d <= b
        )
        return weekdays - holidays_in_range


@functools.cache
def default_calendar() -> WorkingCalendar:
    """Return the shared package-only calendar (no administrator changes).

    Callers that know of administrator-added holidays should build their own calendar (or use
    ``default_calendar().with_holidays(...)``) rather than mutate this one.
    """
    return WorkingCalendar()


def snapshot_differences(
    snapshot: GovukSnapshot, calendar: WorkingCalendar | None = None
) -> list[tuple[date, str, str]]:
    """List (date, in_snapshot, in_calendar) for each weekday where the two disagree.

    Use it to check the package against a fresh GOV.UK download before relying on either; the
    calendar must not itself have been built from this snapshot for the check to mean anything.
    """
    calendar = calendar or default_calendar()
    differences = []
    for year in snapshot.years:
        listed = {d: n for d, n in snapshot.holidays_in(year).items() if d.weekday() < 5}
        ours = calendar.holidays_in(year)
        for day in sorted(set(listed) | set(ours)):
            if (day in listed) != (day in ours):
                differences.append((day, listed.get(day, ""), ours.get(day, "")))
    return differences
