"""API endpoints over actions: the same selectors, services, roles and access rule as the pages.

Each endpoint lets through the roles its page lets through (refusals are audited and answer 403),
then fetches the action through the access rule (an action the caller may not see or change
answers 404, audited as a denial). Writes go through ``actions.services`` only, which audit
them. Edits are optimistic like the edit page: the client sends the ``version`` it read, and a
stale one answers 409 with the page's message. A step the action's state does not allow now
(completing a complete action or one without evidence, reopening an open one) also answers 409,
with the reason. A value the schema allows but a rule it cannot state refuses (an agency that is
not an active one of the action's partnership, a completion date in the future) answers 422
naming the field. Evidence attachments are not offered here (no file upload in the API):
evidence can be recorded as a summary, and files added on the page.
"""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from reviewhub.accounts.access import Action as AccessAction
from reviewhub.accounts.access import role_required
from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import Agency
from reviewhub.actions import selectors, services
from reviewhub.actions.choices import EDITABLE_STATUSES, ActionStatus, EvidenceKind, RagOverride
from reviewhub.actions.models import ACTION_EDITORS, SIGN_OFF_ROLES, Milestone
from reviewhub.actions.rag import RAG_ORDER
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from .inputs import BodyIn, IsoDate, JsonInt, NonBlankText, QueryIn, Text
from .routers import ERRORS, ErrorOut, _partnership

router = Router(tags=["actions"])

#: The roles of the action pages (actions.views): readers, editors, sign-off.
READ_ROLES = (Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST, Role.PARTNER_LEAD)
EDIT_ROLES = (*ACTION_EDITORS, Role.PARTNER_LEAD)

READ_ERRORS = {**ERRORS, 403: ErrorOut}
WRITE_ERRORS = {**READ_ERRORS, 409: ErrorOut}

#: Free text the pages take in a text area; capped here so no request stores megabytes.
LONG_TEXT = 20_000


def _invalid(errors: dict[str, list[str]]) -> ValidationError:
    return ValidationError(
        [
            {"loc": ["body", field or "__all__"], "msg": msg, "type": "value_error"}
            for field, msgs in errors.items()
            for msg in msgs
        ]
    )


def _from_django(exc: DjangoValidationError) -> ValidationError:
    """The services' field errors, in the API's 422 shape."""
    if hasattr(exc, "error_dict"):
        return _invalid(exc.message_dict)
    return _invalid({"__all__": exc.messages})


def _run(service, **kwargs):
    """Call an actions service, turning its refusals into the API's answers: 409 for a stale
    ``version`` or a state that does not allow the step, 422 naming the field otherwise."""
    try:
        return service(**kwargs)
    except services.ConcurrentEdit as exc:
        raise HttpError(409, exc.message) from exc
    except services.ActionStateConflict as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    except DjangoValidationError as exc:
        raise _from_django(exc) from exc


# --- Output --------------------------------------------------------------------------------------


class AgencyOut(Schema):
    id: int
    name: str


class RagOut(Schema):
    rag: Literal[RAG_ORDER]  # type: ignore[valid-type]
    label: str
    reason: str
    overridden: bool
    derived: str


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: date
    completed_on: date | None
    action_version: int


class EvidenceOut(Schema):
    """What the evidence is and whether a file is attached; the file itself is never served
    here (download it from the action's page)."""

    id: int
    kind: str
    summary: str
    has_attachment: bool
    file_name: str
    added_by: str
    added_at: datetime
    action_version: int


class RecommendationOut(Schema):
    id: int
    reference: str
    text: str


class ActionOut(Schema):
    id: int
    title: str
    recommendation_id: int
    lead_agency: AgencyOut
    lead_officer: str
    target_date: date | None
    status: str
    progress_percent: int
    rag: RagOut
    overdue: bool
    version: int


class ActionDetailOut(ActionOut):
    recommendation: RecommendationOut
    description: str
    agency_response: str
    rag_override: str
    rag_override_reason: str
    completed_on: date | None
    signed_off_by: str | None
    signed_off_at: datetime | None
    reopened_reason: str
    milestones: list[MilestoneOut]
    evidence: list[EvidenceOut]
    updated_at: datetime


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _action_out(action, today: date) -> dict:
    result = action.rag(today)
    return {
        "id": action.pk,
        "title": action.title,
        "recommendation_id": action.recommendation_id,
        "lead_agency": {"id": action.lead_agency_id, "name": action.lead_agency.name},
        "lead_officer": action.lead_officer,
        "target_date": action.target_date,
        "status": action.status,
        "progress_percent": action.progress_percent,
        "rag": {
            "rag": result.rag,
            "label": result.label,
            "reason": result.reason,
            "overridden": result.overridden,
            "derived": result.derived,
        },
        "overdue": bool(
            action.status != ActionStatus.COMPLETE
            and action.target_date
            and action.target_date < today
        ),
        "version": action.version,
    }


def _milestone_out(m: Milestone, version: int) -> dict:
    return {
        "id": m.pk,
        "title": m.title,
        "due_date": m.due_date,
        "completed_on": m.completed_on,
        "action_version": version,
    }


