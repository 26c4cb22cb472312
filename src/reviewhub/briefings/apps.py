from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    """Thematic and 7-minute briefings: building, rendering, dissemination."""

    name = "reviewhub.briefings"

    def ready(self):
        from . import search

        search.connect()
