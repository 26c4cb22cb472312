"""Dashboards with charts, and the yearly report: preview, narrative and downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviewhub.accounts.access import role_required
from reviewhub.accounts.choices import Role
from reviewhub.actions import export
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from . import selectors, services
from .forms import NarrativeForm, PeriodForm, previous_financial_year
from .models import REPORT_AUTHORS
from .yearly import FORMATS
from .yearly import render as render_report
from .yearly.render import render_html

DASHBOARD_ROLES = (Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST, Role.PARTNER_LEAD)
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@require_GET
@role_required(*DASHBOARD_ROLES)
def dashboard(request):
    charts = selectors.dashboard(user=request.user, partnership=request.partnership)
    return render(request, "reports/dashboard.html", {"charts": charts})


def _period(request):
    default_from, default_to = previous_financial_year(timezone.localdate())
    data = request.GET if "date_from" in request.GET else None
    form = PeriodForm(
        data, initial={"date_from": default_from.isoformat(), "date_to": default_to.isoformat()}
    )
    if data is None:
        return form, default_from, default_to
    if form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return form, None, None


def _query(a, b) -> str:
    return f"?date_from={a.isoformat()}&date_to={b.isoformat()}"


@require_GET
@role_required(*REPORT_AUTHORS)
def yearly(request):
    """Choose the period, preview the report, and download it in each format."""
    form, a, b = _period(request)
    article = None
    if a is not None:
        report = services.yearly_report(request.partnership, a, b)
        article = render_html(report, standalone=False)
    return render(
        request,
        "reports/yearly.html",
        {
            "form": form,
            "article": article,
            "query": _query(a, b) if a else "",
            "formats": [*FORMATS, "csv"],
        },
    )


@require_GET
@role_required(*REPORT_AUTHORS)
def yearly_download(request, fmt: str):
    if fmt not in (*FORMATS, "csv"):
        raise Http404("Unknown format.")
    form, a, b = _period(request)
    if a is None:
        return render(request, "reports/yearly.html", {"form": form, "formats": []}, status=400)
    report = services.yearly_report(request.partnership, a, b)
    if fmt == "csv":
        data = export.csv_bytes(services.figure_rows(report), services.FIGURE_COLUMNS)
    else:
        data = render_report(report, fmt)
    audit_event_record(
        action=AuditAction.EXPORT, object_type="reports.yearlyreport", detail=f"yearly report {fmt}"
    )
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="yearly-report-{a.isoformat()}-{b.isoformat()}.{fmt}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@role_required(*REPORT_AUTHORS)
def yearly_narrative(request):
    """The analyst writes each section's narrative; the figures are counted afresh."""
    period, a, b = _period(request)
    if a is None:
        return render(request, "reports/yearly.html", {"form": period, "formats": []}, status=400)
    report = services.yearly_report(request.partnership, a, b)
    draft = services.draft_for(request.partnership, a, b)
    initial = dict(draft.narrative) if draft else {}
    form = NarrativeForm(request.POST or None, sections=report.sections, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.yearly_narrative_save(
                partnership=request.partnership,
                date_from=a,
                date_to=b,
                narrative=form.cleaned_data,
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "Narrative saved.")
            return redirect(reverse("reports:yearly") + _query(a, b))
    return render(
        request,
        "reports/yearly_narrative.html",
        {"form": form, "report": report, "query": _query(a, b)},
    )


@require_POST
@role_required(*REPORT_AUTHORS)
def yearly_publish(request):
    """Publish the period's report once every narrative is written and free of personal data."""
    _, a, b = _period(request)
    if a is None:
        messages.error(request, "Choose the report's period first.")
        return redirect("reports:yearly")
    try:
        services.yearly_report_publish(
            partnership=request.partnership, date_from=a, date_to=b, user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The yearly report is published; its narrative is now fixed.")
    return redirect(reverse("reports:yearly") + _query(a, b))
