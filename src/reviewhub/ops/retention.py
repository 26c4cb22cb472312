"""The retention schedule (SECURITY.md) and the purge that applies it.

Retention dates are computed from stored dates, never stored themselves. The purge deletes what
has expired, never what is under a legal hold, and writes one audit event per record destroyed
(no content), in the same transaction as the deletion.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from .models import LegalHold

logger = logging.getLogger(__name__)

DEFAULTS = {
    "case_published_years": 25,  # from publication, or until the youngest child is 25 if later
    "case_unreviewed_years": 10,  # closed without a published review: from closure
    "audit_years": 7,
    "access_attempt_days": 90,  # failed sign-ins, and axes' sign-in logs
    # The rows below: SECURITY.md "Retention schedule" gives each one's reason.
    "library_document_years": 2,  # unpublished documents of no review: from upload
    "action_completed_years": 7,  # completed actions with their evidence: from completion
    "user_disabled_years": 2,  # disabled accounts, pseudonymised: from last sign-in
    "api_token_days": 90,  # from expiry or revocation
    "session_expired_days": 0,  # from expiry
    "otp_unconfirmed_days": 1,  # authenticators whose set-up was abandoned: from creation
    "import_job_days": 90,  # bulk imports (file names, failures, staged files): from finishing
    "task_result_days": 30,  # finished background-task rows: from finishing
    "legal_hold_lifted_years": 7,  # lifted holds: from lifting
}


# Periods that may be 0 (gone as soon as expired or abandoned); every other period is at least 1,
# so a slip in the setting cannot destroy the audit log or cases the day after they close.
MAY_BE_ZERO = {"session_expired_days", "otp_unconfirmed_days"}


def schedule() -> dict:
    """The retention periods in force: defaults, overridden by settings.REVIEWHUB_RETENTION.

    The setting maps period names to whole numbers (the environment variable gives them as
    ``name=number`` pairs, so values may be strings). An unknown name or a value that is not a
    whole number of at least 1 (0 where ``MAY_BE_ZERO``) raises ImproperlyConfigured, naming it: a
    typo must not leave a default in force unnoticed, nor destroy records early.
    """
    periods = dict(DEFAULTS)
    for name, value in (getattr(settings, "REVIEWHUB_RETENTION", {}) or {}).items():
        if name not in DEFAULTS:
            raise ImproperlyConfigured(
                f"REVIEWHUB_RETENTION: unknown period {name!r}; known: {', '.join(DEFAULTS)}."
            )
        try:
            number = int(str(value).strip())
        except ValueError:
            number = -1
        least = 0 if name in MAY_BE_ZERO else 1
        if number < least:
            raise ImproperlyConfigured(
                f"REVIEWHUB_RETENTION: {name} must be a whole number of {least} or more, "
                f"not {value!r}."
            )
        periods[name] = number
    return periods


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
    # Cases going in this run: their actions are no longer retained by them.
    case_ids: list[int] = field(default_factory=list)
    # Other record types (RECORD_TYPES): record type -> ids destroyed (or that would be).
    destroyed: dict[str, list[str]] = field(default_factory=dict)
    # Technical rows purged in bulk with one summary audit event: label -> count.
    counted: dict[str, int] = field(default_factory=dict)
    # Expired, but still needed: "actions.action 7" of a case that is still retained.
    kept: list[str] = field(default_factory=list)
    # Active accounts unused for the disabled-account period: for an administrator to review.
    dormant_users: list[str] = field(default_factory=list)
    # Files whose deletion failed after the commit: "<stored name>: <reason>".
    file_errors: list[str] = field(default_factory=list)


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
        report.case_ids.append(case.pk)
        if not dry_run:
            _destroy_case(case, report)
    periods = schedule()
    audit_cutoff = _midnight(today - relativedelta(years=periods["audit_years"]))
    from reviewhub.audit.models import AuditEvent

    report.audit_events = AuditEvent.objects.filter(at__lt=audit_cutoff).count()
    if not dry_run and report.audit_events:
        from reviewhub.audit.chain import purge_events_before
        from reviewhub.audit.maintenance import audit_maintenance

        with transaction.atomic(), audit_maintenance():
            # Oldest first, by id, keeping the newest event: the hash chain stays verifiable.
            report.audit_events, anchor = purge_events_before(audit_cutoff)
            audit_event_record(
                action=AuditAction.PURGE,
                object_type="audit.auditevent",
                detail=f"{report.audit_events} audit events older than "
                f"{periods['audit_years']} years destroyed{anchor}",
            )
    purge_other_records(report, today=today, dry_run=dry_run)
    return report


@transaction.atomic
def _destroy_case(case, report: PurgeReport | None = None) -> None:
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
    unlink_on_commit(files, report)


# --- Every other record type that holds personal or case data --------------------------------
# One function per type, each destroying record by record: a transaction per record holding the
# deletion and its audit event (no content); files go only once that transaction has committed.

#: The record types below, as audit events and legal holds name them, as the purge reports them.
RECORD_TYPES = {
    "documents.document": "library document(s)",
    "actions.action": "completed action(s)",
    "actions.evidence": "evidence record(s) of those actions",
    "accounts.user": "disabled user account(s), pseudonymised (not deleted)",
    "api.apitoken": "API token(s)",
    "otp_totp.totpdevice": "authenticator(s)",
    "otp_static.staticdevice": "recovery-code set(s)",
    "documents.importjob": "bulk import record(s)",
    "django_tasks_database.dbtaskresult": "background-task row(s)",
    "ops.legalhold": "lifted legal hold(s)",
}

#: What a legal hold can cover (`reviewhub retention hold add TYPE ID`).
HOLDABLE = {
    "cases.case": "case",
    "documents.document": "library document",
    "actions.action": "action",
    "accounts.user": "user account",
}

#: Usernames of pseudonymised accounts; a space, so no account made through a form can have one.
PSEUDONYM = "former user {pk}"


def unlink_on_commit(paths, report: PurgeReport | None = None) -> None:
    """Delete files once the current transaction commits (never before, never on a rollback).

    A file that cannot be deleted is logged and listed in the report; the purge goes on, since the
    record it belonged to is already gone and the file can be removed by hand.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return

    def unlink() -> None:
        for path in paths:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                logger.error("retention: could not delete %s: %s", path, exc.strerror or exc)
                if report is not None:
                    report.file_errors.append(f"{path}: {exc.strerror or exc}")

    transaction.on_commit(unlink)


