"""Render a ``BriefingDocument`` to HTML, PDF, DOCX and Markdown.

Every format carries the same outline so that each can be imported again: the title, then
"Background", then one "Theme N: title" heading per theme with the sub-headings "What we have
learned" and "What you should do", then "Further information" (or, for a 7-minute briefing,
the seven numbered sections). The partnership's name and logo are print settings: they go in
the page header of the PDF and DOCX and in the header bar of the HTML page, never in the body.
"""

from __future__ import annotations

import base64
import io
import re
from html import escape

from .model import (
    SEVEN_MINUTE,
    Block,
    BriefingDocument,
    Paragraph,
)

# Written into the PDF's Creator field, so the importer knows the layout rules it was made with.
GENERATOR = "ReviewHub briefings"
FONT_STACK = '"Liberation Sans", Arial, "DejaVu Sans", Helvetica, sans-serif'

# A small subset of GOV.UK Frontend so a standalone page (and the PDF made from it) looks like
# the product without shipping the whole framework; inside the product the real CSS applies.
_SCREEN_CSS = """
body { font-family: $FONT_STACK; color: #0b0c0c; margin: 0; line-height: 1.32; }
.app-briefing-header { background: #0b0c0c; color: #fff; padding: 10px 15px;
  display: flex; align-items: center; gap: 15px; }
.app-briefing-header img { max-height: 48px; max-width: 180px; }
.app-briefing-header__name { font-weight: 700; font-size: 19px; }
.govuk-width-container { max-width: 960px; margin: 0 15px; }
.govuk-heading-xl { font-size: 36px; font-weight: 700; line-height: 1.11; margin: 30px 0 30px; }
.govuk-heading-l { font-size: 27px; font-weight: 700; line-height: 1.11; margin: 30px 0 20px; }
.govuk-heading-m { font-size: 21px; font-weight: 700; line-height: 1.14; margin: 20px 0 15px; }
.govuk-caption-l { font-size: 21px; color: #505a5f; display: block; margin: 0 0 10px; }
.govuk-body-l { font-size: 24px; line-height: 1.25; margin: 0 0 30px; }
.govuk-body, .govuk-list { font-size: 19px; line-height: 1.32; margin: 0 0 20px; }
.govuk-list--bullet { padding-left: 20px; list-style-type: disc; }
.govuk-list > li { margin-bottom: 5px; }
.app-briefing-sources { font-size: 16px; color: #505a5f; }
""".replace("$FONT_STACK", FONT_STACK)

# A4 print layout for WeasyPrint. The header bar becomes a running element repeated in every
# page's top margin, and the footer counts pages, so a printed briefing is identifiable.
_PRINT_CSS = """
@media print {
  @page {
    size: A4; margin: 24mm 18mm 20mm 18mm;
    @top-left { content: element(briefingheader); vertical-align: bottom; padding-bottom: 3mm; }
    @bottom-right { content: "Page " counter(page) " of " counter(pages);
      font-family: $FONT_STACK; font-size: 9pt; color: #505a5f; }
  }
  body { font-size: 11pt; }
  .app-briefing-header { position: running(briefingheader); background: none; color: #505a5f;
    padding: 0; display: block; font-size: 9pt; }
  .app-briefing-header img { max-height: 12mm; max-width: 45mm; vertical-align: middle;
    margin-right: 3mm; }
  .app-briefing-header__name { font-size: 9pt; font-weight: 700; vertical-align: middle; }
  .govuk-width-container { margin: 0; max-width: none; }
  .govuk-heading-xl { font-size: 24pt; margin: 0 0 8mm; }
  .govuk-heading-l { font-size: 16pt; margin: 7mm 0 3.5mm; break-after: avoid; }
  .govuk-heading-m { font-size: 13pt; margin: 4mm 0 2.5mm; break-after: avoid; }
  .govuk-caption-l { font-size: 13pt; }
  .govuk-body, .govuk-list { font-size: 11pt; margin: 0 0 3.5mm; orphans: 2; widows: 2; }
  /* Whole paragraphs and bullets per page: easier to read, and the import then knows that a
     page end is a paragraph end (only a paragraph longer than a page is ever cut). */
  .govuk-body, .govuk-list > li { break-inside: avoid; }
  .govuk-body-l { font-size: 14pt; margin: -4mm 0 8mm; }
  .govuk-list--bullet { padding-left: 6mm; }
  .govuk-list > li { margin-bottom: 1.2mm; }
  /* Never leave one bullet alone at the top or bottom of a page. */
  .govuk-list > li:first-child { break-after: avoid; }
  .govuk-list > li:last-child { break-before: avoid; }
  /* Hyphenation off: a hyphen in the PDF then always belongs to the text, so import is exact. */
  * { hyphens: manual; }
}
""".replace("$FONT_STACK", FONT_STACK)


