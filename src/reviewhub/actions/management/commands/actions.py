"""``reviewhub actions digest [--dry-run] [--today YYYY-MM-DD]``: the weekly chasing e-mail.

One e-mail per partner lead listing their agency's open actions that are overdue or due within
14 days. A scheduler (cron, systemd timer) runs it weekly; ``--dry-run`` prints who would get
what without sending.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ...digest import digest_send


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: use YYYY-MM-DD.")


class Command(BaseCommand):
    help = "Chase actions: send the weekly digest of overdue and soon-due actions."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        digest = sub.add_parser("digest", help="E-mail each partner lead their due actions.")
        digest.add_argument("--dry-run", action="store_true", help="Print, do not send.")
        digest.add_argument("--today", help="Count as of this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = _day(options["today"]) if options.get("today") else None
        sent = digest_send(today=today, dry_run=options["dry_run"])
        verb = "Would send" if options["dry_run"] else "Sent"
        for d in sent:
            self.stdout.write(
                f"{verb} to {d.user.email}: {len(d.chase.overdue)} overdue, "
                f"{len(d.chase.due_soon)} due soon"
            )
            if options["dry_run"]:
                self.stdout.write(d.body + "\n")
        self.stdout.write(f"{verb} {len(sent)} digest(s).")
