from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Dashboards, charts and the yearly report."""

    name = "reviewhub.reports"
