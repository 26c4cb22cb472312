"""``reviewhub report yearly --from 2024-04-01 --to 2025-03-31 --format docx|pdf|html|xlsx
--out FILE [--partnership SLUG]``: the yearly report, counted from the records with the
analyst's saved narrative."""

from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reviewhub.accounts.commands import partnership_from_option
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from ...services import yearly_report
from ...yearly import FORMATS, render


def _day(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{flag} {text!r} is not a date: use YYYY-MM-DD.")


class Command(BaseCommand):
    help = "Produce reports: `report yearly` writes the yearly report."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        yearly = sub.add_parser("yearly", help="Write the yearly report for a period.")
        yearly.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        yearly.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        yearly.add_argument("--format", dest="fmt", required=True, choices=FORMATS)
        yearly.add_argument("--out", required=True, help="File to write.")
        yearly.add_argument("--partnership", help="Partnership slug (needed if several).")

    def handle(self, *args, **options):
        date_from = _day(options["date_from"], "--from")
        date_to = _day(options["date_to"], "--to")
        partnership = partnership_from_option(
            options.get("partnership"), exclude_kinds=("national",)
        )
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"{out.parent}: no such folder.")
        try:
            report = yearly_report(partnership, date_from, date_to)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        data = render(report, options["fmt"])
        out.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        audit_event_record(
            action=AuditAction.EXPORT,
            object_type="reports.yearlyreport",
            partnership_id=partnership.pk,
            detail=f"yearly report {options['fmt']}",
        )
        self.stdout.write(f"Wrote {out} ({len(data):,} bytes, {options['fmt']}).")
