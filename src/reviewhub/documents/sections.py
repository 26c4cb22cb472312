"""Split an extracted review report into sections and propose learning points and recommendations.

Headings are found line by line: numbered headings ("3.2 Information sharing"), ALL CAPS lines,
the section names partnerships use ("Findings", "What we have learned", ...) and, for DOCX, the
paragraphs styled as headings. Proposals are only candidates: an analyst confirms each one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Canonical section kinds, by the names used for them in published reviews.
KNOWN_SECTIONS: dict[str, tuple[str, ...]] = {
    "introduction": ("introduction", "purpose of the review", "purpose", "overview"),
    "summary": ("executive summary", "summary", "the case", "summary of the case"),
    "background": (
        "background",
        "context",
        "family background",
        "the family",
        "case background",
    ),
    "method": (
        "methodology",
        "method",
        "approach",
        "terms of reference",
        "scope",
        "scope of the review",
        "the review process",
        "key lines of enquiry",
    ),
    "findings": (
        "findings",
        "key findings",
        "analysis",
        "analysis and findings",
        "findings and analysis",
        "practice episodes",
        "key practice episodes",
        "appraisal of practice",
    ),
    "learning": (
        "learning",
        "key learning",
        "learning points",
        "key learning points",
        "lessons learned",
        "lessons learnt",
        "what we have learned",
        "what we have learnt",
        "what have we learned",
        "learning for the partnership",
        "learning themes",
    ),
    "recommendations": (
        "recommendations",
        "recommendation",
        "recommendations for the partnership",
        "what you should do",
        "what should you do",
        "actions",
        "next steps",
    ),
    "conclusion": (
        "conclusion",
        "conclusions",
        "summary and conclusions",
        "concluding comments",
    ),
    "voice": (
        "voice of the child",
        "the child's voice",
        "family involvement",
        "family's views",
    ),
    "appendix": ("appendix", "appendices", "glossary", "references"),
}
LEARNING_KINDS = frozenset({"findings", "learning"})

_NAME_TO_KIND = {name: kind for kind, names in KNOWN_SECTIONS.items() for name in names}

_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})*)[.)]?\s+(?P<title>\S.*)$")
_LABELLED = re.compile(
    r"^(?P<label>(?:Section|Part|Finding|Learning point|Theme|Appendix)\s+[\dA-Z]{1,3})"
    r"\s*[:.\-–]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
_ITEM = re.compile(
    r"^\s*(?:(?P<num>\d{1,2})[.)]|\((?P<paren>\d{1,2}|[a-z])\)|(?P<bullet>[•●▪◦\-*–])"
    r"|(?P<label>Recommendation\s+\d{1,2})\s*[:.\-–]?)\s+(?P<text>\S.*)$",
    re.IGNORECASE,
)
_MAX_HEADING_CHARS = 90
_MAX_HEADING_WORDS = 12


@dataclass
class Section:
    """Hold one section: its heading, nesting level, kind, start page and lines with pages."""

    title: str
    level: int
    kind: str
    page: int
    lines: list[tuple[int, str]] = field(default_factory=list)
    parent: int | None = None

    @property
    def text(self) -> str:
        return "\n".join(line for _, line in self.lines).strip()


@dataclass(frozen=True)
class Candidate:
    """Hold a proposed learning point or recommendation awaiting an analyst's decision."""

    kind: str  # "learning_point" or "recommendation"
    title: str
    text: str
    page: int
    section: str