def _evidence_out(e, version: int) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "summary": e.summary,
        "has_attachment": bool(e.stored_name),
        "file_name": e.original_name,
        "added_by": _name(e.added_by),
        "added_at": e.added_at,
        "action_version": version,
    }


def _detail_out(action) -> dict:
    rec = action.recommendation
    return {
        **_action_out(action, timezone.localdate()),
        "recommendation": {"id": rec.pk, "reference": rec.reference, "text": rec.text},
        "description": action.description,
        "agency_response": action.agency_response,
        "rag_override": action.rag_override,
        "rag_override_reason": action.rag_override_reason,
        "completed_on": action.completed_on,
        "signed_off_by": _name(action.signed_off_by) or None,
        "signed_off_at": action.signed_off_at,
        "reopened_reason": action.reopened_reason,
        "milestones": [_milestone_out(m, action.version) for m in action.milestones.all()],
        "evidence": [
            _evidence_out(e, action.version) for e in action.evidence.select_related("added_by")
        ],
        "updated_at": action.updated_at,
    }


def _reread(action, user) -> dict:
    """The action as saved, for the answer to a write (the write itself is audited), through the
    access rule: an edit that moves the action out of the caller's sight (a partner lead giving it
    to another agency) is saved, but its details are not shown back."""
    saved = selectors.action_queryset().restrict(user, AccessAction.VIEW).filter(pk=action.pk)
    found = saved.first()
    if found is None:
        raise HttpError(404, "Saved. The action is no longer one you may see.")
    return _detail_out(found)


# --- Reads ---------------------------------------------------------------------------------------


class ActionFilters(QueryIn):
    status: ActionStatus | None = None
    rag: Literal[RAG_ORDER] | None = None  # type: ignore[valid-type]
    agency: int | None = Field(None, ge=1, le=2**31 - 1, description="lead agency id")
    overdue: bool | None = Field(None, description="open and past the target date")
    open: bool | None = Field(None, description="true: leave out complete actions")
    recommendation: int | None = Field(None, ge=1, le=2**31 - 1, description="recommendation id")


@router.get(
    "/actions",
    response={200: list[ActionOut], **READ_ERRORS},
    url_name="actions",
    summary="Actions you may see (partner leads: their agency's, and those of reviews they see)",
)
@paginate(LimitOffsetPagination)
@role_required(*READ_ROLES)
def actions(request, filters: Query[ActionFilters]):
    """List the active partnership's actions through the access rule, RAG derived now; the list
    is audited as a search, like the actions page."""
    f = filters.dict()
    rows = selectors.action_list(
        user=request.user,
        partnership=_partnership(request),
        agency_id=f["agency"],
        open_only=bool(f["open"]),
        rag_in=(f["rag"],) if f["rag"] else (),
        status=f["status"] or "",
        recommendation_id=f["recommendation"],
        overdue=f["overdue"],
    )
    audit_event_record(
        action=AuditAction.SEARCH,
        object_type="actions.action",
        detail="action list (API)",
        changed_fields=sorted(k for k, v in f.items() if v is not None),
    )
    today = timezone.localdate()
    return [_action_out(row.action, today) for row in rows]


@router.get(
    "/actions/{action_id}",
    response={200: ActionDetailOut, **READ_ERRORS},
    url_name="action",
    summary="One action with its milestones, evidence (no files), RAG and version",
)
@role_required(*READ_ROLES)
def action(request, action_id: int):
    """Fetch one action through the access rule (audited view, or an audited denial and 404)."""
    return _detail_out(selectors.action_get(user=request.user, pk=action_id))


# --- Writes --------------------------------------------------------------------------------------


class ActionPatchIn(BodyIn):
    """The fields of the edit page; send only those you change, with the version you read.

    Only ``target_date`` may be null (no target); send "" to empty a text field. Fields left
    out keep their value (pydantic does not check defaults, so None marks "not sent").
    """

    version: JsonInt = Field(..., ge=1, le=2**31 - 1)
    title: NonBlankText = Field(None, max_length=300)
    description: Text = Field(None, max_length=LONG_TEXT)
    lead_agency: JsonInt = Field(
        None, ge=1, le=2**31 - 1, description="an active agency of the action's partnership"
    )
    lead_officer: Text = Field(None, max_length=200)
    target_date: IsoDate | None = None
    status: Literal[tuple(s.value for s in EDITABLE_STATUSES)] = Field(  # type: ignore
        None, description="completion and reopening have their own endpoints"
    )
    progress_percent: JsonInt = Field(None, ge=0, le=100)
    agency_response: Text = Field(None, max_length=LONG_TEXT)
    rag_override: Literal[("", *RagOverride.values)] = Field(  # type: ignore[misc]
        None, description='"" derives the RAG from the dates and progress'
    )
    rag_override_reason: Text = Field(None, max_length=LONG_TEXT)