def _midnight(day: date) -> datetime:
    """The start of ``day`` in local time: whatever is stamped before it is from an earlier day."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _held_ids(object_type: str) -> set[str]:
    return set(
        LegalHold.objects.filter(object_type=object_type, lifted_at__isnull=True).values_list(
            "object_id", flat=True
        )
    )


def _note(report: PurgeReport, object_type: str, pk) -> None:
    report.destroyed.setdefault(object_type, []).append(str(pk))


def _expired_each(report, object_type, expired, *, dry_run, destroy, keep=None) -> None:
    """Destroy each record of ``expired`` not under a legal hold (nor kept by ``keep``).

    Each record is fetched again, locked, inside its own transaction, so one changed since the
    query (reopened, re-enabled, attached to a review, held) is left alone.
    """
    held_ids = _held_ids(object_type) if object_type in HOLDABLE else set()
    for obj in list(expired):
        if str(obj.pk) in held_ids:
            report.held.append(f"{object_type} {obj.pk}")
            continue
        reason = keep(obj) if keep else None
        if reason:
            report.kept.append(f"{object_type} {obj.pk} ({reason})")
            continue
        if dry_run:
            destroy(obj, report, dry_run=True)
            _note(report, object_type, obj.pk)
            continue
        with transaction.atomic():
            current = expired.select_for_update(of=("self",)).filter(pk=obj.pk).first()
            if current is None or (object_type in HOLDABLE and held(object_type, obj.pk)):
                continue
            if keep and keep(current):
                continue
            destroy(current, report, dry_run=False)
            _note(report, object_type, obj.pk)


def purge_other_records(report: PurgeReport, *, today: date, dry_run: bool = False) -> None:
    """Apply the schedule to every record type besides cases and audit events."""
    periods = schedule()
    purge_library_documents(report, today=today, periods=periods, dry_run=dry_run)
    purge_actions(report, today=today, periods=periods, dry_run=dry_run)
    purge_users(report, today=today, periods=periods, dry_run=dry_run)
    purge_api_tokens(report, today=today, periods=periods, dry_run=dry_run)
    purge_unconfirmed_authenticators(report, today=today, periods=periods, dry_run=dry_run)
    purge_import_jobs(report, today=today, periods=periods, dry_run=dry_run)
    purge_task_results(report, today=today, periods=periods, dry_run=dry_run)
    purge_lifted_holds(report, today=today, periods=periods, dry_run=dry_run)
    purge_sessions(report, today=today, periods=periods, dry_run=dry_run)
    purge_sign_in_logs(report, today=today, periods=periods, dry_run=dry_run)


def purge_library_documents(report, *, today, periods, dry_run) -> None:
    """Unpublished documents of no review (uploads and bulk imports), from their upload.

    A review's documents go with its case; a published document has passed the personal-data
    check and is kept like published learning. Pages, sections, proposals and findings go with
    the document, its search entries with it, its stored file after the commit.
    """
    from reviewhub.documents.models import Document

    cutoff = _midnight(today - relativedelta(years=periods["library_document_years"]))
    expired = Document.objects.filter(review__isnull=True, published=False, uploaded_at__lt=cutoff)
    _expired_each(report, "documents.document", expired, dry_run=dry_run, destroy=_destroy_document)


def _destroy_document(document, report, *, dry_run) -> None:
    from reviewhub.documents.services import storage_dir

    if dry_run:
        return
    audit_event_record(
        action=AuditAction.PURGE,
        obj=document,
        detail="library document destroyed under the retention schedule",
    )
    document.delete()  # its search entries go with it (documents.search, post_delete)
    unlink_on_commit([storage_dir() / Path(document.stored_name).name], report)


def purge_actions(report, *, today, periods, dry_run) -> None:
    """Completed actions with their milestones and evidence (files too), from completion.

    An action answering a recommendation of the partnership's own review is kept while that
    review's case is retained: the case file and its action plan go together. Open and reopened
    actions are never purged.
    """
    from reviewhub.actions.choices import ActionStatus
    from reviewhub.actions.models import Action

    cutoff = today - relativedelta(years=periods["action_completed_years"])
    expired = Action.objects.filter(
        status=ActionStatus.COMPLETE, completed_on__lt=cutoff
    ).select_related("recommendation__source__review")
    going = set(report.case_ids)

    def retained_by_case(action) -> str | None:
        review = action.recommendation.source.review
        if review is not None and review.case_id not in going:
            return f"its case {review.case_id} is retained"
        return None

    _expired_each(
        report,
        "actions.action",
        expired,
        dry_run=dry_run,
        destroy=_destroy_action,
        keep=retained_by_case,
    )


def _destroy_action(action, report, *, dry_run) -> None:
    from reviewhub.actions.services import evidence_dir

    evidence = list(action.evidence.all())
    for item in evidence:
        _note(report, "actions.evidence", item.pk)
    if dry_run:
        return
    files = []
    for item in evidence:
        if item.stored_name:
            files.append(evidence_dir() / Path(item.stored_name).name)
        audit_event_record(
            action=AuditAction.PURGE,
            obj=item,
            partnership_id=action.partnership_id,
            detail="destroyed under the retention schedule with its action",
        )
    audit_event_record(
        action=AuditAction.PURGE,
        obj=action,
        detail="completed action destroyed under the retention schedule",
    )
    action.delete()  # milestones and evidence cascade
    unlink_on_commit(files, report)


def purge_users(report, *, today, periods, dry_run) -> None:
    """Pseudonymise disabled accounts not signed in to (or never used) for the period.

    Accounts are never deleted: reviews, sign-offs, codes, evidence and reports refer to their
    users with PROTECT, and the SET_NULL references would lose who did what. The account keeps
    its id (which the audit events use) and becomes "former user <id>": no names, e-mail,
    password, roles, teams, tokens, authenticators or sessions. Active accounts unused for as long
    are listed for an administrator instead, never changed: only they know whether someone left.
    """
    from reviewhub.accounts.models import User

    cutoff = _midnight(today - relativedelta(years=periods["user_disabled_years"]))
    unused = Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    report.dormant_users = [
        str(pk) for pk in User.objects.filter(unused, is_active=True).values_list("pk", flat=True)
    ]
    expired = User.objects.filter(unused, is_active=False).exclude(
        username__startswith=PSEUDONYM.format(pk="")
    )
    _expired_each(report, "accounts.user", expired, dry_run=dry_run, destroy=_pseudonymise_user)


def _pseudonymise_user(user, report, *, dry_run) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from reviewhub.accounts.services import user_sessions_end

    tokens = list(user.api_tokens.all())
    devices = list(TOTPDevice.objects.filter(user=user)) + list(
        StaticDevice.objects.filter(user=user)
    )
    for token in tokens:
        _note(report, "api.apitoken", token.pk)
    for device in devices:
        _note(report, device._meta.label_lower, device.pk)
    if dry_run:
        return
    membership = user.memberships.order_by("pk").first()
    partnership_id = membership.partnership_id if membership else None
    for record in [*tokens, *devices]:
        audit_event_record(
            action=AuditAction.PURGE,
            obj=record,
            partnership_id=partnership_id,
            detail="destroyed under the retention schedule with its account",
        )
        record.delete()
    user_sessions_end(user=user)
    user.teams.clear()
    user.memberships.all().delete()
    user.username = PSEUDONYM.format(pk=user.pk)
    user.first_name = user.last_name = user.email = ""
    user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    audit_event_record(
        action=AuditAction.PURGE,
        obj=user,
        partnership_id=partnership_id,
        changed_fields=["username", "first_name", "last_name", "email", "password", "memberships"],
        detail="account pseudonymised under the retention schedule",
    )


def _purge_rows(report, object_type, expired, *, dry_run, detail, unlink=None) -> None:
    """Destroy simple rows one by one, each with its audit event (and files, via ``unlink``)."""

    def destroy(obj, report, *, dry_run) -> None:
        if dry_run:
            return
        audit_event_record(action=AuditAction.PURGE, obj=obj, detail=detail)
        files = unlink(obj) if unlink else []
        obj.delete()
        unlink_on_commit(files, report)

    _expired_each(report, object_type, expired, dry_run=dry_run, destroy=destroy)


def purge_api_tokens(report, *, today, periods, dry_run) -> None:
    """API tokens that expired or were revoked, from whichever came first."""
    from reviewhub.api.models import ApiToken

    cutoff = _midnight(today - timedelta(days=periods["api_token_days"]))
    expired = ApiToken.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff))
    _purge_rows(
        report,
        "api.apitoken",
        expired,
        dry_run=dry_run,
        detail="expired or revoked API token destroyed under the retention schedule",
    )


def purge_unconfirmed_authenticators(report, *, today, periods, dry_run) -> None:
    """Authenticators whose set-up was never confirmed: a secret nobody can use."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    cutoff = _midnight(today - timedelta(days=periods["otp_unconfirmed_days"]))
    expired = TOTPDevice.objects.filter(
        Q(created_at__lt=cutoff) | Q(created_at__isnull=True), confirmed=False
    )
    _purge_rows(
        report,
        "otp_totp.totpdevice",
        expired,
        dry_run=dry_run,
        detail="unconfirmed authenticator destroyed under the retention schedule",
    )


