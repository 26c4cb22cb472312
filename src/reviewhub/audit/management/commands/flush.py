"""Django's ``flush``, allowed past the audit guard (used by the test runner between tests)."""

from django.core.management.commands.flush import Command as FlushCommand

from reviewhub.audit.maintenance import audit_maintenance


class Command(FlushCommand):
    help = FlushCommand.help + " Audit rows are removed too, under audit maintenance."

    def handle(self, **options):
        with audit_maintenance():
            return super().handle(**options)
