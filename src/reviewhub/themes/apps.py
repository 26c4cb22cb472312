from django.apps import AppConfig


class ThemesConfig(AppConfig):
    """The theme engine: suggestion, emerging themes, evaluation."""

    name = "reviewhub.themes"
