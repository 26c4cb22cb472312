from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Review documents: upload, text extraction and the personal-data check."""

    name = "reviewhub.documents"

    def ready(self):
        from . import search

        search.connect()
