from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Incidents, notifications, rapid reviews, decisions, reviews and publication; statutory clocks."""

    name = "reviewhub.cases"
