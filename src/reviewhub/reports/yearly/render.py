"""Render a ``YearlyReport`` to HTML, PDF (WeasyPrint), DOCX (python-docx) and XLSX.

One walk over the document (``_blocks``) feeds every renderer, so the formats carry the same
headings, words, tables and charts in the same order. Every chart is followed by its data
table, and every table by its "How counted" note. Tables and figures are numbered across the
report so the narrative can refer to them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from reviewhub.reports.charts import Chart

from .model import Section, Table, YearlyReport, format_date

FONT_STACK = '"Liberation Sans", Arial, "DejaVu Sans", Helvetica, sans-serif'
PLACEHOLDER = "Narrative to be written."
FORMATS = ("html", "pdf", "docx", "xlsx")
#: Data tables up to this many rows are kept on the same printed page as their chart.
KEEP_TOGETHER_ROWS = 12


@dataclass
class _Figure:
    number: int
    chart: Chart


@dataclass
class _Table:
    number: int
    table: Table


def _blocks(section: Section, counters: dict[str, int]) -> Iterator[_Figure | _Table]:
    """Yield the section's figures and tables in reading order, numbered."""
    for table in section.tables:
        if table.chart is not None:
            counters["figure"] += 1
            yield _Figure(counters["figure"], table.chart)
        counters["table"] += 1
        yield _Table(counters["table"], table)
    for chart in section.charts:
        counters["figure"] += 1
        yield _Figure(counters["figure"], chart)
        counters["table"] += 1
        yield _Table(
            counters["table"],
            Table(
                caption=f"Data for figure {counters['figure']}: {chart.title}",
                columns=list(chart.columns),
                rows=[list(r) for r in chart.rows],
            ),
        )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_date(value.date())
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float):
        return f"{value:,.1f}".rstrip("0").rstrip(".")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _more(hidden: int) -> str:
    return f"And {hidden:,} more, listed in the spreadsheet version of this report."


def _subtitle(report: YearlyReport) -> str:
    return f"{format_date(report.period_from)} to {format_date(report.period_to)}"


def _counted_line(report: YearlyReport) -> str:
    text = "The figures in this report are counted from the partnership's case review records"
    if report.kind == "adults":
        text = "The figures in this report are counted from the board's review records"
    if report.counted_at:
        text += f" on {format_date(report.counted_at.date())}"
    return text + ". Each table says how its figures were counted."


# HTML -------------------------------------------------------------------------------------

# A small subset of GOV.UK Frontend so a standalone page (and the PDF made from it) looks like
# the product; inside the product the real GOV.UK Frontend CSS applies to the same classes.
_SCREEN_CSS = """
body { font-family: $FONT; color: #0b0c0c; margin: 0; line-height: 1.32; }
.app-report-header { background: #0b0c0c; color: #fff; padding: 10px 15px; font-weight: 700; }
.govuk-width-container { max-width: 960px; margin: 0 15px; }
.govuk-heading-xl { font-size: 36px; font-weight: 700; line-height: 1.11; margin: 30px 0 15px; }
.govuk-heading-l { font-size: 27px; font-weight: 700; line-height: 1.11; margin: 40px 0 20px; }
.govuk-heading-s { font-size: 19px; font-weight: 700; margin: 20px 0 10px; }
.govuk-caption-l { font-size: 21px; color: #505a5f; display: block; margin: 0 0 20px; }
.govuk-body { font-size: 19px; margin: 0 0 20px; }
.govuk-body-s { font-size: 16px; margin: 0 0 20px; }
.govuk-list { font-size: 19px; padding-left: 20px; }
.govuk-link { color: #1d70b8; }
.govuk-inset-text { border-left: 10px solid #b1b4b6; padding: 15px; margin: 20px 0;
  color: #505a5f; font-style: italic; }
.govuk-table { width: 100%; border-collapse: collapse; font-size: 16px; margin: 0 0 10px; }
.govuk-table__caption { font-weight: 700; text-align: left; font-size: 19px;
  margin-bottom: 10px; }
.govuk-table__header, .govuk-table__cell { border-bottom: 1px solid #b1b4b6; padding: 10px 20px
  10px 0; text-align: left; vertical-align: top; }
.govuk-table__header { font-weight: 700; }
.govuk-table__header--numeric, .govuk-table__cell--numeric { text-align: right; }
.govuk-table__row--total .govuk-table__cell, .govuk-table__row--total .govuk-table__header {
  font-weight: 700; border-top: 2px solid #0b0c0c; }
.app-how-counted { color: #505a5f; }
.app-chart { margin: 20px 0 10px; }
.app-chart img { max-width: 100%; height: auto; display: block; }
.app-chart figcaption { font-weight: 700; font-size: 19px; margin: 0 0 10px; }
.app-contents a { color: #1d70b8; }
""".replace("$FONT", FONT_STACK)

