from django.apps import AppConfig


class LearningConfig(AppConfig):
    """Learning points, recommendations, the theme taxonomy and coding."""

    name = "reviewhub.learning"
