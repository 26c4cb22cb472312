from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Append-only audit events and the request-id middleware."""

    name = "reviewhub.audit"
    verbose_name = "Audit"

    def ready(self):
        from . import maintenance, signals  # noqa: F401  (connects receivers)