def _sniff_image_mime(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if b"<svg" in data[:1024]:
        return "image/svg+xml"
    raise ValueError("logo must be a PNG, JPEG, GIF or SVG image")


def _logo_data_uri(doc: BriefingDocument) -> str | None:
    data = doc.logo_bytes()
    if not data:
        return None
    encoded = base64.b64encode(data).decode("ascii")
    return f"data:{_sniff_image_mime(data)};base64,{encoded}"


def _html_blocks(blocks: list[Block]) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(f'<p class="govuk-body">{escape(block.text)}</p>')
        else:
            items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
            out.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
    return out


def _outline(doc: BriefingDocument):
    """Yield ``(level, heading, blocks)`` in reading order; level 1 = section, 2 = sub-heading.

    One outline feeds every renderer so the four formats cannot drift apart.
    """
    if doc.kind == SEVEN_MINUTE:
        for index, section in enumerate(doc.sections, start=1):
            yield 1, f"{index}. {section.heading}", section.blocks
        return
    if doc.background:
        yield 1, "Background", doc.background
    for theme in doc.themes:
        yield 1, theme.heading, []
        yield 2, theme.learned_heading, theme.learned
        yield 2, theme.action_heading, theme.actions
    if doc.further_information:
        yield 1, "Further information", doc.further_information


def render_html(
    doc: BriefingDocument, *, standalone: bool = True, show_sources: bool = False
) -> str:
    """Render GOV.UK-styled HTML with every piece of text escaped.

    ``standalone=False`` returns an ``<article>`` fragment for a product template, which brings
    the real GOV.UK Frontend CSS; ``standalone=True`` returns a whole page with a small screen and
    print stylesheet, which is also what the PDF is made from. ``show_sources`` prints each
    theme's source references (review ids) for internal versions.
    """
    body: list[str] = ['<article class="app-briefing">']
    body.append(f'<h1 class="govuk-heading-xl">{escape(doc.title)}</h1>')
    if doc.subtitle:
        body.append(f'<p class="govuk-body-l">{escape(doc.subtitle)}</p>')
    themes = iter(doc.themes)
    for level, heading, blocks in _outline(doc):
        if level == 1:
            body.append(f'<h2 class="govuk-heading-l">{escape(heading)}</h2>')
            if show_sources and heading.startswith("Theme "):
                theme = next(themes)
                if theme.sources:
                    refs = escape(", ".join(theme.sources))
                    body.append(f'<p class="govuk-body app-briefing-sources">Sources: {refs}</p>')
        else:
            body.append(f'<h3 class="govuk-heading-m">{escape(heading)}</h3>')
        body.extend(_html_blocks(blocks))
    body.append("</article>")
    article = "\n".join(body)
    if not standalone:
        return article

    header = ""
    logo = _logo_data_uri(doc)
    if doc.partnership_name or logo:
        parts = ['<header class="app-briefing-header">']
        if logo:
            alt = escape(f"{doc.partnership_name} logo" if doc.partnership_name else "Logo")
            parts.append(f'<img src="{logo}" alt="{alt}">')
        if doc.partnership_name:
            parts.append(
                f'<span class="app-briefing-header__name">{escape(doc.partnership_name)}</span>'
            )
        parts.append("</header>")
        header = "".join(parts)
    author = (
        f'<meta name="author" content="{escape(doc.partnership_name)}">\n'
        if doc.partnership_name
        else ""
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(doc.title)}</title>\n{author}"
        f'<meta name="generator" content="{GENERATOR}">\n'
        f"<style>{_SCREEN_CSS}{_PRINT_CSS}</style>\n</head>\n<body>\n"
        f'{header}\n<main class="govuk-width-container">\n{article}\n</main>\n</body>\n</html>\n'
    )


def render_pdf(doc: BriefingDocument) -> bytes:
    """Render an A4 PDF with WeasyPrint from the standalone HTML and its print stylesheet.

    The PDF is tagged (PDF/UA-1) so screen readers get its headings, lists and language, as
    the public sector accessibility regulations expect of published documents.
    """
    from weasyprint import HTML  # imported late: WeasyPrint takes ~0.3 s to import
    from weasyprint.urls import URLFetcher

    # Everything the page needs is inline (the logo is a data: URI); refusing other schemes
    # means no text in a briefing can make the server read a file or call out to a network.
    fetcher = URLFetcher(allowed_protocols={"data"})
    html = HTML(string=render_html(doc, standalone=True), url_fetcher=fetcher)
    return html.write_pdf(pdf_variant="pdf/ua-1")


