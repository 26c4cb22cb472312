"""Recover paragraphs, bullets and headings from a PDF's text layer with pypdfium2.

A PDF stores positioned glyphs, not paragraphs. This module rebuilds visual lines from the
glyph boxes, drops running headers, footers and page numbers, splits lines into blocks where
the vertical spacing or the font size changes, and rejoins a paragraph or bullet that a page
break cut in two, so that the text an author wrote comes back whole.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from .model import join_wrapped, normalise_space

_TERMINAL = tuple(".!?:;)\"'\u201d\u2019")
_PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.IGNORECASE)
_BULLET_MARK_RE = re.compile(r"^[\u2022\u2023\u25aa\u25cf\u25e6\u2043\u00b7\uf0b7*\u2013-]$")
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
    bullet: bool = False
    text_left: float = 0.0  # left edge of the text after a bullet mark


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
    last), so lines are rebuilt from positions: pdfium's runs are merged when they share a
    baseline band.
    """
    import pypdfium2.raw as pdfium_c

    count = textpage.count_chars()
    runs: list[dict] = []
    chars: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []

    def end_run() -> None:
        if any(not ch.isspace() for ch in chars):
            solid = [b for ch, b in zip(chars, boxes, strict=True) if not ch.isspace()]
            runs.append(
                {
                    "text": "".join(chars),
                    "left": min(b[0] for b in solid),
                    "right": max(b[2] for b in solid),
                    "bottom": min(b[1] for b in solid),
                    "top": max(b[3] for b in solid),
                    # The loose box height is proportional to the font size and, unlike
                    # pdfium's font size, is in page units whatever the text matrix.
                    "size": round(max(b[3] - b[1] for b in solid), 1),
                }
            )
        chars.clear()
        boxes.clear()

    raw = textpage.raw
    for index in range(count):
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        ch = chr(code) if code else ""
        if ch in ("\r", "\n", ""):
            end_run()
            continue
        if ch == "\x02":
            # pdfium's mark for a hyphen at a line end. Our PDFs never hyphenate, so it is a
            # real hyphen ("co-ordinate"); join_wrapped keeps it without a space.
            ch = "-"
        box = textpage.get_charbox(index, loose=True)
        if not ch.isspace() and chars:
            last = next(
                (
                    b
                    for c, b in zip(reversed(chars), reversed(boxes), strict=True)
                    if not c.isspace()
                ),
                None,
            )
            # pdfium sometimes runs two visual lines together without a line break (after a
            # hyphen, for one); a jump in height means a new line whatever pdfium says.
            if (
                last is not None
                and abs((box[1] + box[3]) - (last[1] + last[3])) / 2 > (last[3] - last[1]) / 2
            ):
                end_run()
        chars.append(ch)
        boxes.append(box)
    end_run()

    runs.sort(key=lambda r: (-r["top"], r["left"]))
    lines: list[list[dict]] = []
    for run in runs:
        middle = (run["top"] + run["bottom"]) / 2
        for line in lines:
            ref = line[0]
            if ref["bottom"] <= middle <= ref["top"]:
                line.append(run)
                break
        else:
            lines.append([run])

    out: list[Line] = []
    for group in lines:
        group.sort(key=lambda r: r["left"])
        texts = [normalise_space(r["text"]) for r in group]
        text = normalise_space(" ".join(texts))
        bullet = bool(_BULLET_MARK_RE.match(texts[0])) and len(group) > 1
        body = group[1:] if bullet else group
        out.append(
            Line(
                page=page_index + 1,
                number=0,
                text=normalise_space(" ".join(texts[1:])) if bullet else text,
                left=group[0]["left"],
                right=max(r["right"] for r in group),
                top=max(r["top"] for r in group),
                bottom=min(r["bottom"] for r in group),
                size=max(r["size"] for r in body),
                bullet=bullet,
                text_left=body[0]["left"],
            )
        )
    out.sort(key=lambda line: (-line.top, line.left))
    return out


