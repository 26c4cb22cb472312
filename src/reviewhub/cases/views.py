"""Case register pages: the register, the due-soon dashboard, the case page and one form per step.

Views are thin: they parse the request, call a selector or an action, and render.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from reviewhub.accounts.access import Action, get_for_user, role_required
from reviewhub.accounts.choices import Role
from reviewhub.audit.choices import AuditAction, Outcome
from reviewhub.audit.services import audit_event_record

from . import selectors, services
from .actions import ACTIONS, ActionRefused, available_actions, next_statutory_step
from .eligibility import notification_eligibility
from .forms import STEP_FORMS, CaseEditForm, CaseForm, RegisterFilterForm
from .models import STAFF_ROLES

REGISTER_ROLES = (*STAFF_ROLES, Role.PARTNER_LEAD, Role.REVIEWER, Role.ANALYST)


@require_GET
@role_required(*REGISTER_ROLES)
def case_list(request):
    """The case register: every case the user may see, with filters and clock status."""
    form = RegisterFilterForm(request.GET or None, partnership=request.partnership)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.case_list(
        user=request.user,
        partnership=request.partnership,
        stage=filters.get("stage") or "",
        review_type=filters.get("review_type") or "",
        year=filters.get("year"),
        overdue=bool(filters.get("overdue")),
        agency_id=filters["agency"].pk if filters.get("agency") else None,
        abuse_category=filters.get("abuse_category") or "",
    )
    audit_event_record(
        action=AuditAction.SEARCH,
        object_type="cases.case",
        detail="case register",
        changed_fields=sorted(k for k, v in filters.items() if v),
    )
    can_create = bool(set(STAFF_ROLES) & set(request.roles))
    return render(
        request,
        "cases/case_list.html",
        {"form": form, "rows": rows, "can_create": can_create},
    )


@require_GET
@role_required(*STAFF_ROLES)
def due_soon(request):
    """What is overdue or due in the next 10 working days, for the business unit; a list of
    case records, audited as a search like the register."""
    items = selectors.due_soon(user=request.user, partnership=request.partnership)
    audit_event_record(action=AuditAction.SEARCH, object_type="cases.case", detail="due soon")
    return render(request, "cases/due_soon.html", {"items": items})


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def case_create(request):
    """Open a case."""
    form = CaseForm(request.POST or None, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agencies = list(data.pop("agencies") or [])
        categories = list(data.pop("abuse_categories") or [])
        try:
            case = services.case_create(
                partnership=request.partnership,
                user=request.user,
                agencies=agencies,
                abuse_categories=categories,
                **data,
            )
        except ActionRefused as refused:
            raise PermissionDenied(refused.failures[0])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Case {case.reference} opened.")
            return redirect(case)
    return render(request, "cases/case_form.html", {"form": form})


@require_GET
@role_required(*REGISTER_ROLES)
def case_detail(request, pk: int):
    """The case page: records, clocks, timeline and the next steps; every view is audited."""
    case = selectors.case_get(user=request.user, pk=pk)
    steps = available_actions(case, request.user)
    notification = case.notification_or_none
    next_step, blocked_by = next_statutory_step(case, request.user)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "clocks": selectors.case_clocks(case),
            "timeline": selectors.case_timeline(case),
            "history": selectors.case_history(case),
            "steps": steps,
            "next_step": next_step,
            "blocked_by": blocked_by,
            "today": timezone.localdate(),
            "eligibility": notification_eligibility(notification) if notification else None,
            "can_edit": not case.closed_on and bool(set(STAFF_ROLES) & set(request.roles)),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def case_edit(request, pk: int):
    """Change a case's basic details; audited with the changed field names only."""
    case = get_for_user(selectors.case_queryset(), request.user, pk, Action.CHANGE, audit=False)
    refusals = []
    if case.closed_on:
        refusals = ["The case is closed: its details cannot be changed."]
    form = CaseEditForm(request.POST if request.method == "POST" else None, instance=case)
    if request.method == "GET":
        audit_event_record(action=AuditAction.VIEW, obj=case, detail="edit form")
    if request.method == "POST" and not refusals and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            changed = services.case_update(
                case=case,
                user=request.user,
                agencies=list(data.pop("agencies") or []),
                abuse_categories=list(data.pop("abuse_categories") or []),
                **data,
            )
        except ActionRefused as refused:
            refusals = refused.failures
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(
                request, "Case details changed." if changed else "Nothing was changed."
            )
            return redirect(case)
    return render(
        request, "cases/case_edit.html", {"case": case, "form": form, "refusals": refusals}
    )


def step_view(code: str):
    """Build the view for one statutory step (see actions.ACTIONS)."""
    action_class = ACTIONS[code]
    form_class = STEP_FORMS[code]

    @require_http_methods(["GET", "POST"])
    @role_required(*action_class.roles)
    def view(request, pk: int):
        # The case must be visible to the user (404 otherwise, audited); the action decides
        # whether they may change it.
        case = get_for_user(selectors.case_queryset(), request.user, pk, Action.VIEW, audit=False)
        action = action_class(case, request.user)
        if not action.is_permitted():
            audit_event_record(
                action=AuditAction.DENIED,
                obj=case,
                outcome=Outcome.DENIED,
                detail=f"{code} refused",
            )
            raise PermissionDenied(action.permission_text)
        if request.method == "GET":
            audit_event_record(action=AuditAction.VIEW, obj=case, detail=f"{code} form")
        failures = action.check()
        form = None
        if not failures:
            form = form_class(
                request.POST if request.method == "POST" else None,
                instance=action.new_record(),
                action=action,
            )
            if request.method == "POST" and form.is_valid():
                try:
                    services.case_step(
                        case=case, user=request.user, code=code, record=form.instance
                    )
                except ActionRefused as refused:
                    failures = refused.failures
                except ValidationError as exc:
                    _attach(form, exc)
                else:
                    messages.success(request, f"{action.label}: done.")
                    return redirect(case)
        return render(
            request,
            "cases/step_form.html",
            {"case": case, "action": action, "form": form, "failures": failures},
        )

    view.__name__ = f"step_{code.replace('-', '_')}"
    return view


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
