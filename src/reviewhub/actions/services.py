"""Writes to actions, each in one transaction with its audit event.

Edits are optimistic: the form carries the action's ``version`` and the update is
``UPDATE ... WHERE pk = ? AND version = ?``; when someone else saved in between, no row
matches and the edit is refused (``ConcurrentEdit``) instead of silently overwriting theirs.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reviewhub.accounts.access import has_role
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record
from reviewhub.documents.extract import UploadRejected, check_upload, safe_filename, storage_name

from .choices import EDITABLE_STATUSES, ActionStatus
from .models import SIGN_OFF_ROLES, Action, Evidence, Milestone

CONCURRENT_MESSAGE = "This action was changed by someone else since you opened it: reload the page."

#: Fields an edit may change (completion and reopening have their own services).
EDITABLE_FIELDS = (
    "title",
    "description",
    "lead_agency",
    "lead_officer",
    "target_date",
    "status",
    "progress_percent",
    "agency_response",
    "rag_override",
    "rag_override_reason",
)


class ConcurrentEdit(Exception):
    """Someone else saved the action after this editor opened it."""

    def __init__(self, message: str = CONCURRENT_MESSAGE):
        super().__init__(message)
        self.message = message


class ActionStateConflict(ValidationError):
    """The action's state does not allow this step now: it is already complete, not complete,
    or has no evidence yet. A ``ValidationError``, so the pages show it as a form error; the
    API answers 409 (the same request may succeed once the action's state changes)."""


def evidence_dir():
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.MEDIA_ROOT) / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic
def action_create(*, recommendation, user, **fields) -> Action:
    """Record a new action under a recommendation (partnership taken from it)."""
    status = fields.get("status", ActionStatus.NOT_STARTED)
    if status not in EDITABLE_STATUSES:
        raise ValidationError({"status": "A new action starts not started or in progress."})
    action = Action(recommendation=recommendation, partnership=recommendation.partnership, **fields)
    action.full_clean()
    action.save()
    audit_event_record(action=AuditAction.CREATE, obj=action, user=user)
    return action


@transaction.atomic
def action_update(*, action: Action, user, version: int, **fields) -> Action:
    """Save an edit made from ``version``; refuse it if the action changed since then."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    current = Action.objects.select_for_update().get(pk=action.pk)
    if current.version != version:
        raise ConcurrentEdit()
    new_status = fields.get("status", current.status)
    if new_status != current.status and (
        new_status not in EDITABLE_STATUSES or current.status not in EDITABLE_STATUSES
    ):
        raise ValidationError(
            {"status": "Completion and reopening are done with their own buttons."}
        )
    if not fields.get("rag_override", current.rag_override):
        fields["rag_override_reason"] = ""
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    if not changed:
        return current
    values = {name: getattr(current, name) for name in changed}
    rows = Action.objects.filter(pk=current.pk, version=version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if rows == 0:
        raise ConcurrentEdit()
    current.refresh_from_db()
    audit_event_record(action=AuditAction.CHANGE, obj=current, user=user, changed_fields=changed)
    return current


def _bump(action: Action, version: int | None, **values) -> Action:
    filters = {"pk": action.pk}
    if version is not None:
        filters["version"] = version
    rows = Action.objects.filter(**filters).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if rows == 0:
        raise ConcurrentEdit()
    action.refresh_from_db()
    return action


@transaction.atomic
def action_complete(
    *, action: Action, user, completed_on: date | None = None, version: int | None = None
) -> Action:
    """Sign off an action as complete: the business unit only, and only with evidence."""
    if not has_role(user, action.partnership_id, *SIGN_OFF_ROLES):
        raise PermissionDenied("Only the business unit signs off completion.")
    if action.status == ActionStatus.COMPLETE:
        raise ActionStateConflict("The action is already complete.")
    if not action.evidence.exists():
        raise ActionStateConflict(
            "Record evidence of impact before signing the action off as complete."
        )
    today = timezone.localdate()
    completed_on = completed_on or today
    if completed_on > today:
        raise ValidationError({"completed_on": "The completion date cannot be in the future."})
    _bump(
        action,
        version,
        status=ActionStatus.COMPLETE,
        completed_on=completed_on,
        progress_percent=100,
        signed_off_by=user,
        signed_off_at=timezone.now(),
    )
    audit_event_record(
        action=AuditAction.TRANSITION,
        obj=action,
        user=user,
        changed_fields=["status", "completed_on", "signed_off_by", "signed_off_at"],
        detail="completed and signed off",
    )
    return action


@transaction.atomic
def action_reopen(*, action: Action, user, reason: str, version: int | None = None) -> Action:
    """Reopen a completed action, with a reason; the sign-off is cleared and the change audited."""
    if not has_role(user, action.partnership_id, *SIGN_OFF_ROLES):
        raise PermissionDenied("Only the business unit reopens an action.")
    if action.status != ActionStatus.COMPLETE:
        raise ActionStateConflict("Only a completed action can be reopened.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason for reopening the action."})
    _bump(
        action,
        version,
        status=ActionStatus.REOPENED,
        completed_on=None,
        signed_off_by=None,
        signed_off_at=None,
        reopened_reason=reason.strip(),
    )
    audit_event_record(
        action=AuditAction.TRANSITION,
        obj=action,
        user=user,
        changed_fields=["status", "completed_on", "signed_off_by", "reopened_reason"],
        detail="reopened",
    )
    return action


@transaction.atomic
def milestone_add(*, action: Action, user, title: str, due_date: date) -> Milestone:
    milestone = Milestone(action=action, title=title, due_date=due_date)
    milestone.full_clean()
    milestone.save()
    _bump(action, None)
    audit_event_record(
        action=AuditAction.CREATE, obj=milestone, user=user, partnership_id=action.partnership_id
    )
    return milestone


@transaction.atomic
def milestone_done(*, milestone: Milestone, user, completed_on: date | None = None) -> Milestone:
    today = timezone.localdate()
    completed_on = completed_on or today
    if completed_on > today:
        raise ValidationError({"completed_on": "The date cannot be in the future."})
    milestone.completed_on = completed_on
    milestone.save(update_fields=["completed_on"])
    _bump(milestone.action, None)
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=milestone,
        user=user,
        changed_fields=["completed_on"],
        partnership_id=milestone.action.partnership_id,
    )
    return milestone


@transaction.atomic
def evidence_add(
    *, action: Action, user, kind: str, summary: str, upload_name: str = "", data: bytes = b""
) -> Evidence:
    """Record evidence of impact, storing an attachment (checked by content) under a new name."""
    evidence = Evidence(action=action, kind=kind, summary=summary, added_by=user)
    evidence.full_clean(exclude=["stored_name", "original_name"])
    if data:
        try:
            doc_type = check_upload(upload_name, data)
        except UploadRejected as exc:
            raise ValidationError({"attachment": str(exc)}) from exc
        evidence.original_name = safe_filename(upload_name)
        evidence.stored_name = storage_name(doc_type)
        (evidence_dir() / evidence.stored_name).write_bytes(data)
    evidence.save()
    _bump(action, None)
    audit_event_record(
        action=AuditAction.CREATE,
        obj=evidence,
        user=user,
        partnership_id=action.partnership_id,
        changed_fields=["kind", "summary"] + (["attachment"] if data else []),
    )
    return evidence