# A4 print layout for WeasyPrint: partnership and report in the running header, page numbers
# in the footer, page numbers in the contents, tables whose header repeats on every page.
_PRINT_CSS = """
@media print {
  @page {
    size: A4; margin: 22mm 16mm 20mm 16mm;
    @top-left { content: string(board); font: 9pt $FONT; color: #505a5f; }
    @top-right { content: "$RUNNING"; font: 9pt $FONT; color: #505a5f; }
    @bottom-right { content: "Page " counter(page) " of " counter(pages);
      font: 9pt $FONT; color: #505a5f; }
  }
  @page :first { @top-left { content: none; } @top-right { content: none; } }
  body { font-size: 10.5pt; }
  .app-report-header { background: none; color: #505a5f; padding: 0; font-size: 11pt;
    string-set: board content(); }
  .govuk-heading-xl { font-size: 24pt; margin: 4mm 0 3mm; }
  .govuk-width-container { margin: 0; max-width: none; }
  .govuk-heading-l { font-size: 16pt; margin: 9mm 0 3mm; break-after: avoid; }
  .app-contents { break-after: page; }
  .govuk-heading-s { font-size: 12pt; margin: 5mm 0 2mm; break-after: avoid; }
  .govuk-caption-l { font-size: 13pt; margin-bottom: 6mm; }
  .govuk-body, .govuk-list { font-size: 10.5pt; margin: 0 0 3mm; orphans: 2; widows: 2; }
  .govuk-body-s { font-size: 9pt; margin: 0 0 5mm; }
  .govuk-inset-text { font-size: 10.5pt; padding: 2mm 4mm; border-left-width: 2mm;
    break-after: avoid; }
  .govuk-table__caption { break-after: avoid; }
  .govuk-table { font-size: 9pt; margin-bottom: 2mm; table-layout: fixed; }
  .govuk-table__caption { font-size: 10.5pt; margin-bottom: 2mm; }
  .govuk-table__header, .govuk-table__cell { padding: 1.2mm 3mm 1.2mm 0; }
  .govuk-table thead { display: table-header-group; }
  .govuk-table tr { break-inside: avoid; }
  .app-chart { break-inside: avoid; margin: 4mm 0 2mm; }
  .app-figure-group { break-inside: avoid; }
  .app-chart img { width: 150mm; }
  .app-chart figcaption { font-size: 10.5pt; break-after: avoid; }
  .app-contents a::after { content: leader('.') target-counter(attr(href), page); }
  .app-contents a { color: #0b0c0c; text-decoration: none; }
  .app-contents li { margin-bottom: 1mm; }
  * { hyphens: manual; }
}
""".replace("$FONT", FONT_STACK)