def purge_import_jobs(report, *, today, periods, dry_run) -> None:
    """Bulk imports (file names, failure reasons, files still staged), from their end.

    A job that never finished counts from its creation: after the period it is dead, and its
    staged uploads must not stay on disk for ever.
    """
    from reviewhub.documents.models import ImportJob
    from reviewhub.documents.services import storage_dir

    cutoff = _midnight(today - timedelta(days=periods["import_job_days"]))
    expired = ImportJob.objects.filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )

    def staged_files(job) -> list[Path]:
        staging = storage_dir() / "staging"
        return [
            staging / Path(str(item.get("stored", ""))).name
            for item in job.staged or []
            if isinstance(item, dict) and Path(str(item.get("stored", ""))).name
        ]

    _purge_rows(
        report,
        "documents.importjob",
        expired,
        dry_run=dry_run,
        detail="bulk import record destroyed under the retention schedule",
        unlink=staged_files,
    )


def purge_task_results(report, *, today, periods, dry_run) -> None:
    """Finished background-task rows: their arguments, return values and tracebacks."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = _midnight(today - timedelta(days=periods["task_result_days"]))
    expired = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=cutoff,
    )
    _purge_rows(
        report,
        "django_tasks_database.dbtaskresult",
        expired,
        dry_run=dry_run,
        detail="finished background task destroyed under the retention schedule",
    )


def purge_lifted_holds(report, *, today, periods, dry_run) -> None:
    """Legal holds lifted longer ago than the period (their reason may name people)."""
    cutoff = _midnight(today - relativedelta(years=periods["legal_hold_lifted_years"]))
    expired = LegalHold.objects.filter(lifted_at__lt=cutoff)
    _purge_rows(
        report,
        "ops.legalhold",
        expired,
        dry_run=dry_run,
        detail="lifted legal hold destroyed under the retention schedule",
    )


def _purge_bulk(report, label, expired, *, dry_run, object_type) -> None:
    """Technical rows written on every sign-in or request: one summary audit event per run.

    One event per row would make the audit log grow with what it audits; the audit-event purge
    above records itself the same way.
    """
    count = expired.count()
    report.counted[label] = count
    if dry_run or not count:
        return
    with transaction.atomic():
        deleted = expired.delete()[0]
        audit_event_record(
            action=AuditAction.PURGE,
            object_type=object_type,
            detail=f"{deleted} {label} destroyed under the retention schedule",
        )
    report.counted[label] = deleted


def purge_sessions(report, *, today, periods, dry_run) -> None:
    """Expired sessions (they name the user and the authenticator used)."""
    from django.contrib.sessions.models import Session

    cutoff = _midnight(today - timedelta(days=periods["session_expired_days"]))
    _purge_bulk(
        report,
        "expired session(s)",
        Session.objects.filter(expire_date__lt=cutoff),
        dry_run=dry_run,
        object_type="sessions.session",
    )


def purge_sign_in_logs(report, *, today, periods, dry_run) -> None:
    """axes' log of sign-ins and sign-outs (username, address, browser), as failed attempts."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = _midnight(today - timedelta(days=periods["access_attempt_days"]))
    for model, label in (
        (AccessLog, "sign-in log entries"),
        (AccessFailureLog, "failure log entries"),
        (AccessAttempt, "failed sign-in attempt record(s)"),
    ):
        _purge_bulk(
            report,
            label,
            model.objects.filter(attempt_time__lt=cutoff),
            dry_run=dry_run,
            object_type=model._meta.label_lower,
        )


