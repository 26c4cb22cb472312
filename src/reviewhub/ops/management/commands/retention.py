"""reviewhub retention purge|hold: apply the retention schedule; place and lift legal holds."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record
from reviewhub.ops.models import LegalHold
from reviewhub.ops.retention import (
    HOLDABLE,
    RECORD_TYPES,
    HoldRefused,
    hold_target,
    purge,
    schedule,
)


class Command(BaseCommand):
    help = (
        "retention purge [--dry-run]: destroy what the retention schedule says has expired "
        "(never what is held); retention hold add TYPE ID --reason R [--partnership SLUG] | "
        "lift HOLD_ID | list."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("purge")
        p.add_argument("--dry-run", action="store_true", help="say what would go; delete nothing")
        h = sub.add_parser("hold")
        hs = h.add_subparsers(dest="hold_action", required=True)
        add = hs.add_parser("add")
        add.add_argument("object_type", help="one of: " + ", ".join(HOLDABLE))
        add.add_argument("object_id")
        add.add_argument("--reason", required=True)
        add.add_argument(
            "--partnership", default="", help="for a user with roles in several partnerships"
        )
        lift = hs.add_parser("lift")
        lift.add_argument("hold_id", type=int)
        hs.add_parser("list")

    def handle(self, *args, action, **o):
        if action == "purge":
            report = purge(dry_run=o["dry_run"])
            verb = "Would destroy" if o["dry_run"] else "Destroyed"
            self.stdout.write(f"Schedule: {schedule()}")
            self.stdout.write(
                f"{verb} {len(report.cases)} case(s){': ' + ', '.join(report.cases) if report.cases else ''}; "
                f"{report.audit_events} audit event(s)."
            )
            for object_type, label in RECORD_TYPES.items():
                ids = report.destroyed.get(object_type, [])
                self.stdout.write(
                    f"{verb} {len(ids)} {label}{': ' + ', '.join(ids) if ids else ''}."
                )
            for label, count in report.counted.items():
                self.stdout.write(f"{verb} {count} {label}.")
            if report.held:
                self.stdout.write(f"Kept under legal hold: {', '.join(report.held)}")
            if report.kept:
                self.stdout.write(f"Kept, still needed: {', '.join(report.kept)}")
            if report.dormant_users:
                self.stdout.write(
                    "Active accounts not signed in to for the disabled-account period (disable "
                    f"them if the person has left): user {', '.join(report.dormant_users)}"
                )
            if report.file_errors:
                # Reported, not fatal: the records are gone; the files can be removed by hand.
                self.stderr.write(
                    "Could not delete these files; remove them by hand:\n  "
                    + "\n  ".join(report.file_errors)
                )
            return
        return self._hold(o)

    def _hold(self, o):
        from django.utils import timezone

        if o["hold_action"] == "list":
            for hold in LegalHold.objects.filter(lifted_at__isnull=True):
                self.stdout.write(f"{hold.pk}: {hold.object_type} {hold.object_id} – {hold.reason}")
            return
        if o["hold_action"] == "add":
            try:
                name, partnership, object_id = hold_target(
                    o["object_type"].strip(), o["object_id"].strip(), o["partnership"].strip()
                )
            except HoldRefused as exc:
                raise CommandError(str(exc)) from None
            reason = o["reason"].strip()
            if not reason:
                raise CommandError("Give the reason for the hold.")
            with transaction.atomic():
                hold = LegalHold.objects.create(
                    partnership=partnership,
                    object_type=o["object_type"].strip(),
                    object_id=object_id,
                    reason=reason[:500],
                )
                audit_event_record(
                    action=AuditAction.CREATE, obj=hold, partnership_id=partnership.pk
                )
            self.stdout.write(f"Hold {hold.pk} placed on {name}.")
            return
        with transaction.atomic():  # lifted and audited together, or neither
            hold = (
                LegalHold.objects.select_for_update()
                .filter(pk=o["hold_id"], lifted_at__isnull=True)
                .first()
            )
            if hold is None:
                raise CommandError(f"No open hold {o['hold_id']}.")
            hold.lifted_at = timezone.now()
            hold.save(update_fields=["lifted_at"])
            audit_event_record(
                action=AuditAction.CHANGE,
                obj=hold,
                changed_fields=["lifted_at"],
                partnership_id=hold.partnership_id,
            )
        self.stdout.write(f"Hold {hold.pk} lifted.")
