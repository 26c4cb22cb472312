"""A briefing rendered to DOCX, PDF or Markdown imports again as the same themes and sections."""

from __future__ import annotations

import io

import docx
import pypdfium2 as pdfium
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reviewhub.briefings.document import (
    BriefingDocument,
    BulletList,
    Paragraph,
    Theme,
    parse_bytes,
    parse_file,
    parse_text,
    render_docx,
    render_markdown,
    render_pdf,
)
from reviewhub.briefings.document.parse import (
    BACKGROUND_RE,
    FURTHER_RE,
    SUBHEADING_RE,
    THEME_RE,
)

from .helpers import REFERENCE_PATH, REFERENCE_TITLES, seven_minute_sample, tiny_png

PARTNERSHIP = "Telford and Wrekin Safeguarding Partnership"


@pytest.fixture(scope="module")
def reference() -> BriefingDocument:
    doc = parse_file(REFERENCE_PATH)
    doc.partnership_name = PARTNERSHIP
    doc.logo = tiny_png()
    return doc


@pytest.fixture(scope="module")
def reference_pdf(reference) -> bytes:
    return render_pdf(reference)


@pytest.fixture(scope="module")
def reference_docx(reference) -> bytes:
    return render_docx(reference)


def test_docx_round_trip_gives_the_same_themes_and_sections(reference, reference_docx):
    again = parse_bytes(reference_docx, source="reference.docx")
    assert [t.title for t in again.themes] == REFERENCE_TITLES
    assert again.content_dict() == reference.content_dict()


def test_pdf_round_trip_gives_the_same_themes_and_sections(reference, reference_pdf):
    again = parse_bytes(reference_pdf, source="reference.pdf")
    assert [t.title for t in again.themes] == REFERENCE_TITLES
    assert again.content_dict() == reference.content_dict()


def test_pdf_is_tagged_a4_with_several_pages_and_partnership_metadata(reference_pdf):
    pdf = pdfium.PdfDocument(reference_pdf)
    width, height = pdf[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert len(pdf) >= 3
    assert pdfium.raw.FPDFCatalog_IsTagged(pdf.raw)  # PDF/UA: headings and lists for readers
    meta = pdf.get_metadata_dict()
    assert meta["Title"] == "Learning from Local Reviews 2021 Thematic Briefing Note 3"
    assert meta["Author"] == PARTNERSHIP


def test_pdf_prints_partnership_header_and_page_numbers_on_every_page(reference_pdf):
    pdf = pdfium.PdfDocument(reference_pdf)
    pages = len(pdf)
    for index in range(pages):
        text = pdf[index].get_textpage().get_text_range()
        assert PARTNERSHIP in text
        assert f"Page {index + 1} of {pages}" in text
    # The logo is drawn as an image in the header of every page.
    first = pdf[0]
    kinds = [obj.type for obj in first.get_objects()]
    assert pdfium.raw.FPDF_PAGEOBJ_IMAGE in kinds


def test_docx_uses_word_styles_for_the_outline(reference_docx):
    document = docx.Document(io.BytesIO(reference_docx))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert styled[0] == (
        "Title",
        "Learning from Local Reviews 2021 Thematic Briefing Note 3",
    )
    heading1 = [text for style, text in styled if style == "Heading 1"]
    assert heading1 == ["Background"] + [
        f"Theme {n}: {title}" for n, title in enumerate(REFERENCE_TITLES, start=1)
    ] + ["Further information"]
    heading2 = [text for style, text in styled if style == "Heading 2"]
    assert heading2.count("What we have learned") == 14
    assert heading2.count("What you should do") == 13
    assert heading2.count("What should you do") == 1
    bullets = [text for style, text in styled if style == "List Bullet"]
    assert bullets[0] == "Gather, share and record information"
    assert len(bullets) == 5
    assert {style for style, _ in styled} == {
        "Title",
        "Heading 1",
        "Heading 2",
        "Normal",
        "List Bullet",
    }


def test_docx_carries_title_author_header_logo_and_page_field(reference_docx):
    document = docx.Document(io.BytesIO(reference_docx))
    assert document.core_properties.title.startswith("Learning from Local Reviews")
    assert document.core_properties.author == PARTNERSHIP
    section = document.sections[0]
    assert section.header.paragraphs[0].text.strip() == PARTNERSHIP
    assert len(document.inline_shapes) == 0  # the logo lives in the header, not the body
    assert "graphicData" in section.header._element.xml
    assert "PAGE" in section.footer._element.xml and "NUMPAGES" in section.footer._element.xml


def test_docx_typed_without_styles_still_parses_by_text_patterns(reference):
    # As if someone pasted the reference into Word: every line a Normal paragraph.
    plain = docx.Document()
    for line in REFERENCE_PATH.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            plain.add_paragraph(
                line.replace("- ", "\u2022\t", 1) if line.startswith("- ") else line
            )
    out = io.BytesIO()
    plain.save(out)
    again = parse_bytes(out.getvalue())
    assert again.content_dict() == reference.content_dict()


def test_docx_word_numbering_marks_bullets_without_a_list_style():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    word = docx.Document()
    word.add_paragraph("A briefing", style="Title")
    word.add_paragraph("Theme 1: Neglect", style="Heading 1")
    word.add_paragraph("What we have learned", style="Heading 2")
    word.add_paragraph("Signs build up.")
    word.add_paragraph("What you should do", style="Heading 2")
    item = word.add_paragraph("Share concerns early")
    item._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
    )
    out = io.BytesIO()
    word.save(out)
    doc = parse_bytes(out.getvalue())
    assert doc.themes[0].actions == [BulletList(("Share concerns early",))]