def _css_string(text: str) -> str:
    """Escape text for a double-quoted CSS string (and for the <style> element)."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return "".join(out)


def _html_table(block: _Table) -> str:
    table = block.table
    numeric = table.numeric_columns()
    widths = _column_widths_mm(table)
    total = sum(widths)
    cols = "".join(f'<col style="width: {100 * w / total:.1f}%">' for w in widths)
    out = ['<table class="govuk-table">']
    out.append(
        f'<caption class="govuk-table__caption govuk-table__caption--s">'
        f"Table {block.number}: {escape(table.caption)}</caption>"
    )
    out.append(f"<colgroup>{cols}</colgroup>")
    head = []
    for col, is_num in zip(table.columns, numeric, strict=True):
        cls = "govuk-table__header" + (" govuk-table__header--numeric" if is_num else "")
        head.append(f'<th scope="col" class="{cls}">{escape(str(col))}</th>')
    out.append(
        f'<thead class="govuk-table__head"><tr class="govuk-table__row">'
        f"{''.join(head)}</tr></thead>"
    )
    out.append('<tbody class="govuk-table__body">')
    rows, hidden = table.shown_rows()
    if not rows:
        out.append(
            f'<tr class="govuk-table__row"><td class="govuk-table__cell" '
            f'colspan="{len(table.columns)}">None in this period.</td></tr>'
        )
    last = len(rows) - 1
    for i, row in enumerate(rows):
        total = table.total_row and i == last
        cls = "govuk-table__row" + (" govuk-table__row--total" if total else "")
        cells = [f'<th scope="row" class="govuk-table__header">{escape(_text(row[0]))}</th>']
        for value, is_num in zip(row[1:], numeric[1:], strict=True):
            ccls = "govuk-table__cell" + (" govuk-table__cell--numeric" if is_num else "")
            cells.append(f'<td class="{ccls}">{escape(_text(value))}</td>')
        out.append(f'<tr class="{cls}">{"".join(cells)}</tr>')
    if hidden:
        out.append(
            f'<tr class="govuk-table__row"><td class="govuk-table__cell" '
            f'colspan="{len(table.columns)}">{escape(_more(hidden))}</td></tr>'
        )
    out.append("</tbody></table>")
    if table.how_counted:
        out.append(
            f'<p class="govuk-body-s app-how-counted"><strong>How counted:</strong> '
            f"{escape(table.how_counted)}</p>"
        )
    return "\n".join(out)


def _html_figure(block: _Figure, image: str) -> str:
    chart = block.chart
    src = chart.png_data_uri() if image == "png" else chart.svg_data_uri()
    return (
        f'<figure class="app-chart">'
        f"<figcaption>Figure {block.number}: {escape(chart.title)}</figcaption>"
        f'<img src="{src}" alt="{escape(chart.alt)}">'
        f"</figure>"
    )


def render_html(report: YearlyReport, *, standalone: bool = True, image: str = "svg") -> str:
    """Render the report as GOV.UK-styled HTML with every piece of text escaped.

    ``standalone=False`` returns an ``<article>`` for a product template (which brings GOV.UK
    Frontend); ``standalone=True`` returns a whole page with its own screen and print CSS,
    which is also what the PDF is made from. ``image`` picks SVG (crisp on screen) or PNG.
    """
    counters = {"figure": 0, "table": 0}
    body = ['<article class="app-yearly-report">']
    body.append(f'<h1 class="govuk-heading-xl">{escape(report.title)}</h1>')
    body.append(f'<p class="govuk-caption-l">{escape(_subtitle(report))}</p>')
    body.append(f'<p class="govuk-body">{escape(_counted_line(report))}</p>')
    body.append('<nav class="app-contents" aria-labelledby="contents-title">')
    body.append('<h2 id="contents-title" class="govuk-heading-s">Contents</h2>')
    body.append('<ol class="govuk-list govuk-list--number">')
    for section in report.sections:
        body.append(
            f'<li><a class="govuk-link" href="#{escape(section.key)}">'
            f"{escape(section.title)}</a></li>"
        )
    body.append("</ol></nav>")
    for index, section in enumerate(report.sections):
        cls = "app-report-section" + (" app-first-section" if index == 0 else "")
        body.append(f'<section class="{cls}" aria-labelledby="{escape(section.key)}">')
        body.append(
            f'<h2 class="govuk-heading-l" id="{escape(section.key)}">{escape(section.title)}</h2>'
        )
        if section.narrative:
            body.extend(f'<p class="govuk-body">{escape(p)}</p>' for p in section.narrative)
        elif section.guidance:
            body.append(
                f'<div class="govuk-inset-text app-placeholder">{PLACEHOLDER} '
                f"{escape(section.guidance)}</div>"
            )
        figure = None
        for block in _blocks(section, counters):
            if isinstance(block, _Figure):
                figure = block
                continue
            html = _html_table(block)
            if figure is not None:
                chart_html = _html_figure(figure, image)
                # A chart and a short data table print on the same page.
                if len(block.table.rows) <= KEEP_TOGETHER_ROWS:
                    html = f'<div class="app-figure-group">{chart_html}{html}</div>'
                else:
                    html = chart_html + html
                figure = None
            body.append(html)
        if figure is not None:
            body.append(_html_figure(figure, image))
        body.append("</section>")
    body.append("</article>")
    article = "\n".join(body)
    if not standalone:
        return article
    print_css = _PRINT_CSS.replace("$RUNNING", _css_string(f"Yearly report {report.year_label}"))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(report.title)}</title>\n"
        f'<meta name="author" content="{escape(report.partnership_name)}">\n'
        f"<style>{_SCREEN_CSS}{print_css}</style>\n</head>\n<body>\n"
        f'<header class="app-report-header">{escape(report.partnership_name)}</header>\n'
        f'<main class="govuk-width-container">\n{article}\n</main>\n</body>\n</html>\n'
    )


# PDF --------------------------------------------------------------------------------------


def render_pdf(report: YearlyReport) -> bytes:
    """Render an A4 PDF with WeasyPrint: running header, page numbers, contents with pages.

    Charts go in as 150 dpi PNG, which every PDF viewer shows the same way.
    """
    from weasyprint import HTML  # imported late: WeasyPrint takes a moment to import

    html = render_html(report, standalone=True, image="png")
    return HTML(string=html).write_pdf()


# DOCX -------------------------------------------------------------------------------------


def _add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """Append a Word field (PAGE, NUMPAGES, SEQ ...), which python-docx has no API for."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    text = OxmlElement("w:t")
    text.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, instr, separate, text, end):
        run._r.append(el)


