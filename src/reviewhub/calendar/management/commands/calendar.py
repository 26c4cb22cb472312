"""``reviewhub calendar``: working-day sums, and administrator changes to bank holidays.

reviewhub calendar add 2022-09-12 15        -> 2022-10-04
reviewhub calendar between 2022-09-12 2022-10-04  -> 15
reviewhub calendar holiday add 2026-06-08 "Proclaimed bank holiday"
reviewhub calendar holiday remove 2026-06-08
reviewhub calendar holiday list [YEAR]
"""

import argparse
import io
import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reviewhub.calendar import cli
from reviewhub.calendar.models import BankHoliday, HolidayKind
from reviewhub.calendar.selectors import working_calendar
from reviewhub.calendar.services import bank_holiday_delete, bank_holiday_set

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(text: str) -> date:
    if not _ISO.fullmatch(text or ""):
        raise CommandError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a real calendar date")


class Command(BaseCommand):
    help = (
        "Working days on the England-and-Wales calendar (add DATE N, between A B) and "
        "administrator-proclaimed holidays (holiday add DATE NAME | remove DATE | "
        "cancel DATE NAME | list [YEAR])."
    )

    def add_arguments(self, parser):
        parser.add_argument("words", nargs=argparse.REMAINDER)

    def handle(self, *args, words=(), **options):
        words = list(words)
        if words[:1] == ["holiday"]:
            return self._holiday(words[1:])
        out, err = io.StringIO(), io.StringIO()
        status = cli.main(words, calendar=working_calendar(), stdout=out, stderr=err)
        # OutputWrapper adds its own line endings.
        for line in out.getvalue().splitlines():
            self.stdout.write(line)
        if status:
            message = err.getvalue().strip().splitlines()
            raise CommandError(message[-1] if message else "usage error", returncode=status)

    def _holiday(self, words):
        verb = words[0] if words else ""
        try:
            if verb == "add" and len(words) == 3:
                holiday = bank_holiday_set(day=_date(words[1]), name=words[2])
                self.stdout.write(f"Added {holiday.date.isoformat()} {holiday.name}")
            elif verb == "cancel" and len(words) == 3:
                holiday = bank_holiday_set(
                    day=_date(words[1]), name=words[2], kind=HolidayKind.REMOVED
                )
                self.stdout.write(f"{holiday.date.isoformat()} is now a working day")
            elif verb == "remove" and len(words) == 2:
                bank_holiday_delete(day=_date(words[1]))
                self.stdout.write(f"Removed the change for {words[1]}")
            elif verb == "list" and len(words) in (1, 2):
                year = int(words[1]) if len(words) == 2 and words[1].isdigit() else None
                if len(words) == 2 and year is None:
                    raise CommandError(f"{words[1]!r} is not a year")
                if year is None:
                    for row in BankHoliday.objects.all():
                        self.stdout.write(str(row))
                else:
                    for day, name in working_calendar().holidays_in(year).items():
                        self.stdout.write(f"{day.isoformat()} {name}")
            else:
                raise CommandError(
                    "usage: reviewhub calendar holiday add DATE NAME | cancel DATE NAME | "
                    "remove DATE | list [YEAR]"
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages))
        except ValueError as exc:
            raise CommandError(str(exc))
