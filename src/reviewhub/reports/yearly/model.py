"""The yearly report as a document: sections of editable narrative, counted tables and charts.

The document is independent of its formats: ``render.py`` turns one ``YearlyReport`` into
HTML, PDF, DOCX and XLSX, so every format carries the same words and the same figures.
Narrative is the analyst's; tables and charts come from the records and each table says how
it was counted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from numbers import Number

from reviewhub.reports.charts import Chart

CHILDREN, ADULTS = "children", "adults"
KINDS = (CHILDREN, ADULTS)

Cell = str | int | float | date | None

# Text that is a number for alignment: "76%", "+5", "-3", "1,200", "-" (no value).
_NUMERIC_TEXT = re.compile(r"[+-]?[\d,]+(\.\d+)?%?|-")


@dataclass
class Table:
    """A table of figures with its caption and a note saying how the figures were counted.

    When ``chart`` is set, the chart is drawn from this table's data and is shown just
    before it, so the table is the chart's accessible equivalent.
    """

    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    how_counted: str = ""
    chart: Chart | None = None
    #: Whether the last row is a total (shown bold).
    total_row: bool = False
    #: Rows shown in the document (HTML, PDF, DOCX); the spreadsheet version has them all.
    #: A yearly report listing hundreds of actions is unreadable, and slow to print.
    display_limit: int | None = None

    def shown_rows(self) -> tuple[list[list[Cell]], int]:
        """Return the rows the document shows and how many more there are."""
        if self.display_limit is None or len(self.rows) <= self.display_limit:
            return self.rows, 0
        return self.rows[: self.display_limit], len(self.rows) - self.display_limit

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.caption!r}: row {row!r} has {len(row)} cells for "
                    f"{len(self.columns)} columns"
                )

    def numeric_columns(self) -> list[bool]:
        """Return, per column, whether every filled cell is a number (aligned right)."""
        result = []
        for i in range(len(self.columns)):
            values = [row[i] for row in self.rows if row[i] not in (None, "")]
            result.append(
                bool(values)
                and all(
                    (isinstance(v, Number) and not isinstance(v, bool))
                    or (isinstance(v, str) and _NUMERIC_TEXT.fullmatch(v) is not None)
                    for v in values
                )
            )
        return result


@dataclass
class Section:
    """One section: a title, the analyst's paragraphs, and the figures that support them.

    ``guidance`` tells the analyst what the narrative should cover; it is shown in place of
    the narrative while none has been written.
    """

    key: str
    title: str
    narrative: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    guidance: str = ""

    def all_charts(self) -> list[Chart]:
        return [t.chart for t in self.tables if t.chart is not None] + list(self.charts)


@dataclass
class YearlyReport:
    """The whole report for one partnership and one reporting year."""

    partnership_name: str
    period_from: date
    period_to: date
    kind: str
    sections: list[Section]
    title: str = ""
    counted_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")
        if self.period_to < self.period_from:
            raise ValueError("the period ends before it starts")
        keys = [s.key for s in self.sections]
        if len(keys) != len(set(keys)):
            raise ValueError("section keys must be unique")
        if not self.title:
            self.title = f"{self.board_name} yearly report {self.year_label}"

    @property
    def board_name(self) -> str:
        return self.partnership_name

    @property
    def year_label(self) -> str:
        """Return "2024 to 2025" for a financial year, else the two dates."""
        a, b = self.period_from, self.period_to
        if (a.month, a.day, b.month, b.day) == (4, 1, 3, 31) and b.year == a.year + 1:
            return f"{a.year} to {b.year}"
        return f"{format_date(a)} to {format_date(b)}"

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def set_narrative(self, narrative: Mapping[str, str | Sequence[str]]) -> None:
        """Replace the narrative of the named sections; unknown keys are an error so a typo
        in a stored draft cannot silently drop the analyst's words."""
        for key, text in narrative.items():
            self.section(key).narrative = paragraphs(text)

    def sections_without_narrative(self) -> list[str]:
        """Return the keys of sections that still need the analyst's words (before publishing)."""
        return [s.key for s in self.sections if s.guidance and not s.narrative]


def paragraphs(text: str | Sequence[str] | None) -> list[str]:
    """Split narrative into paragraphs: a string on blank lines, a list as given."""
    if text is None:
        return []
    if isinstance(text, str):
        parts = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    else:
        parts = [" ".join(str(p).split()) for p in text]
    return [p for p in parts if p]


def format_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