def _docx_styles(document) -> None:
    """Give Word's built-in styles a GOV.UK look (Arial, black) while keeping their names, so
    the navigation pane and accessibility checker see real headings and captions."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    black = RGBColor(0x0B, 0x0C, 0x0C)
    looks = {
        "Normal": (10.5, False, 0, 6),
        "Title": (24, True, 0, 6),
        "Subtitle": (14, False, 0, 12),
        "Heading 1": (16, True, 18, 6),
        "Heading 2": (12, True, 10, 4),
        "Caption": (10, True, 10, 4),
    }
    for name, (size, bold, before, after) in looks.items():
        style = document.styles[name]
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
        spacing = rpr.find(qn("w:spacing"))
        if spacing is not None:
            rpr.remove(spacing)
        ppr = style.element.get_or_add_pPr()
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = black
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
    document.styles["Caption"].paragraph_format.keep_with_next = True
    for name in ("Header", "Footer"):
        document.styles[name].font.size = Pt(9)


def _mark_header_row(row) -> None:
    """Flag the row as a header row: Word repeats it on each page and screen readers use it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _set_cell(cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = 0
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.font.size = Pt(9)
    if bold:
        run.bold = True


def _docx_caption(document, label: str, number: int, text: str) -> None:
    paragraph = document.add_paragraph(style="Caption")
    paragraph.add_run(f"{label} ")
    # A SEQ field lets Word build a list of tables or figures; the number shown is ours.
    _add_field(paragraph, f"SEQ {label} \\* ARABIC", str(number))
    paragraph.add_run(f": {text}")


def _column_widths_mm(table: Table, total_mm: float = 170) -> list[float]:
    """Share the text width between columns by content length, as a browser would.

    Used for Word (which otherwise gives every column the same share, so a number column
    takes as much room as a paragraph of evidence) and for the PDF (a fixed table layout
    lays out long tables much faster than an automatic one).
    """
    shown, _ = table.shown_rows()
    mins, extras = [], []
    for i, column in enumerate(table.columns):
        values = [row[i] for row in shown[:200]]
        texts = [_text(v) for v in values]
        longest = max([len(t) for t in texts] + [4])
        # Never narrower than the longest word, nor than a number or date (which must not
        # wrap); about 2.1 mm a character of bold 9 pt Arial, 1.6 mm of regular, plus 4.5 mm
        # of cell margins.
        header_word = max(len(w) for w in str(column).split() or [""])
        cell_word = max(
            [
                len(t) if not isinstance(v, str) else max(map(len, t.split() or [""]))
                for v, t in zip(values, texts, strict=True)
            ]
            + [3]
        )
        mins.append(max(header_word * 2.1, cell_word * 1.6) + 4.5)
        extras.append(max(0, min(longest, 150) - max(header_word, cell_word)))
    spare = max(0.0, total_mm - sum(mins))
    share = sum(extras) or 1
    widths_mm = [m + spare * e / share for m, e in zip(mins, extras, strict=True)]
    if sum(widths_mm) < total_mm:  # all columns short: spread the rest evenly
        widths_mm = [w + (total_mm - sum(widths_mm)) / len(widths_mm) for w in widths_mm]
    return widths_mm


def _docx_column_widths(grid, table: Table) -> None:
    from docx.shared import Mm

    grid.autofit = False
    for i, width_mm in enumerate(_column_widths_mm(table)):
        width = Mm(width_mm)
        grid.columns[i].width = width
        for cell in grid.columns[i].cells:
            cell.width = width


def _docx_table(document, block: _Table) -> None:
    from docx.shared import Pt

    table = block.table
    _docx_caption(document, "Table", block.number, table.caption)
    numeric = table.numeric_columns()
    rows, hidden = table.shown_rows()
    if hidden:
        rows = [*rows, [_more(hidden)] + [""] * (len(table.columns) - 1)]
    rows = rows or [["None in this period."] + [""] * (len(table.columns) - 1)]
    grid = document.add_table(rows=1 + len(rows), cols=len(table.columns))
    grid.style = document.styles["Table Grid"]
    all_rows = grid.rows
    header = all_rows[0]
    _mark_header_row(header)
    for cell, col, is_num in zip(header.cells, table.columns, numeric, strict=True):
        _set_cell(cell, str(col), bold=True, right=is_num)
        _shade(cell, "F3F2F1")
    _docx_column_widths(grid, table)
    last = len(rows) - 1
    for i, (grid_row, row) in enumerate(zip(all_rows[1:], rows, strict=True)):
        bold = table.total_row and i == last
        if hidden and i == last:
            cells = grid_row.cells
            cells[0].merge(cells[-1])
            _set_cell(cells[0], _text(row[0]))
            continue
        for cell, value, is_num in zip(grid_row.cells, row, numeric, strict=True):
            _set_cell(cell, _text(value), bold=bold, right=is_num)
    if table.how_counted:
        note = document.add_paragraph()
        note.paragraph_format.space_before = Pt(3)
        note.add_run("How counted: ").bold = True
        note.add_run(table.how_counted)
        for run in note.runs:
            run.font.size = Pt(9)


def _docx_figure(document, block: _Figure) -> None:
    from docx.shared import Mm

    chart = block.chart
    _docx_caption(document, "Figure", block.number, chart.title)
    document.add_picture(io.BytesIO(chart.png), width=Mm(160))
    picture_paragraph = document.paragraphs[-1]
    picture_paragraph.paragraph_format.keep_with_next = True
    # Alt text lives on the drawing's docPr; python-docx does not expose it.
    inline = picture_paragraph.runs[-1]._r.xpath(".//wp:docPr")[0]
    inline.set("descr", chart.alt)
    inline.set("title", chart.title)


def render_docx(report: YearlyReport) -> bytes:
    """Render an editable Word document in Word's own styles.

    Title, Subtitle, Heading 1 per section, Caption (with SEQ fields) for tables and figures,
    tables in the "Table Grid" style with a repeating, shaded header row, and charts as
    pictures with alt text; the partnership in the header and "Page N of M" in the footer.
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(25), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    _docx_styles(document)

    props = document.core_properties
    props.title = report.title
    props.author = report.partnership_name
    props.subject = _subtitle(report)
    props.keywords = "yearly report"
    props.comments = ""

    header = section.header.paragraphs[0]
    header.add_run(report.partnership_name).bold = True
    header.add_run(f"  Yearly report {report.year_label}")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    _add_field(footer, "PAGE")
    footer.add_run(" of ")
    _add_field(footer, "NUMPAGES")

    document.add_paragraph(report.title, style="Title")
    document.add_paragraph(_subtitle(report), style="Subtitle")
    document.add_paragraph(_counted_line(report))

    counters = {"figure": 0, "table": 0}
    for sec in report.sections:
        document.add_heading(sec.title, level=1)
        if sec.narrative:
            for text in sec.narrative:
                document.add_paragraph(text)
        elif sec.guidance:
            placeholder = document.add_paragraph()
            run = placeholder.add_run(f"{PLACEHOLDER} {sec.guidance}")
            run.italic = True
        for block in _blocks(sec, counters):
            if isinstance(block, _Figure):
                _docx_figure(document, block)
            else:
                _docx_table(document, block)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# XLSX -------------------------------------------------------------------------------------


def render_xlsx(report: YearlyReport) -> bytes:
    """Return the report's tables as a workbook, one sheet per table, with an About sheet
    listing each table and how it was counted (for partners who work in spreadsheets)."""
    from reviewhub.actions.export import Column, Sheet, write_xlsx_workbook

    counters = {"figure": 0, "table": 0}
    about = [
        {"item": "Report", "text": report.title},
        {"item": "Period", "text": _subtitle(report)},
        {"item": "Counted", "text": _counted_line(report)},
    ]
    sheets = []
    for section in report.sections:
        for block in _blocks(section, counters):
            if not isinstance(block, _Table):
                continue
            table = block.table
            columns = [Column(f"c{i}", str(col)) for i, col in enumerate(table.columns)]
            rows = [{f"c{i}": v for i, v in enumerate(row)} for row in table.rows]
            sheets.append(Sheet(f"Table {block.number}", rows, columns))
            about.append(
                {
                    "item": f"Table {block.number}",
                    "text": f"{table.caption}. How counted: {table.how_counted}",
                }
            )
    about_sheet = Sheet("About", about, [Column("item", "Item", 12), Column("text", "Text", 100)])
    return write_xlsx_workbook([about_sheet, *sheets])


def render(report: YearlyReport, fmt: str) -> bytes:
    """Render to one of ``FORMATS`` and return bytes (HTML as UTF-8), for the CLI and views."""
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "docx":
        return render_docx(report)
    if fmt == "xlsx":
        return render_xlsx(report)
    raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
