"""``reviewhub calendar``: working-day sums on the command line.

``reviewhub calendar add 2022-09-12 15`` prints 2022-10-04 (the 15th working day after the date);
``reviewhub calendar between A B`` prints the number of working days after A up to and
including B (negative when B is before A). The top-level ``reviewhub`` command passes in the
calendar that includes administrator-added holidays; run on its own, the package calendar is used.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Sequence
from datetime import date
from typing import TextIO

from reviewhub.calendar.workdays import WorkingCalendar, default_calendar

#: About 40 years of working days: far beyond any statutory clock, and small enough that a typo
#: cannot set the command counting for minutes or run off the end of the calendar.
MAX_WORKING_DAYS = 10_000

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(text: str) -> date:
    # date.fromisoformat also takes "20220912" and week dates; accept only the form we print.
    if not _ISO_DATE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a real calendar date")


def _working_day_count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of working days")
    if n < 0:
        raise argparse.ArgumentTypeError(f"{n} is negative; give zero or more working days")
    if n > MAX_WORKING_DAYS:
        raise argparse.ArgumentTypeError(f"{n} is more than {MAX_WORKING_DAYS} working days")
    return n


class _Parser(argparse.ArgumentParser):
    def exit(self, status: int = 0, message: str | None = None):
        # Report through main's return value instead of killing a host process (e.g. a test
        # runner or the top-level reviewhub command) with SystemExit.
        if message:
            self._print_message(message, sys.stderr)
        raise _ParserExit(status)


class _ParserExit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def build_parser(prog: str = "reviewhub calendar") -> argparse.ArgumentParser:
    """Return the argument parser (exposed so the top-level CLI can show its help)."""
    parser = _Parser(prog=prog, description="Working days on the England-and-Wales calendar.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    add = commands.add_parser("add", help="print the date N working days after DATE")
    add.add_argument("date", type=_iso_date, metavar="DATE", help="start date, YYYY-MM-DD")
    add.add_argument("n", type=_working_day_count, metavar="N", help="working days to add")
    between = commands.add_parser(
        "between", help="print the working days after A up to and including B"
    )
    between.add_argument("a", type=_iso_date, metavar="A", help="first date, YYYY-MM-DD")
    between.add_argument("b", type=_iso_date, metavar="B", help="second date, YYYY-MM-DD")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the calendar command and return its exit status (0 ok, 2 usage error)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
            args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except _ParserExit as stop:
        return stop.status
    calendar = calendar or default_calendar()
    try:
        if args.command == "add":
            result = calendar.add_working_days(args.date, args.n).isoformat()
        else:
            result = str(calendar.working_days_between(args.a, args.b))
    except ValueError as exc:
        print(f"{parser.prog}: error: {exc}", file=stderr)
        return 2
    print(result, file=stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