class HoldRefused(ValueError):
    """A legal hold cannot be placed as asked; the message says why, for people."""


def hold_target(object_type: str, object_id: str, partnership_slug: str = ""):
    """Find the record a new legal hold is to cover: (what to call it, its partnership, its id).

    Refuses, with a message naming the problem, an unknown record type, an id that is not a
    whole number or names no record, and a review's document (its case is what to hold: the
    document goes with it). A user may belong to several partnerships: ``partnership_slug``
    chooses which one the hold is recorded under.
    """
    from reviewhub.accounts.models import Partnership, User
    from reviewhub.actions.models import Action
    from reviewhub.cases.models import Case
    from reviewhub.documents.models import Document

    if object_type not in HOLDABLE:
        raise HoldRefused(
            f"Unknown record type {object_type!r}: a hold can cover "
            + ", ".join(f"{t} ({label})" for t, label in HOLDABLE.items())
            + "."
        )
    model = {
        "cases.case": Case,
        "documents.document": Document,
        "actions.action": Action,
        "accounts.user": User,
    }[object_type]
    label = HOLDABLE[object_type]
    obj = model.objects.filter(pk=object_id).first() if object_id.isdigit() else None
    if obj is None:
        raise HoldRefused(f"No {label} with id {object_id!r} ({object_type}).")
    if object_type == "documents.document" and obj.review_id:
        raise HoldRefused(
            f"Document {obj.pk} belongs to the review of case {obj.review.case_id}: hold the "
            f"case instead (cases.case {obj.review.case_id}); its documents are kept with it."
        )
    if object_type == "accounts.user":
        partnerships = Partnership.objects.filter(memberships__user=obj).distinct()
        if partnership_slug:
            partnership = Partnership.objects.filter(slug=partnership_slug).first()
            if partnership is None:
                raise HoldRefused(f"No partnership {partnership_slug!r}.")
            if partnerships.exists() and partnership not in partnerships:
                raise HoldRefused(
                    f"User {obj.pk} has no role in {partnership_slug!r}: choose one of "
                    + ", ".join(p.slug for p in partnerships)
                    + "."
                )
        elif partnerships.count() == 1:
            partnership = partnerships.get()
        else:
            raise HoldRefused(
                f"User {obj.pk} has roles in "
                + (", ".join(p.slug for p in partnerships) or "no partnership")
                + ": say which partnership the hold is for with --partnership SLUG."
            )
        return f"{label} {obj.pk}", partnership, str(obj.pk)
    if partnership_slug and obj.partnership.slug != partnership_slug:
        raise HoldRefused(f"{label.capitalize()} {obj.pk} belongs to another partnership.")
    name = f"case {obj.reference}" if object_type == "cases.case" else f"{label} {obj.pk}"
    return name, obj.partnership, str(obj.pk)
