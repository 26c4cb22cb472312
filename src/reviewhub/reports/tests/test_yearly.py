"""The yearly report: layout from hand-made figures and rendering to HTML, DOCX, PDF, XLSX."""

import io
import re
import zipfile

import pytest

from reviewhub.reports.tests.sample import PARTNERSHIP, adults_figures, children_figures
from reviewhub.reports.yearly import (
    SECTION_KEYS,
    ImpactEntry,
    YearlyFigures,
    build_yearly_report,
    render,
    render_docx,
    render_html,
    render_pdf,
    render_xlsx,
)

NARRATIVE = {
    "introduction": "We are three partners.\n\nOur priorities were neglect and exploitation.",
    "impact": ["Supervision changed practice."],
}


@pytest.fixture(scope="module")
def report():
    # Module scope: charts are drawn on first use and kept, so each image is drawn once.
    return build_yearly_report(children_figures(), NARRATIVE)


@pytest.fixture(scope="module")
def adults_report():
    return build_yearly_report(adults_figures(), {"members": "Each member reported."})


def table(report, key, index=0):
    return report.section(key).tables[index]


class TestBuild:
    @pytest.mark.parametrize("kind", ["children", "adults"])
    def test_sections_follow_the_published_key_list(self, kind, report, adults_report):
        built = report if kind == "children" else adults_report
        assert [s.key for s in built.sections] == SECTION_KEYS[kind]

    def test_title_names_the_partnership_and_financial_year(self, report):
        assert report.title == f"{PARTNERSHIP} yearly report 2024 to 2025"

    def test_narrative_string_is_split_into_paragraphs(self, report):
        assert report.section("introduction").narrative == [
            "We are three partners.",
            "Our priorities were neglect and exploitation.",
        ]
        assert report.section("impact").narrative == ["Supervision changed practice."]

    def test_sections_without_narrative_are_listed_for_the_analyst(self, report):
        missing = report.sections_without_narrative()
        assert "introduction" not in missing and "impact" not in missing
        assert "feedback" in missing and "priorities" in missing
        assert "at_a_glance" not in missing  # figures only, no narrative expected

    def test_unknown_narrative_key_is_an_error(self):
        with pytest.raises(KeyError):
            build_yearly_report(children_figures(), {"introductoin": "typo"})

    def test_notification_table_totals_both_years(self, report):
        t = table(report, "notifications")
        assert t.columns == ["Type", "2024 to 2025", "2023 to 2024"]
        assert t.rows[-1] == ["All notifications", 19, 19]
        assert t.total_row
        assert "4 of them concerned children looked after" in t.how_counted

    def test_rapid_review_timeliness_is_a_rounded_percentage(self, report):
        rows = {r[0]: r[1] for r in table(report, "rapid_reviews").rows}
        assert rows["Later than 15 working days"] == 4
        assert rows["Completed within 15 working days (%)"] == "76%"  # 13/17 = 76.5%

    def test_themes_are_ordered_by_this_year_with_signed_change(self, report):
        rows = table(report, "themes").rows
        assert [r[0] for r in rows] == [
            "Neglect",
            "Domestic abuse",
            "Professional curiosity",
            "Safe sleep",
        ]
        assert rows[0][3] == "+5" and rows[1][3] == "-1"

    def test_actions_table_has_only_rag_columns_in_use_and_totals(self, report):
        t = table(report, "actions")
        assert t.columns[1] == "Red (off track)" and t.columns[-1] == "Total"
        assert t.rows[0] == ["Police", 2, 3, 5, 4, 0, 14]
        assert t.rows[-1] == ["All agencies", 3, 9, 15, 12, 1, 40]
        assert t.chart.rows[0] == ("Police", 2, 3, 5, 4, 0, 14)

    def test_every_table_says_how_it_was_counted(self, report, adults_report):
        for r in (report, adults_report):
            for section in r.sections:
                for t in section.tables:
                    assert len(t.how_counted) > 30, t.caption

    def test_tuples_become_entries(self):
        figures = children_figures()
        assert isinstance(figures.actions_with_impact[0], ImpactEntry)

    def test_more_rapid_reviews_in_time_than_done_is_refused(self):
        with pytest.raises(ValueError):
            children_figures(rapid_reviews_completed=3, rapid_reviews_within_15_days=4)

    def test_unknown_rag_key_is_refused(self):
        with pytest.raises(ValueError, match="unknown RAG"):
            children_figures(actions_by_agency_rag={"Police": {"purple": 1}})

    def test_how_counted_can_be_overridden_by_the_counting_layer(self):
        figures = children_figures(how_counted={"themes": "Counted by the lead's query."})
        built = build_yearly_report(figures)
        assert table(built, "themes").how_counted == "Counted by the lead's query."

    def test_adults_report_has_the_care_act_sections(self, adults_report):
        titles = [s.title for s in adults_report.sections]
        assert "Findings of reviews concluded in the year" in titles
        assert "Reviews ongoing" in titles
        assert "Findings not implemented" in titles
        assert "What each member did" in titles
        assert "Rapid reviews and timeliness" not in titles
        reasons = table(adults_report, "findings_not_implemented").rows[0][2]
        assert reasons.startswith("The existing high-risk panel")

    def test_empty_year_still_builds(self):
        from datetime import date

        empty = YearlyFigures("P", date(2024, 4, 1), date(2025, 3, 31))
        built = build_yearly_report(empty)
        assert table(built, "themes").chart is None
        assert table(built, "notifications").rows == []


