"""The document library: upload and bulk import, reading, download, the personal-data check
and publication."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviewhub.accounts.access import role_required
from reviewhub.accounts.choices import Role
from reviewhub.audit.choices import AuditAction, Outcome
from reviewhub.audit.services import audit_event_record

from . import extract as extraction
from . import selectors, services
from .forms import CandidateDecisionForm, OverrideForm, UploadForm
from .models import DocumentCandidate, PiiFinding

EDITORS = (Role.BUSINESS_UNIT, Role.ANALYST, Role.ADMINISTRATOR)


@require_http_methods(["GET", "POST"])
@role_required(*Role.values)
def document_list(request):
    """List the documents the user may see; editors upload here (one file now, several queued)."""
    can_upload = bool(set(request.roles) & set(EDITORS))
    form = UploadForm(request.POST or None, request.FILES or None) if can_upload else None
    if request.method == "POST":
        if not can_upload:
            raise Http404("No such page.")
        if form.is_valid():
            files = form.cleaned_data["files"]
            if len(files) == 1:
                upload = files[0]
                try:
                    result = services.document_import(
                        partnership=request.partnership,
                        name=upload.name,
                        data=upload.read(),
                        user=request.user,
                    )
                except extraction.UnsupportedDocument as exc:
                    form.add_error("files", f"{extraction.safe_filename(upload.name)}: {exc}")
                else:
                    if result.created:
                        messages.success(request, f"Imported “{result.document}”.")
                    else:
                        messages.success(
                            request, f"“{result.document}” was already in the library."
                        )
                    return redirect("documents:detail", pk=result.document.pk)
            else:
                job = services.import_job_create(
                    partnership=request.partnership,
                    user=request.user,
                    files=[(f.name, f.read()) for f in files],
                )
                return redirect("documents:job", pk=job.pk)
    documents = selectors.document_list(user=request.user)
    return render(
        request,
        "documents/list.html",
        {
            "documents": documents,
            "form": form,
            "jobs": selectors.import_job_list(user=request.user) if can_upload else [],
        },
    )


@require_GET
@role_required(*Role.values)
def document_detail(request, pk: int):
    document = selectors.document_get(user=request.user, pk=pk)
    can_edit = bool(set(request.roles) & set(EDITORS))
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "sections": document.sections.all(),
            "candidates": document.candidates.all() if can_edit else [],
            "open_findings": selectors.document_open_findings(document=document).count(),
            "can_edit": can_edit,
        },
    )


@require_GET
@role_required(*Role.values)
def document_page(request, pk: int, number: int):
    """Show one page's text (search results link here)."""
    document = selectors.document_get(user=request.user, pk=pk)
    page = get_object_or_404(document.pages, number=number)
    return render(request, "documents/page.html", {"document": document, "page": page})


@require_GET
@role_required(*Role.values)
def document_download(request, pk: int):
    """Serve the stored file as an attachment, never as a page (ASVS 3.2.1); audited once, as
    a download."""
    document = selectors.document_get(user=request.user, pk=pk, audit=False)
    path = services.storage_dir() / document.stored_name
    if not path.is_file():
        audit_event_record(
            action=AuditAction.DOWNLOAD,
            obj=document,
            outcome=Outcome.FAILURE,
            detail="the file is missing from storage",
        )
        raise Http404("The file is missing from storage.")
    audit_event_record(action=AuditAction.DOWNLOAD, obj=document)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@role_required(*EDITORS)
def candidate_decide(request, pk: int, candidate_pk: int):
    document = selectors.document_get(user=request.user, pk=pk, action="change")
    candidate = get_object_or_404(DocumentCandidate, document=document, pk=candidate_pk)
    form = CandidateDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose accept or reject.")
    else:
        services.document_candidate_decide(
            candidate=candidate, accept=form.cleaned_data["decision"] == "accept", user=request.user
        )
    return redirect("documents:detail", pk=document.pk)


@require_GET
@role_required(*EDITORS)
def document_pii(request, pk: int):
    """Show each personal-data finding in context, with what to do about it."""
    document = selectors.document_get(user=request.user, pk=pk, action="change")
    text = document.text
    findings = []
    for f in document.findings.all():
        before = text[max(0, f.start - 60) : f.start].replace("\f", " ")
        after = text[f.end : f.end + 60].replace("\f", " ")
        findings.append({"finding": f, "before": before, "after": after})
    return render(
        request,
        "documents/pii.html",
        {"document": document, "findings": findings, "override_form": OverrideForm()},
    )


@require_POST
@role_required(*EDITORS)
def document_pii_check(request, pk: int):
    document = selectors.document_get(user=request.user, pk=pk, action="change")
    open_count = services.document_pii_check(document=document, user=request.user)
    messages.success(request, f"Check finished: {open_count} finding(s) need a decision.")
    return redirect("documents:pii", pk=document.pk)


@require_POST
@role_required(*EDITORS)
def document_pii_pseudonymise(request, pk: int):
    document = selectors.document_get(user=request.user, pk=pk, action="change")
    count = services.document_pii_pseudonymise(document=document, user=request.user)
    messages.success(request, f"{count} finding(s) replaced with consistent pseudonyms.")
    return redirect("documents:pii", pk=document.pk)


@require_POST
@role_required(*EDITORS)
def document_pii_override(request, pk: int, finding_pk: int):
    document = selectors.document_get(user=request.user, pk=pk, action="change")
    finding = get_object_or_404(PiiFinding, document=document, pk=finding_pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        services.document_pii_override(
            finding=finding, reason=form.cleaned_data["reason"], user=request.user
        )
        messages.success(request, f"“{finding.text}” is kept, with your reason recorded.")
    else:
        messages.error(request, "Give a reason for keeping this text.")
    return redirect("documents:pii", pk=document.pk)


@require_POST
@role_required(*EDITORS)
def document_publish(request, pk: int):
    document = selectors.document_get(user=request.user, pk=pk, action="change")
    try:
        services.document_publish(document=document, user=request.user)
    except services.PublicationRefused as exc:
        messages.error(request, str(exc))
        return redirect("documents:pii", pk=document.pk)
    messages.success(request, f"“{document}” is published.")
    return redirect("documents:detail", pk=document.pk)


@require_GET
@role_required(*EDITORS)
def import_job(request, pk: int):
    """Show a bulk import's progress; the page refreshes itself until the job finishes."""
    job = selectors.import_job_get(user=request.user, pk=pk)
    template = "documents/_job.html" if request.htmx else "documents/job.html"
    return render(request, template, {"job": job})
