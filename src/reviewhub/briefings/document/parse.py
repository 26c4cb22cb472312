"""Parse a briefing in the partnership format from text, Markdown, DOCX or PDF.

Every input is first reduced to a list of *elements* (a paragraph, a bullet item, or a line
that may be a heading, each with where it came from), and one structural pass turns the
elements into a ``BriefingDocument``. Keeping the structure rules in one place means a TXT, a
DOCX and a PDF of the same briefing cannot be read differently.

The only normalisation applied to text is whitespace (runs collapse to one space), so every
paragraph and bullet comes through character for character.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .model import (
    ACTION_HEADING,
    LEARNED_HEADING,
    SEVEN_MINUTE,
    SEVEN_MINUTE_SECTIONS,
    THEMATIC,
    Block,
    BriefingDocument,
    BulletList,
    Paragraph,
    Section,
    Theme,
    join_wrapped,
    normalise_space,
)


class BriefingParseError(ValueError):
    """A file that is not a briefing in the expected format; the message names where."""

    def __init__(self, message: str, *, where: str = "", source: str = "") -> None:
        self.message = message
        self.where = where
        self.source = source
        super().__init__(": ".join(part for part in (source, where, message) if part))


# --- recognising headings ---------------------------------------------------------------

THEME_RE = re.compile(r"^theme\s+(\d+)\s*[:.\u2013\u2014-]\s*(\S.*)$", re.IGNORECASE)
_LEARNED = r"what we have learned|what have we learned|what we have learnt|what have we learnt"
_ACTION = r"what you should do|what should you do|what you need to do|what do you need to do"
SUBHEADING_RE = re.compile(rf"^({_LEARNED}|{_ACTION})\s*(?::\s*(.*))?$", re.IGNORECASE)
LEARNED_RE = re.compile(rf"^(?:{_LEARNED})$", re.IGNORECASE)
BACKGROUND_RE = re.compile(r"^background:?$", re.IGNORECASE)
FURTHER_RE = re.compile(
    r"^further (?:information|reading)(?: and (?:resources|links|support))?:?$",
    re.IGNORECASE,
)
_SEVEN_RE = re.compile(r"^(?:\d{1,2}\s*[.):]\s*)?(.+?):?$")
_SEVEN_BY_HEADING = {heading.lower(): key for key, heading in SEVEN_MINUTE_SECTIONS}
# Headings only a 7-minute briefing has; seeing them (and no themes) decides the kind.
_SEVEN_ONLY = {"why_it_matters", "information", "findings", "reflection"}

BULLET_RE = re.compile(
    r"^\s*(?:[-*+\u2022\u2023\u25aa\u25cf\u25e6\u2043\u2013\u00b7\uf0b7])\s+(.*)$"
)


def _seven_key(text: str) -> str | None:
    m = _SEVEN_RE.match(text)
    return _SEVEN_BY_HEADING.get(m.group(1).strip().lower()) if m else None


# --- elements -------------------------------------------------------------------------


@dataclass
class Element:
    """One unit of content before structure is applied.

    ``kind`` is "text" or "bullet". ``role`` carries what the source format said about it:
    "title", "subtitle", "heading" (a Word heading style, a Markdown ``#`` line or a PDF line
    in a larger font) or "" when only the text can tell.
    """

    kind: str
    text: str
    where: str
    role: str = ""


_MD_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>&|~])")


def text_elements(text: str) -> list[Element]:
    """Split plain text or Markdown into elements, recording the line each one starts on.

    Paragraphs are separated by blank lines, or are one per line in text copied from Word;
    lines wrapped inside a paragraph are joined; a line starting with a bullet mark starts a
    bullet item, and indented lines continue it.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    markdown = any(re.match(r"^#{1,6}\s", line) for line in lines)
    elements: list[Element] = []
    current: Element | None = None
    # Text copied out of Word has one paragraph per line and no blank lines between them;
    # hard-wrapped text (an email, a 72-column file) has short lines to join. Long lines
    # directly followed by another line tell the first kind apart.
    followed = [
        len(a.strip()) for a, b in zip(lines, lines[1:], strict=False) if a.strip() and b.strip()
    ]
    one_per_line = bool(followed) and sorted(followed)[len(followed) // 2] > 100

    def clean(value: str) -> str:
        if markdown:
            value = _MD_ESCAPE_RE.sub(r"\1", value)
        return value

    def flush() -> None:
        nonlocal current
        if current is not None:
            current.text = normalise_space(current.text)
            elements.append(current)
        current = None

    for lineno, raw in enumerate(lines, start=1):
        where = f"line {lineno}"
        stripped = raw.strip()
        if not stripped:
            flush()
            continue
        md = re.match(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$", stripped) if markdown else None
        if md:
            flush()
            role = "title" if len(md.group(1)) == 1 else "heading"
            elements.append(Element("text", normalise_space(clean(md.group(2))), where, role))
            continue
        bullet = BULLET_RE.match(raw)
        if (
            bullet
            and not one_per_line
            and stripped[0] in "-*\u2013"
            and current is not None
            and current.kind == "text"
            and not current.text.rstrip().endswith(":")
        ):
            # A dash opening a line inside a paragraph is more likely a wrapped dash
            # ("neglect" / "- including") than a list interrupting the paragraph.
            bullet = None
        if bullet:
            flush()
            current = Element("bullet", clean(bullet.group(1)), where)
            continue
        if current is not None and current.kind == "bullet" and raw[:1].isspace():
            current.text = join_wrapped(current.text, clean(stripped))
            continue
        if THEME_RE.match(stripped):
            # Left open so that a long title wrapped onto the next line joins it.
            flush()
            current = Element("text", stripped, where)
            continue
        if SUBHEADING_RE.match(stripped):
            # Left open too: "What you should do: ..." may carry wrapped text on later lines.
            flush()
            current = Element("text", clean(stripped), where)
            continue
        if BACKGROUND_RE.match(stripped) or FURTHER_RE.match(stripped):
            flush()
            elements.append(Element("text", normalise_space(stripped), where))
            continue
        if current is not None and current.kind == "text" and not one_per_line:
            current.text = join_wrapped(current.text, clean(stripped))
        else:
            flush()
            current = Element("text", clean(stripped), where)
    flush()
    return elements


# --- structure --------------------------------------------------------------------------


class _Builder:
    """Apply the briefing's structure to a list of elements."""

    def __init__(self, elements: list[Element], source: str) -> None:
        self.elements = elements
        self.source = source

    def fail(self, message: str, where: str = "") -> BriefingParseError:
        return BriefingParseError(message, where=where, source=self.source)

    def build(self) -> BriefingDocument:
        if not self.elements:
            raise self.fail("no text found (the file is empty)")
        heading_like = [e for e in self.elements if e.kind == "text"]
        if not any(THEME_RE.match(e.text) for e in heading_like):
            seven = {_seven_key(e.text) for e in heading_like if len(e.text) < 60}
            if len(seven & _SEVEN_ONLY) >= 2:
                return self._seven_minute()
        # Without themes this still runs, so the first misplaced heading is what gets reported.
        return self._thematic()

    def _title_block(self, doc: BriefingDocument, elements: list[Element]) -> None:
        for element in elements:
            if element.kind == "bullet":
                raise self.fail(
                    "bullet found before the first section heading ('Background' or 'Theme 1:')",
                    element.where,
                )
        if not elements:
            raise self.fail("no title before the first section heading", self.elements[0].where)
        titles = [i for i, e in enumerate(elements) if e.role == "title"]
        at = titles[0] if titles else 0
        doc.title = elements[at].text
        doc.partnership_name = " ".join(e.text for e in elements[:at])
        doc.subtitle = " ".join(e.text for e in elements[at + 1 :])

    def _thematic(self) -> BriefingDocument:
        doc = BriefingDocument(title="", kind=THEMATIC)
        title_block: list[Element] = []
        state = "title"
        theme: Theme | None = None
        theme_where = ""
        theme_lines: dict[int, str] = {}
        part: str | None = None  # "learned" or "actions" inside a theme
        part_where = ""
        target: list[Block] | None = None

        def close_theme() -> None:
            if theme is None:
                return
            if part == "learned" and not theme.learned:
                raise self.fail(
                    f"'{theme.learned_heading}' in Theme {theme.number} has no text",
                    part_where,
                )
            if not theme.learned:
                raise self.fail(
                    f"Theme {theme.number} has no '{LEARNED_HEADING}' section",
                    theme_where,
                )
            if not theme.actions:
                if part == "actions":
                    raise self.fail(
                        f"'{theme.action_heading}' in Theme {theme.number} has no text",
                        part_where,
                    )
                raise self.fail(
                    f"Theme {theme.number} has no '{ACTION_HEADING}' section",
                    theme_where,
                )

        for element in self.elements:
            text = element.text
            if element.kind == "bullet":
                if state == "title":
                    title_block.append(element)
                    continue
                if target is None:
                    raise self.fail(self._orphan_text(theme, "bullet"), element.where)
                _add_bullet(target, text)
                continue

            m = THEME_RE.match(text)
            if m and element.role != "title":
                close_theme()
                if state == "title":
                    self._title_block(doc, title_block)
                number = int(m.group(1))
                if number in theme_lines:
                    raise self.fail(
                        f"Theme {number} appears twice (first at {theme_lines[number]})",
                        element.where,
                    )
                expected = len(doc.themes) + 1
                if number != expected:
                    raise self.fail(
                        f"expected Theme {expected} but found Theme {number}"
                        + (" (a theme number was skipped)" if number > expected else ""),
                        element.where,
                    )
                theme_lines[number] = element.where
                theme = Theme(number=number, title=normalise_space(m.group(2)))
                doc.themes.append(theme)
                theme_where = element.where
                state, part, target = "themes", None, None
                continue

            m = SUBHEADING_RE.match(text)
            if m:
                heading = m.group(1)
                if theme is None or state == "further":
                    raise self.fail(
                        f"'{heading}' found before any 'Theme N:' heading"
                        if theme is None
                        else f"'{heading}' found after 'Further information'",
                        element.where,
                    )
                learned = bool(LEARNED_RE.match(heading))
                if learned and (part is not None):
                    raise self.fail(f"second '{heading}' in Theme {theme.number}", element.where)
                if not learned and part == "actions":
                    raise self.fail(f"second '{heading}' in Theme {theme.number}", element.where)
                if not learned and part is None:
                    raise self.fail(
                        f"'{heading}' in Theme {theme.number} comes before '{LEARNED_HEADING}'",
                        element.where,
                    )
                if learned:
                    theme.learned_heading = heading
                    part, target = "learned", theme.learned
                else:
                    if not theme.learned:
                        raise self.fail(
                            f"'{theme.learned_heading}' in Theme {theme.number} has no text",
                            part_where,
                        )
                    theme.action_heading = heading
                    part, target = "actions", theme.actions
                part_where = element.where
                if m.group(2):
                    target.append(Paragraph(normalise_space(m.group(2))))
                continue

            if BACKGROUND_RE.match(text) and element.role != "title":
                if state != "title":
                    raise self.fail("'Background' must come before the themes", element.where)
                self._title_block(doc, title_block)
                state, target = "background", doc.background
                continue

            if FURTHER_RE.match(text) and element.role != "title":
                if state == "title":
                    raise self.fail("'Further information' found before any theme", element.where)
                if state == "further":
                    raise self.fail("second 'Further information' heading", element.where)
                close_theme()
                theme = None
                state, part, target = "further", None, doc.further_information
                continue

            if state == "title":
                title_block.append(element)
                continue
            if element.role == "heading":
                raise self.fail(f"unrecognised heading {text!r}", element.where)
            if target is None:
                raise self.fail(self._orphan_text(theme, "text"), element.where)
            target.append(Paragraph(text))

        if not doc.themes:
            last = self.elements[-1].where
            raise self.fail(
                f"no 'Theme N: title' headings found (read up to {last}); "
                "a thematic briefing needs at least one"
            )
        close_theme()
        return doc

    @staticmethod
    def _orphan_text(theme: Theme | None, what: str) -> str:
        if theme is not None:
            return f"{what} in Theme {theme.number} before '{LEARNED_HEADING}'"
        return f"{what} outside any section"

    def _seven_minute(self) -> BriefingDocument:
        doc = BriefingDocument(title="", kind=SEVEN_MINUTE)
        title_block: list[Element] = []
        target: list[Block] | None = None
        seen: dict[str, str] = {}
        for element in self.elements:
            key = _seven_key(element.text) if element.kind == "text" else None
            if key and element.role != "title":
                if key in seen:
                    raise self.fail(
                        f"section {element.text!r} appears twice (first at {seen[key]})",
                        element.where,
                    )
                if not seen:
                    self._title_block(doc, title_block)
                seen[key] = element.where
                section = Section(key)
                doc.sections.append(section)
                target = section.blocks
                continue
            if target is None:
                title_block.append(element)
            elif element.kind == "bullet":
                _add_bullet(target, element.text)
            elif element.role == "heading":
                raise self.fail(f"unrecognised heading {element.text!r}", element.where)
            else:
                target.append(Paragraph(element.text))
        order = {key: i for i, (key, _) in enumerate(SEVEN_MINUTE_SECTIONS)}
        doc.sections.sort(key=lambda s: order[s.key])
        return doc


def _add_bullet(target: list[Block], text: str) -> None:
    if target and isinstance(target[-1], BulletList):
        target[-1] = BulletList(target[-1].items + (text,))
    else:
        target.append(BulletList((text,)))


def build_document(elements: list[Element], *, source: str = "") -> BriefingDocument:
    """Turn elements from any format into a document, or raise ``BriefingParseError``."""
    return _Builder(elements, source).build()


# --- formats ----------------------------------------------------------------------------


def parse_text(text: str, *, source: str = "") -> BriefingDocument:
    """Parse a briefing from plain text or from the Markdown ``render_markdown`` writes."""
    if not text.strip():
        raise BriefingParseError("empty file", source=source)
    return build_document(text_elements(text), source=source)


_BULLET_STYLES = ("list bullet", "list paragraph", "list number", "list continue")


def docx_elements(data: bytes) -> list[Element]:
    """Read a Word document's body paragraphs, using its styles where it has them.

    Title/Subtitle/Heading styles and list styles (or Word numbering) give the role; a document
    typed without styles still parses, because headings are also recognised by their text.
    """
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    elements: list[Element] = []
    for index, paragraph in enumerate(_docx_paragraphs(document), start=1):
        text = normalise_space(paragraph.text)
        if not text:
            continue
        where = f"paragraph {index}"
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        ppr = paragraph._p.pPr
        numbered = ppr is not None and ppr.find(qn("w:numPr")) is not None
        if style == "title":
            elements.append(Element("text", text, where, "title"))
        elif style == "subtitle":
            elements.append(Element("text", text, where, "subtitle"))
        elif style.startswith("heading"):
            elements.append(Element("text", text, where, "heading"))
        elif numbered or style.startswith(_BULLET_STYLES):
            bullet = BULLET_RE.match(text)
            elements.append(Element("bullet", bullet.group(1) if bullet else text, where))
        else:
            bullet = BULLET_RE.match(text)
            if bullet:
                elements.append(Element("bullet", bullet.group(1), where))
            else:
                elements.append(Element("text", text, where))
    return elements


def _docx_paragraphs(container):
    """Yield body paragraphs in reading order, including those inside tables.

    Partnerships often lay out 7-minute briefings as a table; a merged cell appears once.
    """
    from docx.table import Table

    for item in container.iter_inner_content():
        if isinstance(item, Table):
            # Holding the lxml elements keeps their proxies alive, so identity is reliable
            # (an id() of a freed proxy can be reused).
            seen: list = []
            for row in item.rows:
                for cell in row.cells:
                    if any(cell._tc is tc for tc in seen):
                        continue
                    seen.append(cell._tc)
                    yield from _docx_paragraphs(cell)
        else:
            yield item


def parse_docx(data: bytes, *, source: str = "") -> BriefingDocument:
    """Parse a briefing from the bytes of a .docx file."""
    try:
        elements = docx_elements(data)
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise BriefingParseError(f"not a readable Word document ({exc})", source=source) from exc
    if not elements:
        raise BriefingParseError("the Word document has no text", source=source)
    return build_document(elements, source=source)


def parse_pdf(data: bytes, *, source: str = "") -> BriefingDocument:
    """Parse a briefing from the bytes of a PDF, rejoining lines wrapped by the layout."""
    from .pdftext import PdfTextError, pdf_elements

    try:
        elements = pdf_elements(data)
    except PdfTextError as exc:
        raise BriefingParseError(str(exc), source=source) from exc
    if not elements:
        raise BriefingParseError(
            "the PDF has no extractable text (a scanned image needs OCR first)",
            source=source,
        )
    return build_document(elements, source=source)


def detect_format(data: bytes) -> str:
    """Return "pdf", "docx" or "txt" from the content (never the file name), or raise."""
    if not data.strip():
        raise BriefingParseError("empty file")
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as exc:
            raise BriefingParseError("a damaged ZIP archive, not a Word document") from exc
        if "word/document.xml" in names:
            return "docx"
        raise BriefingParseError("a ZIP archive but not a Word (.docx) document")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BriefingParseError("an old Word (.doc) file: save it as .docx and import that")
    if b"\x00" in data[:8192]:
        raise BriefingParseError("not a TXT, DOCX or PDF file (binary content)")
    return "txt"


def decode_text(data: bytes) -> str:
    """Decode text as UTF-8 (with or without BOM), falling back to Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise BriefingParseError("not a TXT, DOCX or PDF file (undecodable text)") from exc


def parse_bytes(data: bytes, *, source: str = "") -> BriefingDocument:
    """Parse a briefing from file content of any supported format."""
    try:
        kind = detect_format(data)
        if kind == "txt":
            text = decode_text(data)
    except BriefingParseError as exc:
        raise BriefingParseError(exc.message, source=source) from None
    if kind == "pdf":
        return parse_pdf(data, source=source)
    if kind == "docx":
        return parse_docx(data, source=source)
    return parse_text(text, source=source)


def parse_file(path: str | Path) -> BriefingDocument:
    """Parse a briefing file (TXT, Markdown, DOCX or PDF, told apart by content)."""
    path = Path(path)
    return parse_bytes(path.read_bytes(), source=str(path))
