"""Briefing pages: library, import, reading, editing, downloads, publication and reach."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviewhub.accounts.access import role_required
from reviewhub.accounts.choices import Role
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from . import selectors, services
from .choices import BriefingStatus
from .document import BriefingParseError, render_docx, render_html, render_markdown, render_pdf
from .forms import (
    AcknowledgeForm,
    BuildForm,
    EditForm,
    ImportForm,
    KeepForm,
    PublishForm,
    SevenMinuteForm,
)
from .models import AUTHORS


def _is_author(request) -> bool:
    return bool(set(request.roles) & set(AUTHORS))


@require_http_methods(["GET", "POST"])
@role_required(*Role.values)
def briefing_list(request):
    """The briefings library; authors also import a briefing file here."""
    form = ImportForm(request.POST or None, request.FILES or None) if _is_author(request) else None
    if request.method == "POST":
        if form is None:
            raise Http404("No such page.")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                briefing = services.briefing_import(
                    partnership=request.partnership,
                    data=upload.read(),
                    user=request.user,
                    source=upload.name[:100],
                )
            except BriefingParseError as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, f"Imported “{briefing}” as a draft.")
                return redirect("briefings:detail", pk=briefing.pk)
    return render(
        request,
        "briefings/list.html",
        {"briefings": selectors.briefing_list(user=request.user), "form": form},
    )


@require_GET
@role_required(*Role.values)
def briefing_detail(request, pk: int):
    briefing = selectors.briefing_get(user=request.user, pk=pk)
    services.briefing_opened(briefing=briefing, user=request.user)
    doc = services.document_of(briefing)
    delivery = selectors.briefing_delivery_for(briefing=briefing, user=request.user)
    return render(
        request,
        "briefings/detail.html",
        {
            "briefing": briefing,
            "content": render_html(doc, standalone=False),
            "is_author": _is_author(request),
            "delivery": delivery,
            "acknowledge_form": AcknowledgeForm(),
            "versions": briefing.versions.all()[:10],
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*AUTHORS)
def briefing_edit(request, pk: int):
    briefing = selectors.briefing_get(user=request.user, pk=pk, action="change")
    if briefing.status == BriefingStatus.PUBLISHED:
        messages.error(request, "A published briefing cannot be edited.")
        return redirect("briefings:detail", pk=briefing.pk)
    form = EditForm(request.POST or None, initial={"text": services.briefing_text(briefing)})
    if request.method == "POST" and form.is_valid():
        doc = form.document
        doc.kind = briefing.current.content.get("kind", doc.kind)
        version = services.briefing_version_save(
            briefing=briefing, doc=doc, user=request.user, note=form.cleaned_data["note"]
        )
        messages.success(request, f"Saved as version {version.number}.")
        return redirect("briefings:detail", pk=briefing.pk)
    return render(request, "briefings/edit.html", {"briefing": briefing, "form": form})


RENDERERS = {
    "pdf": (render_pdf, "application/pdf"),
    "docx": (
        render_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "md": (render_markdown, "text/markdown; charset=utf-8"),
    "html": (render_html, "text/html; charset=utf-8"),
}


@require_GET
@role_required(*Role.values)
def briefing_download(request, pk: int, fmt: str):
    """Download the briefing as PDF, Word, Markdown or a standalone web page (attachment)."""
    if fmt not in RENDERERS:
        raise Http404("No such format.")
    briefing = selectors.briefing_get(user=request.user, pk=pk)
    render_fn, content_type = RENDERERS[fmt]
    body = render_fn(services.document_of(briefing))
    audit_event_record(action=AuditAction.EXPORT, obj=briefing, detail=f"format {fmt}")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(briefing.title)[:80] or "briefing"}.{fmt}"'
    )
    return response


@require_http_methods(["GET", "POST"])
@role_required(*AUTHORS)
def briefing_publish(request, pk: int):
    """Check for personal data, then publish and send to the chosen agencies."""
    briefing = selectors.briefing_get(user=request.user, pk=pk, action="change")
    form = PublishForm(request.POST or None, partnership=request.partnership)
    text, findings = services.briefing_pii_findings(briefing)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.briefing_publish(
                briefing=briefing,
                user=request.user,
                agencies=form.cleaned_data["agencies"],
                teams=form.cleaned_data["teams"],
            )
        except services.PublicationRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Published, and sent to {sent} people.")
            return redirect("briefings:detail", pk=briefing.pk)
    shown = [
        {
            "finding": f,
            "before": text[max(0, f.start - 60) : f.start],
            "after": text[f.end : f.end + 60],
        }
        for f in findings
    ]
    return render(
        request,
        "briefings/publish.html",
        {"briefing": briefing, "form": form, "findings": shown},
    )


@require_POST
@role_required(*AUTHORS)
def briefing_pii_keep(request, pk: int):
    briefing = selectors.briefing_get(user=request.user, pk=pk, action="change")
    form = KeepForm(request.POST)
    if form.is_valid():
        services.briefing_pii_keep(briefing=briefing, user=request.user, **form.cleaned_data)
        messages.success(request, f"“{form.cleaned_data['text']}” is kept, with your reason.")
    else:
        messages.error(request, "Give a reason for keeping this text.")
    return redirect("briefings:publish", pk=briefing.pk)


@require_POST
@role_required(*AUTHORS)
def briefing_pseudonymise(request, pk: int):
    briefing = selectors.briefing_get(user=request.user, pk=pk, action="change")
    count = services.briefing_pseudonymise(briefing=briefing, user=request.user)
    messages.success(request, f"{count} item(s) replaced with consistent pseudonyms (new version).")
    return redirect("briefings:publish", pk=briefing.pk)


@require_POST
@role_required(*Role.values)
def briefing_acknowledge(request, pk: int):
    briefing = selectors.briefing_get(user=request.user, pk=pk)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Confirm that you have read and discussed the briefing.")
    else:
        try:
            answers = {k: form.cleaned_data[k] for k in ("thoughts", "embedding", "plans")}
            services.briefing_acknowledge(briefing=briefing, user=request.user, answers=answers)
            messages.success(request, "Thank you: your acknowledgement is recorded.")
        except services.PublicationRefused as exc:
            messages.error(request, str(exc))
    return redirect("briefings:detail", pk=briefing.pk)


@require_GET
@role_required(*AUTHORS)
def briefing_reach(request, pk: int):
    briefing = selectors.briefing_get(user=request.user, pk=pk, action="change")
    return render(
        request,
        "briefings/reach.html",
        {"briefing": briefing, "rows": selectors.briefing_reach(briefing=briefing)},
    )


@require_http_methods(["GET", "POST"])
@role_required(*AUTHORS)
def briefing_build(request):
    """Draft a thematic briefing, or a 7-minute briefing for one review, from the records."""
    form = BuildForm(
        request.POST if request.POST.get("kind") != "seven" else None,
        partnership=request.partnership,
    )
    seven = SevenMinuteForm(
        request.POST if request.POST.get("kind") == "seven" else None, user=request.user
    )
    if request.method == "POST" and request.POST.get("kind") == "seven":
        if seven.is_valid():
            briefing = services.briefing_build_seven_minute(
                review=seven.cleaned_data["review"], user=request.user
            )
            messages.success(request, "7-minute briefing drafted: edit it before publishing.")
            return redirect("briefings:detail", pk=briefing.pk)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        briefing = services.briefing_build_thematic(
            partnership=request.partnership,
            user=request.user,
            date_from=data["date_from"],
            date_to=data["date_to"],
            title=data["title"],
            review_types=data["review_types"],
            theme_ids=data["themes"],
            source_ids=[s.pk for s in data["sources"]],
        )
        themes = len(briefing.current.content["themes"])
        messages.success(request, f"Drafted with {themes} theme(s): edit it before publishing.")
        return redirect("briefings:detail", pk=briefing.pk)
    return render(request, "briefings/build.html", {"form": form, "seven": seven})
