"""Export action plans and figures to CSV and XLSX for partners who work in spreadsheets.

A cell whose text a spreadsheet would read as a formula is "neutralised" by prefixing a single
quote (OWASP, CSV injection), so an action written as ``=HYPERLINK(...)`` by anyone who can
edit an action cannot run in a partner's spreadsheet. Numbers stay numbers and dates stay
dates, so partners can still sort and sum.

``columns`` is a sequence of ``Column`` objects, ``(key, header)`` pairs or plain keys (the key
is then also the header); ``rows`` is an iterable of mappings, read by key, a missing key being
an empty cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any
from zoneinfo import ZoneInfo

#: Characters that start a formula (or, for tab and CR, that let one hide behind a line break)
#: in Excel, LibreOffice or Google Sheets. Full-width forms are included because East Asian
#: input methods produce them and some spreadsheets normalise them to the ASCII forms.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

#: Excel's limit on the characters in one cell; longer text makes it "repair" the workbook.
XLSX_CELL_LIMIT = 32_767

#: Partners are in England, and Excel has no time zones: aware times are shown in UK time.
LOCAL_ZONE = ZoneInfo("Europe/London")

# XML 1.0 forbids these control characters; openpyxl raises on them rather than dropping them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Column:
    """One exported column: the row key it reads, its header and an optional XLSX width."""

    key: str
    header: str
    width: float | None = None


#: The columns of a multi-agency action plan (domain reference, section 7), with the fields
#: ReviewHub adds: lead officer, progress, RAG reason and evidence of impact.
ACTION_PLAN_COLUMNS = (
    Column("review", "Review", 18),
    Column("recommendation", "Recommendation", 45),
    Column("scope", "Scope (local, regional, national)", 14),
    Column("action", "Action", 45),
    Column("lead_agency", "Lead agency", 20),
    Column("lead_officer", "Lead officer", 20),
    Column("milestones", "Milestones", 35),
    Column("target_date", "Target date", 12),
    Column("progress_percent", "Progress (%)", 10),
    Column("rag", "RAG", 8),
    Column("rag_reason", "RAG reason", 35),
    Column("agency_response", "Agency response", 40),
    Column("completion_date", "Completion date", 12),
    Column("outcome", "Outcome", 35),
    Column("evidence_of_impact", "Evidence of impact", 45),
    Column("signed_off_by", "Signed off by", 18),
)


def _has_formula_start(text: str) -> bool:
    if text.startswith(FORMULA_STARTS):
        return True
    # Spreadsheets strip leading spaces before parsing in some import paths, so " =1+1"
    # is as dangerous as "=1+1".
    stripped = text.lstrip(" \u00a0\u3000\t\r\n\f\v")
    return stripped != text and stripped.startswith(FORMULA_STARTS)


def neutralise_cell(value: Any) -> Any:
    """Return ``value`` safe to put in a spreadsheet cell.

    Text that a spreadsheet would read as a formula gets a leading single quote; every other
    value (numbers, dates, booleans, None, ordinary text) is returned unchanged.
    """
    if isinstance(value, str) and _has_formula_start(value):
        return "'" + value
    return value


def _columns(columns: Sequence[Column | tuple[str, str] | str]) -> list[Column]:
    result = []
    for column in columns:
        if isinstance(column, Column):
            result.append(column)
        elif isinstance(column, str):
            result.append(Column(column, column))
        else:
            key, header = column
            result.append(Column(key, header))
    if not result:
        raise ValueError("at least one column is needed")
    return result


def _cell(row: Mapping[str, Any], key: str) -> Any:
    value = row.get(key)
    if isinstance(value, (list, tuple)):
        # Multi-valued fields (milestones, evidence items) read best one per line.
        value = "\n".join(str(v) for v in value)
    return value


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_ZONE).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return str(neutralise_cell(str(value)))


def write_csv(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[Column | tuple[str, str] | str],
    fileobj: IO[str],
) -> int:
    """Write a header row and one line per row to a text file opened with ``newline=""``.

    Dates are written as ISO 8601 (unambiguous in every locale), booleans as Yes/No. Every
    field is quoted, as OWASP advises alongside the quote prefix. Return the rows written.
    """
    cols = _columns(columns)
    writer = csv.writer(fileobj, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([_csv_text(c.header) for c in cols])
    count = 0
    for row in rows:
        writer.writerow([_csv_text(_cell(row, c.key)) for c in cols])
        count += 1
    return count


def csv_bytes(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[Column | tuple[str, str] | str]
) -> bytes:
    """Return the CSV as UTF-8 with a byte-order mark, which Excel needs to read UTF-8."""
    out = io.StringIO(newline="")
    write_csv(rows, columns, out)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@dataclass
class Sheet:
    """One worksheet of a workbook: a title (cleaned to Excel's rules), rows and columns."""

    title: str
    rows: Iterable[Mapping[str, Any]]
    columns: Sequence[Column | tuple[str, str] | str]


def _sheet_title(title: str, taken: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'") or "Sheet"
    clean = clean[:31]
    candidate, n = clean, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


def _xlsx_value(value: Any) -> tuple[Any, str | None]:
    """Return the value to store and its number format, if it needs one."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_ZONE).replace(tzinfo=None)
        return value, "yyyy-mm-dd hh:mm"
    if isinstance(value, date):
        return value, "yyyy-mm-dd"
    if isinstance(value, time):
        return value.isoformat(timespec="minutes"), None
    if isinstance(value, (int, float)):
        return value, None
    if isinstance(value, Decimal):
        return float(value), None
    text = _ILLEGAL_XML.sub("", str(value))
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - 1] + "\u2026"
    return neutralise_cell(text), None


def _display_len(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).split("\n")), default=0)


def write_xlsx_workbook(sheets: Sequence[Sheet]) -> bytes:
    """Return an XLSX workbook with one formatted worksheet per ``Sheet``.

    Each sheet has a bold header row that is frozen and carries an autofilter, columns sized to
    their content (within 8-60 characters, long text wrapped), dates stored as real dates with
    ISO formats, and every string stored as text, never as a formula.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    if not sheets:
        raise ValueError("at least one sheet is needed")
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for spec in sheets:
        ws = workbook.create_sheet(_sheet_title(spec.title, taken))
        cols = _columns(spec.columns)
        widths = [len(c.header) for c in cols]
        for col_index, column in enumerate(cols, start=1):
            cell = ws.cell(row=1, column=col_index)
            cell.value = _xlsx_value(column.header)[0]
            cell.data_type = TYPE_STRING
            cell.font = bold
            cell.alignment = wrap
        row_index = 1
        for row in spec.rows:
            row_index += 1
            for col_index, column in enumerate(cols, start=1):
                value, number_format = _xlsx_value(_cell(row, column.key))
                if value is None:
                    continue
                cell = ws.cell(row=row_index, column=col_index)
                cell.value = value
                if isinstance(value, str):
                    # openpyxl reads any string starting with "=" as a formula; pin it to text.
                    cell.data_type = TYPE_STRING
                if number_format:
                    cell.number_format = number_format
                cell.alignment = wrap if isinstance(value, str) and "\n" in value else top
                if row_index <= 500:  # sizing from a sample keeps large exports fast
                    widths[col_index - 1] = max(widths[col_index - 1], _display_len(value))
        for col_index, column in enumerate(cols, start=1):
            width = column.width or min(max(widths[col_index - 1] + 2, 8), 60)
            ws.column_dimensions[get_column_letter(col_index)].width = width
            if not column.width and widths[col_index - 1] + 2 > 60:
                for (cell,) in ws.iter_rows(min_row=2, min_col=col_index, max_col=col_index):
                    cell.alignment = wrap
        ws.freeze_panes = "A2"
        last = get_column_letter(len(cols))
        ws.auto_filter.ref = f"A1:{last}{max(row_index, 1)}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_xlsx(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[Column | tuple[str, str] | str],
    *,
    sheet_title: str = "Export",
) -> bytes:
    """Return a one-sheet XLSX workbook (see ``write_xlsx_workbook``)."""
    return write_xlsx_workbook([Sheet(sheet_title, rows, columns)])
