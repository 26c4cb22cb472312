from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Review documents: upload, text extraction and the personal-data check."""

    name = "reviewhub.documents"
