"""The yearly report: figures counted from the records, the analyst's narrative, and renderers.

Build a ``YearlyReport`` with ``build_yearly_report(figures, narrative)`` and render it with
``render_html``, ``render_pdf``, ``render_docx``, ``render_xlsx`` or ``render(report, fmt)``.
"""

from .figures import (
    SECTION_KEYS,
    BriefingReach,
    FindingNotImplemented,
    ImpactEntry,
    ProgressEntry,
    SarConcluded,
    SarOngoing,
    YearlyFigures,
    build_yearly_report,
)
from .model import ADULTS, CHILDREN, Section, Table, YearlyReport
from .render import FORMATS, render, render_docx, render_html, render_pdf, render_xlsx

__all__ = [
    "ADULTS",
    "CHILDREN",
    "FORMATS",
    "SECTION_KEYS",
    "BriefingReach",
    "FindingNotImplemented",
    "ImpactEntry",
    "ProgressEntry",
    "SarConcluded",
    "SarOngoing",
    "Section",
    "Table",
    "YearlyFigures",
    "YearlyReport",
    "build_yearly_report",
    "render",
    "render_docx",
    "render_html",
    "render_pdf",
    "render_xlsx",
]
