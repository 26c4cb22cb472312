"""Recover paragraphs, bullets and headings from a PDF's text layer with pypdfium2.

A PDF stores positioned glyphs, not paragraphs. This module rebuilds visual lines from the
glyph boxes, drops running headers, footers and page numbers, splits lines into blocks where
the vertical spacing or the font size changes, and rejoins a paragraph or bullet that a page
break cut in two, so that the text an author wrote comes back whole.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from .model import join_wrapped, normalise_space

_TERMINAL = tuple(".!?:;)\"'\u201d\u2019")
_PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.IGNORECASE)
_MARKS = "\u2022\u2023\u25aa\u25cf\u25e6\u2043\u00b7\uf0a7\uf0b7\uf0d8\uf0fc*\u2013-"
_DASHES = "*\u2013-\u00b7"
_BULLET_MARK_RE = re.compile(rf"^[{_MARKS}]$")
_BULLET_LINE_RE = re.compile(rf"^[{_MARKS}]\s+(\S.*)$")
_HEADING_START_RE = re.compile(
    r"^(?:theme\s+\d+\s*[:.\u2013-]|what (?:we have|have we|you should|should you|you need to)\b"
    r"|background$|further (?:information|reading))",
    re.IGNORECASE,
)


class PdfTextError(ValueError):
    """The bytes are not a PDF that pdfium can open."""


@dataclass
class Line:
    page: int
    number: int  # 1-based line number on its page, after headers are dropped
    text: str
    left: float
    right: float
    top: float
    bottom: float
    size: float
    baseline: float = 0.0
    bullet: bool = False
    text_left: float = 0.0  # left edge of the text after a bullet mark
    first_word_width: float = 0.0  # to tell whether it would have fitted on the line before


@dataclass
class _Block:
    lines: list[Line] = field(default_factory=list)
    bullet: bool = False

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def last(self) -> Line:
        return self.lines[-1]


def _page_lines(textpage, page_index: int) -> list[Line]:
    """Group the page's characters into visual lines, ordered top to bottom, left to right.

    pdfium's own text order can put list markers after the page's text (WeasyPrint draws them
    last) and can run two lines together, so lines are rebuilt from glyph positions: each
    glyph's baseline origin and its font size scaled by the text matrix, which (unlike glyph
    boxes) are the same for every glyph of a line whichever program made the PDF.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    raw = textpage.raw
    glyphs: list[tuple[str, float, float, float, float, float]] = []  # ch, x, y, size, l, r
    matrix = pdfium_c.FS_MATRIX()
    x = ctypes.c_double()
    y = ctypes.c_double()
    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        ch = chr(code) if code else ""
        if ch in ("\r", "\n", ""):
            glyphs.append(("\n", 0, 0, 0, 0, 0))
            continue
        if ch == "\x02":
            # pdfium's mark for a hyphen at a line end. Our PDFs never hyphenate, so it is a
            # real hyphen ("co-ordinate"); join_wrapped keeps it without a space.
            ch = "-"
        pdfium_c.FPDFText_GetCharOrigin(raw, index, ctypes.byref(x), ctypes.byref(y))
        pdfium_c.FPDFText_GetMatrix(raw, index, ctypes.byref(matrix))
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
        size = pdfium_c.FPDFText_GetFontSize(raw, index) * scale
        left, _, right, _ = textpage.get_charbox(index, loose=True)
        glyphs.append((ch, x.value, y.value, size, left, right))

    # Runs: stretches of glyphs on one baseline, in pdfium's order.
    runs: list[dict] = []
    current: list[tuple[str, float, float, float, float, float]] = []

    def end_run() -> None:
        solid = [g for g in current if not g[0].isspace()]
        if solid:
            runs.append(
                {
                    "text": "".join(g[0] for g in current),
                    "left": min(g[4] for g in solid),
                    "right": max(g[5] for g in solid),
                    "baseline": solid[0][2],
                    "size": round(max(g[3] for g in solid), 1),
                    "lefts": [g[4] for g in solid],
                    "spans": [(g[0], g[4], g[5]) for g in current],
                }
            )
        current.clear()

    for glyph in glyphs:
        if glyph[0] == "\n":
            end_run()
            continue
        if not glyph[0].isspace():
            last = next((g for g in reversed(current) if not g[0].isspace()), None)
            if last is not None and abs(glyph[2] - last[2]) > 0.4 * max(last[3], 1.0):
                end_run()
        current.append(glyph)
    end_run()

    runs.sort(key=lambda r: (-r["baseline"], r["left"]))
    groups: list[list[dict]] = []
    for run in runs:
        for group in groups:
            ref = group[0]
            if abs(ref["baseline"] - run["baseline"]) <= 0.3 * max(ref["size"], run["size"], 1.0):
                group.append(run)
                break
        else:
            groups.append([run])

    out: list[Line] = []
    for group in groups:
        group.sort(key=lambda r: r["left"])
        text = normalise_space(" ".join(r["text"] for r in group))
        lefts = [left for r in group for left in r["lefts"]]
        # A list marker may be its own run (WeasyPrint) or share the item's run (Word).
        bullet = _BULLET_LINE_RE.match(text)
        # A dash opening a wrapped line ("... neglect" / "– including ...") is text; a dash
        # used as a list mark stands apart from its item like a tab stop.
        if (
            bullet
            and text[0] in _DASHES
            and len(lefts) > 1
            and lefts[1] - lefts[0] < 1.2 * max(r["size"] for r in group)
        ):
            bullet = None
        if bullet:
            text = bullet.group(1)
        body = [r for r in group if not _BULLET_MARK_RE.match(r["text"].strip())] or group
        size = max(r["size"] for r in body)
        baseline = body[0]["baseline"]
        spans = [span for r in body for span in r["spans"]]
        if bullet:
            spans = spans[1:] if spans and _BULLET_MARK_RE.match(spans[0][0]) else spans
        while spans and spans[0][0].isspace():
            spans = spans[1:]
        word = []
        for span in spans:
            if span[0].isspace():
                break
            word.append(span)
        first_word_width = (word[-1][2] - word[0][1]) if word else 0.0
        out.append(
            Line(
                page=page_index + 1,
                number=0,
                text=text,
                left=group[0]["left"],
                right=max(r["right"] for r in group),
                top=baseline + 0.8 * size,
                bottom=baseline - 0.2 * size,
                size=size,
                baseline=baseline,
                bullet=bool(bullet),
                text_left=lefts[1] if bullet and len(lefts) > 1 else lefts[0],
                first_word_width=first_word_width,
            )
        )
    out.sort(key=lambda line: (-line.baseline, line.left))
    return out


