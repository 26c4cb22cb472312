"""Writes for review documents: import, candidate decisions, the personal-data check and
publication. Each write is one transaction with its audit event."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from . import extract as extraction
from . import pii
from .choices import CandidateStatus, FindingStatus, JobStatus
from .models import (
    Document,
    DocumentCandidate,
    DocumentPage,
    DocumentSection,
    ImportJob,
    PiiFinding,
)
from .sections import propose_candidates, split_sections

logger = logging.getLogger(__name__)


class PublicationRefused(Exception):
    """Publication would release personal data; the message says what remains."""


def storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class ImportResult:
    document: Document
    created: bool


def document_import(
    *, partnership, name: str, data: bytes, user=None, title: str = "", review=None
) -> ImportResult:
    """Check, extract and store one document; an identical file already held is not added again.

    Raises ``extraction.UnsupportedDocument`` (with a message for people) for a rejected file,
    including a scanned PDF without a text layer. Nothing is left behind on failure: the stored
    file is removed if the database transaction does not commit.
    """
    if review is not None and review.partnership_id != partnership.pk:
        raise extraction.UploadRejected("The review belongs to another partnership.")
    doc_type = extraction.check_upload(name, data, max_bytes=settings.REVIEWHUB_MAX_UPLOAD_BYTES)
    digest = hashlib.sha256(data).hexdigest()
    existing = Document.objects.filter(partnership=partnership, sha256=digest).first()
    if existing is not None:
        return ImportResult(existing, False)
    extracted = extraction.extract(data)
    sections = split_sections(extracted.pages, headings=extracted.headings)
    candidates = propose_candidates(sections)
    stored = extraction.storage_name(doc_type)
    path = storage_dir() / stored
    path.write_bytes(data)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                partnership=partnership,
                title=(title or Path(extraction.safe_filename(name)).stem)[:300],
                original_name=extraction.safe_filename(name),
                stored_name=stored,
                doc_type=doc_type,
                size=len(data),
                sha256=digest,
                page_count=extracted.page_count,
                uploaded_by=user,
                review=review,
            )
            DocumentPage.objects.bulk_create(
                DocumentPage(document=document, number=n, text=t) for n, t in extracted.pages
            )
            DocumentSection.objects.bulk_create(
                DocumentSection(
                    document=document,
                    order=i,
                    title=s.title[:300],
                    kind=s.kind or "",
                    level=s.level,
                    page=s.page,
                )
                for i, s in enumerate(sections)
            )
            DocumentCandidate.objects.bulk_create(
                DocumentCandidate(
                    document=document,
                    kind=c.kind,
                    title=c.title[:300],
                    text=c.text,
                    page=c.page,
                    section=c.section[:300],
                )
                for c in candidates
            )
            audit_event_record(
                action=AuditAction.CREATE, obj=document, user=user, detail="document imported"
            )
            from .search import index_document

            index_document(document)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return ImportResult(document, True)


@transaction.atomic
def document_candidate_decide(*, candidate: DocumentCandidate, accept: bool, user):
    """Accept or reject a proposed learning point or recommendation."""
    candidate.status = CandidateStatus.ACCEPTED if accept else CandidateStatus.REJECTED
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=candidate.document,
        changed_fields=["candidate.status"],
        detail=f"candidate {candidate.pk} {candidate.status}",
    )
    return candidate


def _page_of(document_text: str, offset: int) -> int:
    return document_text.count("\f", 0, offset) + 1


@transaction.atomic
def document_pii_check(*, document: Document, user=None) -> int:
    """Find personal data in the document; open findings are replaced, decisions are kept.

    Returns the number of findings that still need a decision.
    """
    text = document.text
    found = pii.check_text(text)
    overridden = {
        (f.text, f.kind) for f in document.findings.filter(status=FindingStatus.OVERRIDDEN)
    }
    document.findings.filter(status=FindingStatus.OPEN).delete()
    PiiFinding.objects.bulk_create(
        PiiFinding(
            document=document,
            start=f.start,
            end=f.end,
            text=f.text[:500],
            kind=f.kind,
            page=_page_of(text, f.start),
        )
        for f in found
        if (f.text, f.kind) not in overridden
    )
    document.pii_checked_at = timezone.now()
    document.save(update_fields=["pii_checked_at"])
    open_count = document.findings.filter(status=FindingStatus.OPEN).count()
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=document,
        changed_fields=["findings"],
        detail=f"personal-data check: {open_count} open finding(s)",
    )
    return open_count


@transaction.atomic
def document_pii_pseudonymise(*, document: Document, user) -> int:
    """Replace every open finding with a consistent pseudonym, rewriting the document's text.

    The same name becomes the same "Child A" everywhere in the document. Returns how many
    findings were replaced.
    """
    findings = list(document.findings.filter(status=FindingStatus.OPEN))
    if not findings:
        return 0
    text = document.text
    new_text, mapping = pii.pseudonymise(
        text, [pii.Finding(f.start, f.end, text[f.start : f.end], f.kind, 1.0) for f in findings]
    )
    pages = new_text.split("\f")
    for page in document.pages.all():
        if page.number - 1 < len(pages) and page.text != pages[page.number - 1]:
            page.text = pages[page.number - 1]
            page.save(update_fields=["text"])
    now = timezone.now()
    for f in findings:
        f.status = FindingStatus.PSEUDONYMISED
        f.replacement = mapping.get(f.text, "")[:100]
        f.decided_by = user
        f.decided_at = now
    PiiFinding.objects.bulk_update(findings, ["status", "replacement", "decided_by", "decided_at"])
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=document,
        changed_fields=["pages.text", "findings"],
        detail=f"{len(findings)} finding(s) replaced with pseudonyms",
    )
    from .search import index_document

    index_document(document)  # search must never show the names that were replaced
    return len(findings)


@transaction.atomic
def document_pii_override(*, finding: PiiFinding, reason: str, user) -> PiiFinding:
    """Keep a finding's text, recording why it is not personal data."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Give a reason for keeping this text.")
    finding.status = FindingStatus.OVERRIDDEN
    finding.reason = reason[:500]
    finding.decided_by = user
    finding.decided_at = timezone.now()
    finding.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=finding.document,
        changed_fields=["finding.status", "finding.reason"],
        detail=f"finding {finding.pk} kept with a reason",
    )
    return finding


