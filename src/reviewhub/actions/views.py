"""Action plan pages: the list and chasing dashboard, one action, its edits and its evidence."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviewhub.accounts.access import Action as AccessAction
from reviewhub.accounts.access import get_for_user, has_role, role_required
from reviewhub.accounts.choices import Role
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record
from reviewhub.learning.models import Recommendation

from . import export, selectors, services
from .choices import EDITABLE_STATUSES
from .forms import (
    ActionFilterForm,
    ActionForm,
    CompleteForm,
    EditActionForm,
    EvidenceForm,
    MilestoneForm,
    ReopenForm,
)
from .models import ACTION_EDITORS, Action, Evidence, Milestone

ACTION_ROLES = (Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST, Role.PARTNER_LEAD)
EDITOR_ROLES = (Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.PARTNER_LEAD)


def _errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


@require_GET
@role_required(*ACTION_ROLES)
def action_list(request):
    """Actions of the partnership the user may see, the chasing lists, and export links."""
    form = ActionFilterForm(request.GET or None, partnership=request.partnership)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.action_list(
        user=request.user,
        partnership=request.partnership,
        agency_id=filters["agency"].pk if filters.get("agency") else None,
        open_only=bool(filters.get("open_only")),
        rag_in=(filters["rag"],) if filters.get("rag") else (),
    )
    chase = selectors.chase_for_user(user=request.user, partnership=request.partnership)
    audit_event_record(
        action=AuditAction.SEARCH,
        object_type="actions.action",
        detail="action list",
        changed_fields=sorted(k for k, v in filters.items() if v),
    )
    return render(
        request,
        "actions/action_list.html",
        {"form": form, "rows": rows, "chase": chase, "due_days": selectors.DUE_SOON_DAYS},
    )


@require_GET
@role_required(*ACTION_ROLES)
def action_export(request, fmt: str):
    """The action plan as CSV or XLSX, formula-like cells neutralised."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("Unknown format.")
    qs = (
        selectors.action_queryset()
        .restrict(request.user, AccessAction.EXPORT)
        .filter(partnership=request.partnership)
        .prefetch_related("evidence")
    )
    rows = selectors.action_plan_rows(qs)
    audit_event_record(
        action=AuditAction.EXPORT,
        object_type="actions.action",
        detail=f"action plan {fmt}, {len(rows)} rows",
    )
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        data = export.csv_bytes(rows, export.ACTION_PLAN_COLUMNS)
        ctype = "text/csv; charset=utf-8"
    else:
        data = export.write_xlsx(rows, export.ACTION_PLAN_COLUMNS, sheet_title="Action plan")
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="action-plan-{stamp}.{fmt}"'
    return response


@require_GET
@role_required(*ACTION_ROLES)
def recommendation_detail(request, pk: int):
    rec = selectors.recommendation_get(user=request.user, pk=pk)
    actions = selectors.action_queryset().restrict(request.user).filter(recommendation=rec)
    today = timezone.localdate()
    rows = [selectors.ActionRow(a, a.rag(today)) for a in actions]
    themes = sorted(
        {
            code.theme.label
            for point in rec.learning_points.prefetch_related("codes__theme")
            for code in point.codes.all()
            if code.exercise_id is None and code.is_confirmed
        }
    )
    can_add = has_role(request.user, rec.partnership_id, *ACTION_EDITORS)
    return render(
        request,
        "actions/recommendation_detail.html",
        {"rec": rec, "rows": rows, "themes": themes, "can_add": can_add},
    )


@require_http_methods(["GET", "POST"])
@role_required(*ACTION_EDITORS)
def action_create(request, pk: int):
    rec = get_for_user(Recommendation, request.user, pk, AccessAction.CHANGE, audit=False)
    form = ActionForm(request.POST or None, partnership=rec.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                recommendation=rec, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "Action added.")
            return redirect("actions:detail", pk=action.pk)
    return render(
        request, "actions/action_form.html", {"form": form, "rec": rec, "title": "Add an action"}
    )


def _detail_context(request, action):
    today = timezone.localdate()
    can_edit = (
        Action.objects.restrict(request.user, AccessAction.CHANGE).filter(pk=action.pk).exists()
    )
    sign_off = has_role(request.user, action.partnership_id, Role.BUSINESS_UNIT)
    return {
        "action": action,
        "rag": action.rag(today),
        "evidence": list(action.evidence.select_related("added_by")),
        "can_edit": can_edit,
        "can_sign_off": sign_off,
        "milestone_form": MilestoneForm(),
        "evidence_form": EvidenceForm(),
        "complete_form": CompleteForm(initial={"version": action.version}),
        "reopen_form": ReopenForm(initial={"version": action.version}),
    }


@require_GET
@role_required(*ACTION_ROLES)
def action_detail(request, pk: int):
    action = selectors.action_get(user=request.user, pk=pk)
    return render(request, "actions/action_detail.html", _detail_context(request, action))


