"""Writes for reports: the analyst's narrative; and the yearly report assembled for rendering."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from .models import YearlyReportDraft
from .selectors import yearly_figures
from .yearly import SECTION_KEYS, YearlyReport, build_yearly_report

#: Longest narrative accepted for one section.
MAX_SECTION_CHARS = 20_000


def check_period(date_from: date, date_to: date) -> None:
    if date_to < date_from:
        raise ValidationError({"date_to": "The end of the period must be on or after its start."})
    if (date_to - date_from).days > 731:
        raise ValidationError({"date_to": "A yearly report covers at most two years."})


def draft_for(partnership, date_from: date, date_to: date) -> YearlyReportDraft | None:
    return YearlyReportDraft.objects.filter(
        partnership=partnership, period_from=date_from, period_to=date_to
    ).first()


@transaction.atomic
def yearly_narrative_save(
    *, partnership, date_from: date, date_to: date, narrative: dict[str, str], user
) -> YearlyReportDraft:
    """Save the analyst's narrative for the period's report (one draft per period)."""
    check_period(date_from, date_to)
    allowed = set(SECTION_KEYS["adults" if partnership.kind == "adults" else "children"])
    unknown = set(narrative) - allowed
    if unknown:
        raise ValidationError(f"Unknown report sections: {', '.join(sorted(unknown))}.")
    for key, text in narrative.items():
        if len(text) > MAX_SECTION_CHARS:
            raise ValidationError({key: f"Keep each section under {MAX_SECTION_CHARS} characters."})
    draft, created = YearlyReportDraft.objects.get_or_create(
        partnership=partnership, period_from=date_from, period_to=date_to
    )
    if draft.published_at is not None:
        raise ValidationError(
            "This yearly report is published: its narrative can no longer change."
        )
    before = dict(draft.narrative)
    clean = {k: v.strip() for k, v in narrative.items() if v.strip()}
    draft.narrative = clean
    draft.updated_by = user
    draft.full_clean()
    draft.save()
    changed = sorted(k for k in set(before) | set(clean) if before.get(k) != clean.get(k))
    audit_event_record(
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        obj=draft,
        user=user,
        changed_fields=changed,
    )
    return draft


def yearly_report(partnership, date_from: date, date_to: date) -> YearlyReport:
    """Count the figures afresh and lay them out with the saved narrative."""
    check_period(date_from, date_to)
    draft = draft_for(partnership, date_from, date_to)
    return build_yearly_report(
        yearly_figures(partnership, date_from, date_to), draft.narrative if draft else None
    )


#: Columns of the yearly figures as one long table (CSV): one row per table cell.
FIGURE_COLUMNS = (
    ("section", "Section"),
    ("table", "Table"),
    ("row", "Row"),
    ("column", "Column"),
    ("value", "Value"),
    ("how_counted", "How counted"),
)


def figure_rows(report: YearlyReport) -> list[dict]:
    """Every table cell of the report as a row, so partners can filter and pivot the figures."""
    rows = []
    for section in report.sections:
        for table in section.tables:
            for cells in table.rows:
                label = cells[0]
                for column, value in zip(table.columns[1:], cells[1:], strict=True):
                    rows.append(
                        {
                            "section": section.title,
                            "table": table.caption,
                            "row": label,
                            "column": column,
                            "value": value,
                            "how_counted": table.how_counted,
                        }
                    )
    return rows


@transaction.atomic
def yearly_report_publish(
    *, partnership, date_from: date, date_to: date, user
) -> YearlyReportDraft:
    """Publish the period's report: every section needs its narrative, and the narrative must
    hold no personal data; afterwards it is frozen."""
    from reviewhub.documents import pii

    report = yearly_report(partnership, date_from, date_to)
    missing = report.sections_without_narrative()
    if missing:
        titles = ", ".join(s.title for s in report.sections if s.key in missing)
        raise ValidationError(f"Write the narrative of every section before publishing: {titles}.")
    draft, _ = YearlyReportDraft.objects.select_for_update().get_or_create(
        partnership=partnership, period_from=date_from, period_to=date_to
    )
    if draft.published_at is not None:
        raise ValidationError("This yearly report is already published.")
    findings = pii.check_text("\n\n".join(draft.narrative.values()))
    if findings:
        raise ValidationError(
            f"Publication refused: the narrative holds {len(findings)} possible item(s) of "
            "personal data (" + ", ".join(sorted({f.kind for f in findings})) + "). Edit them out."
        )
    draft.published_at = timezone.now()
    draft.published_by = user
    draft.save(update_fields=["published_at", "published_by"])
    audit_event_record(
        action=AuditAction.TRANSITION,
        obj=draft,
        user=user,
        changed_fields=["published_at", "published_by"],
        detail="yearly report published",
    )
    return draft