def _drop_running_text(pages: list[list[Line]], heights: list[float], author: str) -> None:
    """Remove running headers, footers and page numbers in place.

    A line in the top or bottom tenth of a page is running text when the same words (digits
    aside) sit at the same height on three pages in four (a briefing heading that happens to
    open several pages must survive), or when it is a bare page number or the document's author (the partnership name
    the renderer prints in the header).
    """

    def key(line: Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", line.text.lower()), round(line.baseline / 4)

    seen = Counter(k for lines in pages for k in {key(line) for line in lines})
    for lines, height in zip(pages, heights, strict=True):
        kept = []
        for line in lines:
            margin = line.top > height * 0.9 or line.bottom < height * 0.1
            running = (
                len(pages) > 1
                and seen[key(line)] >= max(2, 0.75 * len(pages))
                # Pages that open with a heading put it at the same height every time.
                and not _HEADING_START_RE.match(line.text)
            )
            if margin and (
                running or _PAGE_NUMBER_RE.match(line.text) or (author and line.text == author)
            ):
                continue
            kept.append(line)
        lines[:] = kept
        for number, line in enumerate(lines, start=1):
            line.number = number


def _same_size(a: Line, b: Line) -> bool:
    return abs(a.size - b.size) <= 0.6


def _size_key(line: Line) -> float:
    return round(line.size * 2) / 2


def _blocks(pages: list[list[Line]], ours: bool = False) -> list[_Block]:
    """Split each page's lines into blocks at spacing, size, bullet and heading boundaries."""
    # Line spacing differs by font size and by producer (WeasyPrint, Word, LibreOffice), so
    # each size gets its own: the tightest spacing between two lines of that size is the
    # spacing inside a paragraph, and clearly more than that starts a new block.
    ratios: dict[float, float] = {}
    for lines in pages:
        for a, b in pairwise(lines):
            if _same_size(a, b) and not b.bullet and a.size > 0:
                ratio = (a.baseline - b.baseline) / a.size
                key = _size_key(a)
                if ratio >= 0.8 and ratio < ratios.get(key, 99.0):
                    ratios[key] = ratio
    default_ratio = statistics.median(ratios.values()) if ratios else 1.3
    body_size = Counter(round(line.size, 1) for lines in pages for line in lines).most_common(1)
    body_size_value = body_size[0][0] if body_size else 0.0

    blocks: list[_Block] = []
    for lines in pages:
        previous: Line | None = None
        for line in lines:
            new = (
                previous is None
                or line.bullet
                or not _same_size(previous, line)
                or _HEADING_START_RE.match(line.text) is not None
                or (previous.baseline - line.baseline)
                > previous.size * ratios.get(_size_key(previous), default_ratio) * 1.25
            )
            if new:
                blocks.append(_Block([line], bullet=line.bullet))
            else:
                blocks[-1].lines.append(line)
            previous = line
    _join_across_pages(blocks, pages, body_size_value, ours)
    return blocks


def _join_across_pages(
    blocks: list[_Block], pages: list[list[Line]], body_size: float, ours: bool
) -> None:
    """Merge a block that a page break split: the end of one page with the start of the next.

    ``ours`` says the PDF came from ``render_pdf``, which never cuts a paragraph that fits on
    a page, so only a line that cannot end one (no closing punctuation) continues overleaf.
    """
    body_lines = [line for lines in pages for line in lines if abs(line.size - body_size) <= 0.6]
    column_right = max((line.right for line in body_lines), default=0.0)
    i = 1
    while i < len(blocks):
        before, after = blocks[i - 1], blocks[i]
        if (
            after.first.page == before.last.page + 1
            and after.first.number == 1
            and before.last is pages[before.last.page - 1][-1]
            and not after.bullet
            and _same_size(before.last, after.first)
            and not _HEADING_START_RE.match(after.first.text)
            and _continues(before, after, column_right)
            and not (ours and before.last.text.endswith(_TERMINAL))
        ):
            before.lines.extend(after.lines)
            del blocks[i]
            continue
        i += 1


def _continues(before: _Block, after: _Block, column_right: float) -> bool:
    last, first = before.last, after.first
    if before.bullet:
        # A bullet's next line is indented to the item text; a new paragraph is not.
        return first.left >= before.first.text_left - 1.0
    # A layout only wraps when the next word does not fit, so if the next page's first word
    # would have fitted on this page's last line, the paragraph ended there. This holds with
    # or without a full stop (a sentence can end a page mid-paragraph; a link can end one).
    # A space is about a quarter of an em in the fonts briefings use.
    needed = 0.25 * last.size + first.first_word_width
    return last.right + needed > column_right


_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def vocabulary(pages: list[list[Line]]) -> set[str]:
    """Return the words that appear whole inside lines, to judge line-end hyphens by.

    A line's last word may be the first half of a hyphenated word and its first word the
    second half, so only the words between are counted.
    """
    words: set[str] = set()
    for lines in pages:
        for line in lines:
            inner = _WORD_RE.findall(line.text)[1:-1]
            words.update(word.lower() for word in inner)
    return words


def join_lines(lines: list[str], words: set[str] | None = None) -> str:
    """Join a block's visual lines, undoing the layout's line wrapping and hyphenation."""
    text = ""
    for line in lines:
        text = join_wrapped(text, line, words) if text else line
    return text.replace("\u00ad", "")


def pdf_lines(data: bytes) -> tuple[list[list[Line]], dict[str, str]]:
    """Return the PDF's lines per page (running text removed) and its metadata."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise PdfTextError(f"not a readable PDF ({exc})") from exc
    try:
        meta = {k: normalise_space(v or "") for k, v in pdf.get_metadata_dict().items()}
        author = meta.get("Author", "")
        pages: list[list[Line]] = []
        heights: list[float] = []
        for index in range(len(pdf)):
            page = pdf[index]
            heights.append(page.get_height())
            textpage = page.get_textpage()
            pages.append(_page_lines(textpage, index))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    _drop_running_text(pages, heights, author)
    return pages, meta


def pdf_elements(data: bytes):
    """Return the parser's elements for a PDF: one per paragraph, bullet item or heading."""
    from .parse import Element
    from .render import GENERATOR

    pages, meta = pdf_lines(data)
    words = vocabulary(pages)
    blocks = _blocks(pages, ours=meta.get("Creator", "") == GENERATOR)
    if not blocks:
        return []
    largest = max(block.first.size for block in blocks)
    elements = []
    title_given = False
    for block in blocks:
        text = normalise_space(join_lines([line.text for line in block.lines], words))
        if not text:
            continue
        where = f"page {block.first.page}, line {block.first.number}"
        role = ""
        if not title_given and block.first.size >= largest - 0.1:
            role, title_given = "title", True
        elements.append(Element("bullet" if block.bullet else "text", text, where, role))
    return elements
