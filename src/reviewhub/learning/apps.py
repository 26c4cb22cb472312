from django.apps import AppConfig


class LearningConfig(AppConfig):
    """Learning points, recommendations, the theme taxonomy and coding."""

    name = "reviewhub.learning"

    def ready(self):
        from . import search

        search.connect()