def document_publish(*, document: Document, user) -> Document:
    """Publish a document, refusing while personal data remains undecided.

    The check runs again first, so text changed since the last check is checked too.
    """
    open_count = document_pii_check(document=document, user=user)
    if open_count:
        raise PublicationRefused(
            f"Publication refused: {open_count} possible item(s) of personal data need a "
            "decision. Replace them with pseudonyms, or keep each one with a reason."
        )
    with transaction.atomic():
        document.published = True
        document.published_at = timezone.now()
        document.save(update_fields=["published", "published_at"])
        audit_event_record(
            action=AuditAction.TRANSITION,
            obj=document,
            changed_fields=["published", "published_at"],
            detail="document published",
        )
        from .search import index_document

        index_document(document)
    return document


def import_job_create(*, partnership, user, files: list[tuple[str, bytes]]) -> ImportJob:
    """Stage uploaded files under generated names and queue their import as a background task."""
    from .tasks import run_import_job

    staging = storage_dir() / "staging"
    staging.mkdir(exist_ok=True)
    staged = []
    for name, data in files:
        stored = extraction.storage_name("txt").rsplit(".", 1)[0] + ".upload"
        (staging / stored).write_bytes(data)
        staged.append({"name": extraction.safe_filename(name), "stored": stored})
    with transaction.atomic():
        job = ImportJob.objects.create(
            partnership=partnership, started_by=user, total=len(staged), staged=staged
        )
        audit_event_record(
            action=AuditAction.CREATE, obj=job, detail=f"bulk import of {len(staged)} file(s)"
        )
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def import_job_run(job_id: int) -> ImportJob:
    """Import a job's staged files one by one, recording progress and failures as it goes."""
    job = ImportJob.objects.select_related("partnership", "started_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    staging = storage_dir() / "staging"
    failures = list(job.failures)
    done = job.done
    skipped = job.skipped
    for item in job.staged:
        path = staging / item["stored"]
        if not path.exists():
            continue  # imported by an earlier, interrupted run
        try:
            result = document_import(
                partnership=job.partnership,
                name=item["name"],
                data=path.read_bytes(),
                user=job.started_by,
            )
            if result.created:
                done += 1
            else:
                skipped += 1
        except extraction.UnsupportedDocument as exc:
            failures.append({"name": item["name"], "reason": str(exc)})
        except Exception:  # one bad file must not stop the rest
            logger.exception("import of a staged file failed")
            failures.append({"name": item["name"], "reason": "unexpected error (see log)"})
        path.unlink(missing_ok=True)
        ImportJob.objects.filter(pk=job.pk).update(done=done, skipped=skipped, failures=failures)
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FINISHED, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job
