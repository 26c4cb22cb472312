"""Choices for the search index."""

from django.db import models


class Kind(models.TextChoices):
    """What an index entry stands for. Apps register an access hook per kind (registry.py)."""

    LEARNING = "learning", "Learning point"
    BRIEFING = "briefing", "Briefing"
    DOCUMENT_PAGE = "document_page", "Document page"


# The --type filter of the page and command names these groups, not raw kinds.
TYPE_KINDS = {
    "learning": (Kind.LEARNING,),
    "briefing": (Kind.BRIEFING,),
    "document": (Kind.DOCUMENT_PAGE,),
}
