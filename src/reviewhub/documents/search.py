"""Index document pages for search (one entry a page, full text only) and register access."""

from django.db.models.signals import post_delete
from django.urls import reverse


def visible_pks(user, pks):
    from .models import Document

    return Document.objects.restrict(user, "view").filter(pk__in=pks).values_list("pk", flat=True)


def index_document(document) -> None:
    """Replace a document's page entries with its current pages (after import or changes)."""
    from reviewhub.search.services import search_index_delete, search_index_upsert_many

    search_index_delete("document_page", document.pk)
    year = (
        document.review.completed_on.year
        if document.review_id and document.review.completed_on
        else document.uploaded_at.year
    )
    items = [
        {
            "kind": "document_page",
            "object_pk": document.pk,
            "object_id": f"{document.pk}:p{page.number}",
            "partnership_id": document.partnership_id,
            "title": f"{document.title}, page {page.number}",
            "body": page.text,
            "url": reverse("documents:page", kwargs={"pk": document.pk, "number": page.number})
            + f"#page={page.number}",
            "published": document.published,
            "year": year,
            "embed": False,
        }
        for page in document.pages.all()
        if page.text.strip()
    ]
    if items:
        search_index_upsert_many(items)


def _document_deleted(sender, instance, **kwargs):
    from reviewhub.search.services import search_index_delete

    search_index_delete("document_page", instance.pk)


def connect() -> None:
    from reviewhub.search.registry import register_kind

    from .models import Document

    register_kind("document_page", visible_pks, label="Document page")
    post_delete.connect(_document_deleted, sender=Document, dispatch_uid="document-unindex")
