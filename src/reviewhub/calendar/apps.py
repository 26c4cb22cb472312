from django.apps import AppConfig


class CalendarConfig(AppConfig):
    """Working-day arithmetic on the England-and-Wales bank-holiday calendar."""

    name = "reviewhub.calendar"

    def ready(self) -> None:
        from . import signals  # noqa: F401