def _add_page_number_field(paragraph) -> None:
    """Append "Page N of M" with Word fields, which python-docx has no API for."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def field(instr: str) -> None:
        run = paragraph.add_run()
        for kind, text in (
            ("begin", None),
            (None, instr),
            ("separate", None),
            (None, "1"),
        ):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            elif text == instr:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = f" {instr} "
            else:
                el = OxmlElement("w:t")
                el.text = text
            run._r.append(el)
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        run._r.append(end)

    paragraph.add_run("Page ")
    field("PAGE")
    paragraph.add_run(" of ")
    field("NUMPAGES")


def _docx_styles(document) -> None:
    """Give Word's built-in styles a GOV.UK look: Arial, black, no decorative rules.

    The styles keep their names (Title, Heading 1, ...) so navigation and re-import work; only
    their formatting changes. The template's theme-font attributes are removed because Word
    lets them override an explicit font name.
    """
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    black = RGBColor(0x0B, 0x0C, 0x0C)
    looks = {
        # name: (size, bold, space before, space after)
        "Normal": (11, False, 0, 6),
        "Title": (26, True, 0, 12),
        "Subtitle": (14, False, 0, 18),
        "Heading 1": (16, True, 18, 6),
        "Heading 2": (13, True, 10, 4),
        "List Bullet": (11, False, 0, 3),
    }
    for name, (size, bold, before, after) in looks.items():
        style = document.styles[name]
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = black
        spacing = rpr.find(qn("w:spacing"))
        if spacing is not None:
            rpr.remove(spacing)  # the template letter-spaces the Subtitle
        ppr = style.element.get_or_add_pPr()
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
    # Arial wants a little more leading than Word's single spacing.
    document.styles["Normal"].paragraph_format.line_spacing = 1.15
    for name in ("Header", "Footer"):
        document.styles[name].font.size = Pt(9)


def render_docx(doc: BriefingDocument) -> bytes:
    """Render an editable Word document that uses Word's own styles.

    Title for the title, Heading 1 for sections and "Theme N: title", Heading 2 for the two
    sub-headings, Normal for paragraphs and List Bullet for bullets, so Word's navigation pane
    shows the outline and the document can be edited and re-imported.
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(30), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)

    _docx_styles(document)

    props = document.core_properties
    props.title = doc.title
    props.author = doc.partnership_name
    props.subject = doc.subtitle
    props.comments = ""
    props.keywords = "briefing"

    header = section.header.paragraphs[0]
    logo = doc.logo_bytes()
    if logo:
        if _sniff_image_mime(logo) == "image/svg+xml":
            raise ValueError("a DOCX logo must be PNG, JPEG or GIF (Word cannot take this SVG)")
        header.add_run().add_picture(io.BytesIO(logo), height=Mm(10))
        header.add_run("  ")
    if doc.partnership_name:
        header.add_run(doc.partnership_name).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _add_page_number_field(footer)

    document.add_paragraph(doc.title, style="Title")
    if doc.subtitle:
        document.add_paragraph(doc.subtitle, style="Subtitle")
    for level, heading, blocks in _outline(doc):
        document.add_heading(heading, level=level)
        previous = None
        for block in blocks:
            if isinstance(block, Paragraph):
                previous = document.add_paragraph(block.text, style="Normal")
                continue
            if previous is not None:
                previous.paragraph_format.keep_with_next = True  # the list's lead-in
            items = [document.add_paragraph(item, style="List Bullet") for item in block.items]
            if len(items) > 1:
                # Never one bullet alone at the foot or the head of a page.
                items[0].paragraph_format.keep_with_next = True
                items[-2].paragraph_format.keep_with_next = True
            previous = None

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# Characters that would change meaning in Markdown; escaping them keeps the text literal.
_MD_INLINE = re.compile(r"([\\`*_\[\]])")
_MD_TAG_OR_ENTITY = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?\w+;)")


def _md_text(text: str, *, line_start: bool = True) -> str:
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_TAG_OR_ENTITY.sub(lambda m: "\\" + m.group(0), text)
    if line_start:
        # A paragraph that begins like a heading, list item or quote must stay a paragraph;
        # for "1." the escape goes before the dot, the only place CommonMark allows it.
        m = re.match(r"^(\d+)([.)])(?=\s|$)", text)
        if m:
            return f"{m.group(1)}\\{m.group(2)}{text[m.end() :]}"
        text = re.sub(r"^([#+>-])(?=\s|$)", r"\\\1", text)
    else:
        # In a heading a trailing "#" run would be read as the optional closing sequence.
        text = re.sub(r"#$", r"\\#", text)
    return text


def render_markdown(doc: BriefingDocument) -> str:
    """Render CommonMark that ``parse_text`` reads back into the same document.

    The partnership name, when set, is a plain line before the ``#`` title, so the parser can
    tell it from the subtitle that follows the title.
    """
    lines: list[str] = []
    if doc.partnership_name:
        lines += [_md_text(doc.partnership_name), ""]
    lines += [f"# {_md_text(doc.title, line_start=False)}", ""]
    if doc.subtitle:
        lines += [_md_text(doc.subtitle), ""]
    for level, heading, blocks in _outline(doc):
        lines += [f"{'#' * (level + 1)} {_md_text(heading, line_start=False)}", ""]
        for block in blocks:
            if isinstance(block, Paragraph):
                lines += [_md_text(block.text), ""]
            else:
                lines += [f"- {_md_text(item)}" for item in block.items]
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
