from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: consistent online backup and verified restore (`reviewhub backup|restore`),
    and the retention schedule with legal holds (`reviewhub retention`)."""

    name = "reviewhub.ops"
    verbose_name = "Operations"

    def ready(self):
        from . import checks  # noqa: F401  (registers the retention settings check)
