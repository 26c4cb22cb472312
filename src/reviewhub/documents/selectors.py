"""Reads of review documents, always through the access rule."""

from reviewhub.accounts.access import get_for_user

from .choices import FindingStatus
from .models import Document, ImportJob


def document_list(*, user, published: bool | None = None):
    qs = Document.objects.restrict(user, "view")
    if published is not None:
        qs = qs.filter(published=published)
    return qs


def document_get(*, user, pk, action: str = "view", audit: bool = True) -> Document:
    """Fetch one document the user may see (audited), or raise 404 (also audited).

    ``audit=False`` when the caller records a more specific event itself (a download), so one
    request leaves one event.
    """
    return get_for_user(Document, user, pk, action, audit=audit)


def document_open_findings(*, document: Document):
    return document.findings.filter(status=FindingStatus.OPEN)


def import_job_get(*, user, pk) -> ImportJob:
    return get_for_user(ImportJob, user, pk, "view", audit=False)


def import_job_list(*, user):
    return ImportJob.objects.restrict(user, "view")[:10]
