from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API over the same services and access rule."""

    name = "reviewhub.api"