def _clean_title(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip()


def _known_kind(title: str) -> str | None:
    key = _clean_title(title).lower().replace("’", "'").rstrip("?.")
    key = re.sub(r"^(?:the\s+)?", "", key) if key not in _NAME_TO_KIND else key
    return _NAME_TO_KIND.get(key)


_KNOWN_PREFIX = re.compile(
    r"^(?:the\s+)?(?P<name>"
    + "|".join(re.escape(n) for n in sorted(_NAME_TO_KIND, key=len, reverse=True))
    + r")(?:\s*[:\-–]|\s+(?:on|from|for|about|to|of|in|and|relating)\b)"
)


def _kind_of_title(title: str) -> str | None:
    """Return the section kind a heading names, also when it starts with a known name."""
    kind = _known_kind(title)
    if kind:
        return kind
    match = _KNOWN_PREFIX.match(_clean_title(title).lower().replace("’", "'"))
    return _NAME_TO_KIND[match["name"]] if match else None


_RECOMMENDATION_WORDS = re.compile(
    r"\b(?:should|must|will|to ensure|needs? to|is to|are to|consider|ensure|review|develop)\b"
)


def _looks_like_sentence(text: str) -> bool:
    stripped = text.strip()
    return stripped.endswith((".", ";", ",")) or len(stripped.split()) > _MAX_HEADING_WORDS


def classify_heading(line: str, hints: frozenset[str] = frozenset()) -> tuple[int, str] | None:
    """Return (level, title) if ``line`` is a heading, else None.

    A line is a heading if it is short, is not a sentence, and is numbered, ALL CAPS, a known
    section name, or one of the ``hints`` (DOCX paragraphs styled as headings).
    """
    stripped = _clean_title(line)
    if not stripped or len(stripped) > _MAX_HEADING_CHARS:
        return None
    if stripped in hints:
        match = _NUMBERED.match(stripped)
        return (match["num"].count(".") + 1 if match else 1), stripped
    if _looks_like_sentence(line):
        return None
    if _known_kind(stripped):
        return 1, stripped
    match = _NUMBERED.match(stripped)
    if match:
        title = match["title"]
        if not title[0].isupper() or _looks_like_sentence(title):
            return None
        # "1 Findings" or "2.3 Information sharing" but not a short numbered list item that
        # happens to start with a verb ("2. Review attendance") inside recommendations: those
        # are taken as items by the caller, which looks at numbering depth and context.
        return match["num"].count(".") + 1, stripped
    match = _LABELLED.match(stripped)
    if match and match["label"].split()[0].lower() in ("finding", "learning", "theme"):
        return 2, stripped
    if match:
        return 1, stripped
    letters = [ch for ch in stripped if ch.isalpha()]
    if len(letters) >= 4 and all(ch.isupper() for ch in letters):
        return 1, stripped
    return None


def split_sections(
    pages: Sequence[tuple[int, str]], *, headings: Iterable[str] = ()
) -> list[Section]:
    """Split pages of text into sections, each with its start page and kind.

    Text before the first heading becomes a section with an empty title and kind "front".
    Subsections with no recognisable name inherit the kind of the section they sit in, so a
    "3.1 Information sharing" under "3 Findings" counts as findings.
    """
    hints = frozenset(_clean_title(h) for h in headings)
    sections: list[Section] = []
    current = Section(title="", level=0, kind="front", page=pages[0][0] if pages else 1)
    for page, text in pages:
        lines = text.split("\n")
        for index, line in enumerate(lines):
            heading = classify_heading(line, hints) if line.strip() else None
            if heading and current.kind == "recommendations" and _ITEM.match(line):
                # A short numbered line under Recommendations is a recommendation (cut by a line
                # break) when it reads like one or runs on; otherwise it is the next heading.
                match = _NUMBERED.match(_clean_title(line))
                following = lines[index + 1].lstrip() if index + 1 < len(lines) else ""
                if (
                    match
                    and "." not in match["num"]
                    and not _kind_of_title(match["title"])
                    and (_RECOMMENDATION_WORDS.search(line) or following[:1].islower())
                ):
                    heading = None
            if heading is None:
                current.lines.append((page, line))
                continue
            level, title = heading
            if current.title or current.lines:
                sections.append(current)
            parent_index = None
            for index in range(len(sections) - 1, -1, -1):
                if sections[index].level < level and sections[index].title:
                    parent_index = index
                    break
            number = _NUMBERED.match(title)
            bare = number["title"] if number else title
            labelled = _LABELLED.match(bare)
            kind = _kind_of_title(bare) or (
                _kind_of_title(labelled["title"]) if labelled and labelled["title"] else None
            )
            if kind is None and labelled and labelled["label"].lower().startswith("finding"):
                kind = "findings"
            if kind is None and labelled and labelled["label"].lower().startswith("learning"):
                kind = "learning"
            if kind is None and parent_index is not None:
                kind = sections[parent_index].kind
            current = Section(
                title=title,
                level=level,
                kind=kind or "other",
                page=page,
                parent=parent_index,
            )
    if current.title or current.lines:
        sections.append(current)
    return sections


def _items(lines: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """Return numbered or bulleted items as (page, label, text) with continuation lines joined."""
    items: list[list] = []
    for page, line in lines:
        match = _ITEM.match(line)
        if match:
            label = match["num"] or match["paren"] or match["label"] or ""
            items.append([page, label.strip(), [match["text"].strip()]])
        elif items and line.strip():
            items[-1][2].append(line.strip())
        elif items and not line.strip():
            items[-1][2].append("")
    result = []
    for page, label, parts in items:
        text = re.sub(r"\n{2,}.*", "", "\n".join(parts).strip(), flags=re.DOTALL)
        result.append((page, label, re.sub(r"\s*\n\s*", " ", text).strip()))
    return result


def _sentence_items(lines: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """Return one item per sentence-ending run of lines, for lists whose numbers were lost.

    PDF renderers often leave list numbers out of the text layer, so a recommendations list
    arrives as plain lines; a line ending a sentence closes one recommendation.
    """
    items: list[tuple[int, str, str]] = []
    buffer: list[str] = []
    page_of_item = None
    for page, line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if not buffer:
            page_of_item = page
        buffer.append(stripped)
        if stripped.endswith((".", ";", "!", "?")):
            items.append((page_of_item, "", " ".join(buffer)))
            buffer = []
    if buffer:
        items.append((page_of_item, "", " ".join(buffer)))
    return items


def propose_candidates(sections: Sequence[Section]) -> list[Candidate]:
    """Propose learning points and recommendations from a report's sections, in document order.

    A learning or findings section with subsections yields one candidate per subsection (its
    heading and text); without subsections, one per numbered or bulleted item, or the whole
    section when it is prose. Every numbered or bulleted item in a recommendations section is a
    candidate recommendation.
    """
    children: dict[int, list[int]] = {}
    for index, section in enumerate(sections):
        if section.parent is not None:
            children.setdefault(section.parent, []).append(index)
    candidates: list[Candidate] = []
    for index, section in enumerate(sections):
        if section.kind == "recommendations":
            items = _items(section.lines) or _sentence_items(section.lines)
            if not items and section.text and section.parent is not None:
                items = [(section.page, "", section.text)]
            for page, _label, text in items:
                if text:
                    candidates.append(
                        Candidate("recommendation", section.title, text, page, section.title)
                    )
            continue
        if section.kind not in LEARNING_KINDS:
            continue
        if children.get(index):
            # The subsections carry the learning; the parent's own text is an introduction.
            continue
        if not section.text:
            continue
        parent_is_learning = (
            section.parent is not None and sections[section.parent].kind in LEARNING_KINDS
        )
        items = _items(section.lines)
        if parent_is_learning or not items:
            candidates.append(
                Candidate(
                    "learning_point",
                    section.title,
                    section.text,
                    section.page,
                    section.title,
                )
            )
            continue
        for page, _label, text in items:
            candidates.append(Candidate("learning_point", section.title, text, page, section.title))
    return candidates
