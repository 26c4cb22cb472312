"""reviewhub retention purge|hold: apply the retention schedule; place and lift legal holds."""

from django.core.management.base import BaseCommand, CommandError

from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record
from reviewhub.ops.models import LegalHold
from reviewhub.ops.retention import purge, schedule


class Command(BaseCommand):
    help = (
        "retention purge [--dry-run]: destroy what the retention schedule says has expired "
        "(never what is held); retention hold add TYPE ID --reason R | lift HOLD_ID | list."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("purge")
        p.add_argument("--dry-run", action="store_true", help="say what would go; delete nothing")
        h = sub.add_parser("hold")
        hs = h.add_subparsers(dest="hold_action", required=True)
        add = hs.add_parser("add")
        add.add_argument("object_type", choices=["cases.case"])
        add.add_argument("object_id")
        add.add_argument("--reason", required=True)
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
                f"{report.audit_events} audit event(s); {report.access_attempts} old sign-in attempt(s)."
            )
            if report.held:
                self.stdout.write(f"Kept under legal hold: {', '.join(report.held)}")
            return
        return self._hold(o)

    def _hold(self, o):
        from django.utils import timezone

        from reviewhub.cases.models import Case

        if o["hold_action"] == "list":
            for hold in LegalHold.objects.filter(lifted_at__isnull=True):
                self.stdout.write(f"{hold.pk}: {hold.object_type} {hold.object_id} – {hold.reason}")
            return
        if o["hold_action"] == "add":
            case = (
                Case.objects.filter(pk=o["object_id"]).first() if o["object_id"].isdigit() else None
            )
            if case is None:
                raise CommandError(f"No case {o['object_id']}.")
            reason = o["reason"].strip()
            if not reason:
                raise CommandError("Give the reason for the hold.")
            hold = LegalHold.objects.create(
                partnership=case.partnership,
                object_type="cases.case",
                object_id=str(case.pk),
                reason=reason[:500],
            )
            audit_event_record(
                action=AuditAction.CREATE, obj=hold, partnership_id=case.partnership_id
            )
            self.stdout.write(f"Hold {hold.pk} placed on case {case.reference}.")
            return
        hold = LegalHold.objects.filter(pk=o["hold_id"], lifted_at__isnull=True).first()
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
