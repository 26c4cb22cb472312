from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: consistent online backup and verified restore (`reviewhub backup|restore`)."""

    name = "reviewhub.ops"
    verbose_name = "Operations"