class TestHtml:
    def test_text_is_escaped(self, report):
        html = render_html(report)
        assert "<Safeguarding>" not in html
        assert "Northshire &lt;Safeguarding&gt; Children &amp; Partners" in html

    def test_each_chart_has_alt_text_and_is_followed_by_its_table(self, report):
        html = render_html(report)
        images = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html)
        charts = [c for s in report.sections for c in s.all_charts()]
        assert len(images) == len(charts) == 6
        assert all(alt.startswith(("Bar chart", "Stacked bar chart")) for alt in images)
        # The data table comes straight after each figure.
        assert len(re.findall(r"</figure>\s*<table", html)) == 6

    def test_tables_have_captions_scoped_headers_and_numeric_cells(self, report):
        html = render_html(report)
        assert "Table 2: Serious incident notifications by type</caption>" in html
        assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">' in html
        assert "govuk-table__row--total" in html
        assert html.count("<strong>How counted:</strong>") == sum(
            len(s.tables) for s in report.sections
        )

    def test_missing_narrative_shows_the_guidance(self, report):
        html = render_html(report)
        assert "Narrative to be written. Set out next year" in html

    def test_fragment_has_no_page_shell(self, report):
        fragment = render_html(report, standalone=False)
        assert fragment.startswith("<article") and "<style>" not in fragment

    def test_same_report_renders_to_same_html(self, report):
        fresh = build_yearly_report(children_figures(), NARRATIVE)
        assert render_html(fresh) == render_html(report)

    def test_render_refuses_unknown_format(self, report):
        with pytest.raises(ValueError):
            render(report, "odt")


@pytest.fixture(scope="module")
def document(report):
    import docx

    return docx.Document(io.BytesIO(render_docx(report)))


class TestDocx:
    def test_outline_uses_word_title_and_heading_styles(self, document, report):
        styles = [(p.style.name, p.text) for p in document.paragraphs]
        assert styles[0] == ("Title", report.title)
        headings = [text for name, text in styles if name == "Heading 1"]
        assert headings == [s.title for s in report.sections]

    def test_tables_have_a_style_and_a_repeating_header_row(self, document, report):
        expected = sum(len(s.tables) for s in report.sections)
        assert len(document.tables) == expected
        for t in document.tables:
            assert t.style.name == "Table Grid"
            assert t.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
        notifications = document.tables[1]
        assert [c.text for c in notifications.rows[-1].cells] == ["All notifications", "19", "19"]

    def test_charts_are_pictures_with_alt_text_and_captions(self, document):
        assert len(document.inline_shapes) == 6
        for shape in document.inline_shapes:
            assert shape._inline.docPr.get("descr").startswith(("Bar chart", "Stacked"))
        captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
        assert "Figure 1: Serious incident notifications by type" in captions
        assert "Table 1: Key figures, from 1 April 2024 to 31 March 2025" in captions

    def test_header_names_the_partnership(self, document):
        assert PARTNERSHIP in document.sections[0].header.paragraphs[0].text


def test_pdf_carries_the_key_figures_and_page_numbers(report):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(render_pdf(report))
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert pdf[0].get_size()[0] == pytest.approx(595, abs=1)  # A4 width in points
    assert "Serious incident notifications" in text
    assert "All notifications" in text
    assert "76%" in text
    assert f"Page 1 of {len(pdf)}" in text
    assert "Northshire <Safeguarding> Children & Partners" in text
    assert "How counted:" in text


def test_xlsx_has_an_about_sheet_and_one_sheet_per_table_without_formulas(report):
    import openpyxl

    data = render_xlsx(report)
    book = openpyxl.load_workbook(io.BytesIO(data))
    tables = sum(len(s.tables) for s in report.sections)
    assert book.sheetnames[0] == "About" and len(book.sheetnames) == tables + 1
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode()


def test_adults_report_renders_to_html_and_docx(adults_report):
    import docx

    html = render_html(adults_report)
    assert "Reason for not implementing" in html
    document = docx.Document(io.BytesIO(render_docx(adults_report)))
    assert "Findings not implemented" in [p.text for p in document.paragraphs]


def test_long_action_lists_are_shortened_in_the_document_but_complete_in_xlsx():
    from datetime import date

    import openpyxl

    entries = [
        ("Rec", f"Action {day}", "Police", "Evidence", "local", date(2025, 1, day))
        for day in (5, 20, 12)
    ]
    built = build_yearly_report(children_figures(actions_with_impact=entries), list_limit=1)
    for section in built.sections:  # charts are beside the point here, and slow to draw
        for t in section.tables:
            t.chart = None
    impact = table(built, "impact")
    assert [r[1] for r in impact.rows] == ["Action 20", "Action 12", "Action 5"]  # recent first
    assert "lists the first 1 of 3" in impact.how_counted
    html = render_html(built)
    assert "Action 20" in html and "Action 12" not in html
    assert "And 2 more, listed in the spreadsheet version of this report." in html
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(built)))
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert {"Action 20", "Action 12", "Action 5"} <= set(cells)
