"""The retention schedule (SECURITY.md) and the purge that applies it.

Retention dates are computed from stored dates, never stored themselves. The purge deletes what
has expired, never what is under a legal hold, and writes one audit event per record destroyed
(no content), in the same transaction as the deletion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from .models import LegalHold

DEFAULTS = {
    "case_published_years": 25,  # from publication, or until the youngest child is 25 if later
    "case_unreviewed_years": 10,  # closed without a published review: from closure
    "audit_years": 7,
    "access_attempt_days": 90,
}


def schedule() -> dict:
    """The retention periods in force: defaults, overridden by settings.REVIEWHUB_RETENTION."""
    return {**DEFAULTS, **(getattr(settings, "REVIEWHUB_RETENTION", {}) or {})}


def held(object_type: str, object_id) -> bool:
    return LegalHold.objects.filter(
        object_type=object_type, object_id=str(object_id), lifted_at__isnull=True
    ).exists()


def case_destroy_after(case) -> date | None:
    """The date after which a case's records may be destroyed, or None while it is open."""
    periods = schedule()
    if case.closed_on is None:
        return None
    review = case.review_or_none
    publication = review.publication_or_none if review else None
    if publication is not None and publication.published_on:
        until = publication.published_on + relativedelta(years=periods["case_published_years"])
        if case.incident_date:
            for child in case.children.all():
                if child.age_years is not None:
                    turns_25 = case.incident_date + relativedelta(years=25 - child.age_years)
                    until = max(until, turns_25)
        return until
    return case.closed_on + relativedelta(years=periods["case_unreviewed_years"])


@dataclass
class PurgeReport:
    cases: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    audit_events: int = 0
    access_attempts: int = 0


def purge(*, today: date | None = None, dry_run: bool = False) -> PurgeReport:
    """Destroy what the schedule says has expired; hold-covered records are skipped."""
    from reviewhub.cases.models import Case

    today = today or timezone.localdate()
    report = PurgeReport()
    for case in Case.objects.filter(closed_on__isnull=False).select_related("partnership"):
        until = case_destroy_after(case)
        if until is None or until >= today:
            continue
        if held("cases.case", case.pk):
            report.held.append(case.reference)
            continue
        report.cases.append(case.reference)
        if not dry_run:
            _destroy_case(case)
    periods = schedule()
    audit_cutoff = timezone.now() - relativedelta(years=periods["audit_years"])
    attempts_cutoff = timezone.now() - timedelta(days=periods["access_attempt_days"])
    from axes.models import AccessAttempt

    from reviewhub.audit.models import AuditEvent

    report.audit_events = AuditEvent.objects.filter(at__lt=audit_cutoff).count()
    report.access_attempts = AccessAttempt.objects.filter(attempt_time__lt=attempts_cutoff).count()
    if not dry_run:
        if report.audit_events:
            from reviewhub.audit.maintenance import audit_maintenance

            with transaction.atomic(), audit_maintenance():
                AuditEvent.objects.filter(at__lt=audit_cutoff).delete()
                audit_event_record(
                    action=AuditAction.PURGE,
                    object_type="audit.auditevent",
                    detail=f"{report.audit_events} audit events older than "
                    f"{periods['audit_years']} years destroyed",
                )
        AccessAttempt.objects.filter(attempt_time__lt=attempts_cutoff).delete()
    return report


@transaction.atomic
def _destroy_case(case) -> None:
    """Delete a case with its records and documents (files too); published learning stays,
    detached from the review, because it holds no personal data."""
    from reviewhub.documents.services import storage_dir

    review = case.review_or_none
    files = []
    if review is not None:
        review.learning_sources.update(review=None)
        for document in review.documents.all():
            files.append(storage_dir() / document.stored_name)
            audit_event_record(
                action=AuditAction.PURGE,
                obj=document,
                partnership_id=case.partnership_id,
                detail="destroyed under the retention schedule with its case",
            )
            document.delete()
    audit_event_record(
        action=AuditAction.PURGE,
        obj=case,
        partnership_id=case.partnership_id,
        detail="destroyed under the retention schedule",
    )
    case.delete()
    transaction.on_commit(lambda: [f.unlink(missing_ok=True) for f in files])
