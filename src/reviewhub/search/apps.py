from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Full-text and semantic search over learning and documents."""

    name = "reviewhub.search"