@require_http_methods(["GET", "POST"])
@role_required(*EDITOR_ROLES)
def action_edit(request, pk: int):
    action = selectors.action_get(user=request.user, pk=pk, action=AccessAction.CHANGE)
    fixed = action.status not in EDITABLE_STATUSES
    if request.method == "POST":
        form = EditActionForm(request.POST, partnership=action.partnership, status_fixed=fixed)
    else:
        initial = {name: getattr(action, name) for name in services.EDITABLE_FIELDS}
        initial["version"] = action.version
        # The GOV.UK field template prints the value as is: give dates in the format it accepts.
        if action.target_date:
            initial["target_date"] = action.target_date.isoformat()
        form = EditActionForm(initial=initial, partnership=action.partnership, status_fixed=fixed)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.action_update(action=action, user=request.user, version=version, **data)
        except services.ConcurrentEdit as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "Action saved.")
            return redirect("actions:detail", pk=action.pk)
    return render(
        request,
        "actions/action_form.html",
        {"form": form, "rec": action.recommendation, "action": action, "title": "Edit the action"},
    )


def _post_back(request, action, form_name, form):
    ctx = _detail_context(request, action)
    ctx[form_name] = form
    return render(request, "actions/action_detail.html", ctx, status=200)


@require_POST
@role_required(*EDITOR_ROLES)
def milestone_add(request, pk: int):
    action = selectors.action_get(user=request.user, pk=pk, action=AccessAction.CHANGE)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "Milestone added.")
            return redirect("actions:detail", pk=action.pk)
    return _post_back(request, action, "milestone_form", form)


@require_POST
@role_required(*EDITOR_ROLES)
def milestone_done(request, pk: int, milestone_pk: int):
    action = selectors.action_get(user=request.user, pk=pk, action=AccessAction.CHANGE)
    milestone = get_object_or_404(Milestone, action=action, pk=milestone_pk)
    if milestone.completed_on is None:
        services.milestone_done(milestone=milestone, user=request.user)
        messages.success(request, "Milestone marked done.")
    return redirect("actions:detail", pk=action.pk)


@require_POST
@role_required(*EDITOR_ROLES)
def evidence_add(request, pk: int):
    action = selectors.action_get(user=request.user, pk=pk, action=AccessAction.CHANGE)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data.get("attachment")
        try:
            services.evidence_add(
                action=action,
                user=request.user,
                kind=form.cleaned_data["kind"],
                summary=form.cleaned_data["summary"],
                upload_name=upload.name if upload else "",
                data=upload.read() if upload else b"",
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "Evidence recorded.")
            return redirect("actions:detail", pk=action.pk)
    return _post_back(request, action, "evidence_form", form)


@require_GET
@role_required(*ACTION_ROLES)
def evidence_download(request, pk: int):
    """Serve an evidence attachment as a download (never inline), audited."""
    evidence = get_for_user(
        Evidence.objects.select_related("action"), request.user, pk, audit=False
    )
    if not evidence.stored_name:
        raise Http404("This evidence has no attachment.")
    path = services.evidence_dir() / evidence.stored_name
    if not path.is_file():
        raise Http404("The file is missing from storage.")
    audit_event_record(
        action=AuditAction.DOWNLOAD, obj=evidence, partnership_id=evidence.action.partnership_id
    )
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=evidence.original_name or evidence.stored_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@role_required(Role.BUSINESS_UNIT)
def action_complete(request, pk: int):
    action = selectors.action_get(user=request.user, pk=pk, action=AccessAction.CHANGE)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.action_complete(
                action=action,
                user=request.user,
                completed_on=form.cleaned_data.get("completed_on"),
                version=form.cleaned_data["version"],
            )
        except services.ConcurrentEdit as exc:
            form.add_error(None, exc.message)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                raise
            _errors(form, exc)
        else:
            messages.success(request, "Action signed off as complete.")
            return redirect("actions:detail", pk=action.pk)
    return _post_back(request, action, "complete_form", form)


@require_POST
@role_required(Role.BUSINESS_UNIT)
def action_reopen(request, pk: int):
    action = selectors.action_get(user=request.user, pk=pk, action=AccessAction.CHANGE)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.action_reopen(
                action=action,
                user=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except services.ConcurrentEdit as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "Action reopened.")
            return redirect("actions:detail", pk=action.pk)
    return _post_back(request, action, "reopen_form", form)


@require_http_methods(["GET", "POST"])
@role_required(Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST)
def recommendation_create(request):
    """Record a recommendation, the learning it answers and its scope; actions follow on its page."""
    from reviewhub.learning.services import recommendation_create as create

    from .forms import RecommendationForm

    form = RecommendationForm(
        request.POST or None, partnership=request.partnership, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rec = create(
            partnership=request.partnership,
            source=data["source"],
            text=data["text"],
            reference=data["reference"],
            points=list(data["learning_points"]),
            scope=data["scope"],
            user=request.user,
        )
        messages.success(request, "Recommendation recorded: add its actions below.")
        return redirect("actions:recommendation", pk=rec.pk)
    return render(request, "actions/recommendation_form.html", {"form": form})