@router.patch(
    "/actions/{action_id}",
    response={200: ActionDetailOut, **WRITE_ERRORS},
    url_name="action",  # the same address as the read: one entry in the policy table
    summary="Change an action's fields (optimistic: send the version you read)",
)
@role_required(*EDIT_ROLES)
def action_update(request, action_id: int, body: ActionPatchIn):
    """Save the sent fields through ``services.action_update``; 409 if the action changed since
    ``version`` was read. Complete and reopened actions keep their status, as on the page."""
    found = selectors.action_get(user=request.user, pk=action_id, action=AccessAction.CHANGE)
    fields = body.dict(exclude_unset=True)
    version = fields.pop("version")
    if "lead_agency" in fields:
        # As on the edit page: an active agency of the action's own partnership.
        agency = Agency.objects.filter(
            partnership_id=found.partnership_id, is_active=True, pk=fields["lead_agency"]
        ).first()
        if agency is None:
            raise _invalid({"lead_agency": ["Choose an agency of this partnership."]})
        fields["lead_agency"] = agency
    saved = _run(services.action_update, action=found, user=request.user, version=version, **fields)
    return _reread(saved, request.user)


class MilestoneIn(BodyIn):
    title: NonBlankText = Field(..., max_length=300)
    due_date: IsoDate


@router.post(
    "/actions/{action_id}/milestones",
    response={201: MilestoneOut, **WRITE_ERRORS},
    url_name="action_milestone_add",
    summary="Add a milestone to an action",
)
@role_required(*EDIT_ROLES)
def action_milestone_add(request, action_id: int, body: MilestoneIn):
    found = selectors.action_get(user=request.user, pk=action_id, action=AccessAction.CHANGE)
    milestone = _run(
        services.milestone_add,
        action=found,
        user=request.user,
        title=body.title,
        due_date=body.due_date,
    )
    return Status(201, _milestone_out(milestone, milestone.action.version))


class MilestoneDoneIn(BodyIn):
    completed_on: IsoDate | None = Field(None, description="empty for today; not in the future")


@router.post(
    "/actions/{action_id}/milestones/{milestone_id}/done",
    response={200: MilestoneOut, **WRITE_ERRORS},
    url_name="action_milestone_done",
    summary="Mark a milestone done (a milestone already done is left as it is)",
)
@role_required(*EDIT_ROLES)
def action_milestone_done(
    request, action_id: int, milestone_id: int, body: MilestoneDoneIn | None = None
):
    found = selectors.action_get(user=request.user, pk=action_id, action=AccessAction.CHANGE)
    milestone = get_object_or_404(Milestone, action=found, pk=milestone_id)
    if milestone.completed_on is None:
        _run(
            services.milestone_done,
            milestone=milestone,
            user=request.user,
            completed_on=body.completed_on if body else None,
        )
    found.refresh_from_db(fields=["version"])
    return _milestone_out(milestone, found.version)


class EvidenceIn(BodyIn):
    """Evidence of impact as a summary; attachments are added on the action's page."""

    kind: EvidenceKind
    summary: NonBlankText = Field(..., max_length=LONG_TEXT)


@router.post(
    "/actions/{action_id}/evidence",
    response={201: EvidenceOut, **WRITE_ERRORS},
    url_name="action_evidence_add",
    summary="Record evidence of impact (a summary; no file upload in the API)",
)
@role_required(*EDIT_ROLES)
def action_evidence_add(request, action_id: int, body: EvidenceIn):
    found = selectors.action_get(user=request.user, pk=action_id, action=AccessAction.CHANGE)
    evidence = _run(
        services.evidence_add,
        action=found,
        user=request.user,
        kind=body.kind,
        summary=body.summary,
    )
    return Status(201, _evidence_out(evidence, found.version))


class CompleteIn(BodyIn):
    version: JsonInt = Field(..., ge=1, le=2**31 - 1)
    completed_on: IsoDate | None = Field(None, description="empty for today; not in the future")


@router.post(
    "/actions/{action_id}/complete",
    response={200: ActionDetailOut, **WRITE_ERRORS},
    url_name="action_complete",
    summary="Sign an action off as complete (business unit; needs evidence)",
)
@role_required(*SIGN_OFF_ROLES)
def action_complete(request, action_id: int, body: CompleteIn):
    found = selectors.action_get(user=request.user, pk=action_id, action=AccessAction.CHANGE)
    _run(
        services.action_complete,
        action=found,
        user=request.user,
        completed_on=body.completed_on,
        version=body.version,
    )
    return _reread(found, request.user)


class ReopenIn(BodyIn):
    version: JsonInt = Field(..., ge=1, le=2**31 - 1)
    reason: NonBlankText = Field(..., max_length=LONG_TEXT)


@router.post(
    "/actions/{action_id}/reopen",
    response={200: ActionDetailOut, **WRITE_ERRORS},
    url_name="action_reopen",
    summary="Reopen a completed action, with the reason (business unit)",
)
@role_required(*SIGN_OFF_ROLES)
def action_reopen(request, action_id: int, body: ReopenIn):
    found = selectors.action_get(user=request.user, pk=action_id, action=AccessAction.CHANGE)
    _run(
        services.action_reopen,
        action=found,
        user=request.user,
        reason=body.reason,
        version=body.version,
    )
    return _reread(found, request.user)