def _drop_running_text(pages: list[list[Line]], heights: list[float], author: str) -> None:
    """Remove running headers, footers and page numbers in place.

    A line in the top or bottom tenth of a page is running text when the same words (digits
    aside) sit at the same height on most pages (a heading that happens to open two pages must
    survive), or when it is a bare page number or the document's author (the partnership name
    the renderer prints in the header).
    """

    def key(line: Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", line.text.lower()), round(line.top / 4)

    seen = Counter(k for lines in pages for k in {key(line) for line in lines})
    for lines, height in zip(pages, heights, strict=True):
        kept = []
        for line in lines:
            margin = line.top > height * 0.9 or line.bottom < height * 0.1
            running = len(pages) > 1 and seen[key(line)] >= max(2, 0.6 * len(pages))
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


def _blocks(pages: list[list[Line]]) -> list[_Block]:
    """Split each page's lines into blocks at spacing, size, bullet and heading boundaries."""
    pitches: Counter[float] = Counter()
    for lines in pages:
        for a, b in pairwise(lines):
            if _same_size(a, b) and not b.bullet:
                pitches[round(a.top - b.top, 0)] += 1
    body_size = Counter(round(line.size, 1) for lines in pages for line in lines).most_common(1)
    body_size_value = body_size[0][0] if body_size else 0.0
    # The commonest baseline-to-baseline distance is the line pitch inside paragraphs.
    pitch = min(pitches.most_common(3))[0] if pitches else 0.0

    blocks: list[_Block] = []
    for lines in pages:
        previous: Line | None = None
        for line in lines:
            new = (
                previous is None
                or line.bullet
                or not _same_size(previous, line)
                or _HEADING_START_RE.match(line.text) is not None
                or (previous.top - line.top) > max(pitch, previous.size) * 1.25
            )
            if new:
                blocks.append(_Block([line], bullet=line.bullet))
            else:
                blocks[-1].lines.append(line)
            previous = line
    _join_across_pages(blocks, pages, body_size_value)
    return blocks


def _join_across_pages(blocks: list[_Block], pages: list[list[Line]], body_size: float) -> None:
    """Merge a block that a page break split: the end of one page with the start of the next."""
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
    if not last.text.endswith(_TERMINAL):
        return True
    # The paragraph ended only if the next word would have fitted on the last line.
    words = first.text.split()
    width = (last.right - last.left) / max(len(last.text), 1)
    needed = (len(words[0]) + 1) * width if words else 0.0
    return last.right + needed > column_right + 0.5 * width


def join_lines(lines: list[str]) -> str:
    """Join a block's visual lines, undoing the layout's line wrapping."""
    text = ""
    for line in lines:
        text = join_wrapped(text, line) if text else line
    return text.replace("\u00ad", "")


def pdf_lines(data: bytes) -> tuple[list[list[Line]], str]:
    """Return the PDF's lines per page (running text removed) and its Author metadata."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise PdfTextError(f"not a readable PDF ({exc})") from exc
    try:
        author = normalise_space(pdf.get_metadata_dict().get("Author", "") or "")
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
    return pages, author


def pdf_elements(data: bytes):
    """Return the parser's elements for a PDF: one per paragraph, bullet item or heading."""
    from .parse import Element

    pages, _ = pdf_lines(data)
    blocks = _blocks(pages)
    if not blocks:
        return []
    largest = max(block.first.size for block in blocks)
    elements = []
    title_given = False
    for block in blocks:
        text = normalise_space(join_lines([line.text for line in block.lines]))
        if not text:
            continue
        where = f"page {block.first.page}, line {block.first.number}"
        role = ""
        if not title_given and block.first.size >= largest - 0.1:
            role, title_given = "title", True
        elements.append(Element("bullet" if block.bullet else "text", text, where, role))
    return elements