def test_markdown_round_trip_gives_the_same_document(reference):
    markdown = render_markdown(reference)
    again = parse_text(markdown)
    assert again.content_dict() == reference.content_dict()
    assert again.partnership_name == PARTNERSHIP


def _not_heading_like(text: str) -> bool:
    return not any(rx.match(text) for rx in (THEME_RE, SUBHEADING_RE, BACKGROUND_RE, FURTHER_RE))


_text = (
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            categories=("L", "N", "P", "S", "Zs"),
            exclude_characters="\u2028\u2029",
        ),
        min_size=1,
        max_size=80,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and _not_heading_like(s))
)


@settings(max_examples=60, deadline=None)
@given(paragraph=_text, bullet=_text, title=_text)
@example(paragraph="1. not a list", bullet="- not nested", title="C#")
@example(paragraph="<script>x</script> &amp;", bullet="*stars* _under_", title="a ##")
@example(paragraph="# not a heading", bullet="\\", title="[link](x)")
def test_markdown_round_trip_keeps_arbitrary_text_literal(paragraph, bullet, title):
    doc = BriefingDocument(
        title="Briefing",
        background=[Paragraph(paragraph)],
        themes=[
            Theme(
                1,
                title,
                learned=[Paragraph(paragraph)],
                actions=[Paragraph(paragraph), BulletList((bullet, paragraph))],
            )
        ],
    )
    assert parse_text(render_markdown(doc)).content_dict() == doc.content_dict()


def test_seven_minute_briefing_round_trips_through_markdown_docx_and_pdf():
    doc = seven_minute_sample()
    for again in (
        parse_text(render_markdown(doc)),
        parse_bytes(render_docx(doc)),
        parse_bytes(render_pdf(doc)),
    ):
        assert again.kind == "seven_minute"
        assert again.content_dict() == doc.content_dict()
        assert [s.heading for s in again.sections][3] == "What we found"


def test_pdf_made_by_another_program_parses_to_the_same_document():
    # reference-briefing-libreoffice.pdf is our DOCX of the reference exported to PDF by
    # LibreOffice 7.4 (`soffice --headless --convert-to pdf`): different fonts, line spacing,
    # Symbol-font bullets sharing the item's text run, and a header with a logo.
    path = REFERENCE_PATH.with_name("reference-briefing-libreoffice.pdf")
    again = parse_file(path)
    assert [t.title for t in again.themes] == REFERENCE_TITLES
    assert again.content_dict() == parse_file(REFERENCE_PATH).content_dict()


def test_docx_laid_out_in_a_table_is_read_in_order():
    word = docx.Document()
    word.add_paragraph("7-minute briefing: Child B", style="Title")
    table = word.add_table(rows=4, cols=2)
    cells = [
        ("1. Background", "Child B was 3."),
        ("2. Why it matters", "Neglect is cumulative."),
        ("4. What we found", "Missed appointments were not followed up."),
        ("6. Questions for reflection", "How will we know?"),
    ]
    for row, (heading, text) in zip(table.rows, cells, strict=True):
        row.cells[0].text = heading
        row.cells[1].text = text
    merged = word.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "7. Further reading"
    out = io.BytesIO()
    word.save(out)
    doc = parse_bytes(out.getvalue())
    assert doc.kind == "seven_minute"
    assert [(s.heading, s.blocks) for s in doc.sections] == [
        ("Background", [Paragraph("Child B was 3.")]),
        ("Why it matters", [Paragraph("Neglect is cumulative.")]),
        ("What we found", [Paragraph("Missed appointments were not followed up.")]),
        ("Questions for reflection", [Paragraph("How will we know?")]),
        ("Further reading", []),
    ]
