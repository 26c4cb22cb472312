"""Plain data for one briefing document, independent of Django and of any output format.

A briefing is either *thematic* (background, numbered themes each with "What we have learned"
and "What you should do", further information) or a *7-minute briefing* about a single review
(seven named sections). The Django side stores versions of a briefing as the JSON of
``BriefingDocument.to_dict()`` and rebuilds them with ``BriefingDocument.from_dict()``.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

THEMATIC = "thematic"
SEVEN_MINUTE = "seven_minute"
KINDS = (THEMATIC, SEVEN_MINUTE)

LEARNED_HEADING = "What we have learned"
ACTION_HEADING = "What you should do"

# The seven sections partnerships use for 7-minute briefings, in delivery order.
SEVEN_MINUTE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("background", "Background"),
    ("why_it_matters", "Why it matters"),
    ("information", "The information"),
    ("findings", "What we found"),
    ("actions", "What you should do"),
    ("reflection", "Questions for reflection"),
    ("further_reading", "Further reading"),
)
SEVEN_MINUTE_KEYS = tuple(key for key, _ in SEVEN_MINUTE_SECTIONS)
SEVEN_MINUTE_HEADINGS = dict(SEVEN_MINUTE_SECTIONS)

SCHEMA_VERSION = 1


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace (including non-breaking spaces) to one space and strip.

    This is the only normalisation applied to imported text, so that what a partnership wrote
    comes through character for character.
    """
    return " ".join(text.split())


def join_wrapped(before: str, after: str, vocabulary: set[str] | None = None) -> str:
    """Join two lines that a layout wrapped, restoring the text as written.

    A soft hyphen or a typographic hyphen (U+2010, which layout engines such as WeasyPrint
    insert when they hyphenate) at the break is dropped. A plain hyphen between letters is
    kept with no space ("co-" + "ordinate"), unless ``vocabulary`` (the words seen elsewhere
    in the same document) knows the joined word and not the hyphenated one, which is how an
    auto-hyphenated "assess-" + "ment" is told from "co-ordinate". A slash ("child/" +
    "family") and a URL are joined with no space, because layouts break after slashes and
    URLs contain no spaces; otherwise the break was a space.
    """
    before = before.rstrip()
    after = after.lstrip()
    if not before or not after:
        return before + after
    if before.endswith("\u00ad") or before.endswith("\x02"):
        return before[:-1] + after
    letters_around = len(before) > 1 and before[-2].isalpha() and after[0].isalpha()
    if before[-1] == "\u2010" and letters_around:
        return before[:-1] + after
    if before[-1] == "-" and letters_around:
        if vocabulary:
            head = re.findall(r"[^\W\d_]+-$", before)
            tail = re.match(r"[^\W\d_]+", after)
            if head and tail:
                joined = (head[0][:-1] + tail.group(0)).lower()
                hyphenated = (head[0] + tail.group(0)).lower()
                if joined in vocabulary and hyphenated not in vocabulary:
                    return before[:-1] + after
        return before + after
    if before.endswith("/"):
        return before + after
    last_word = before.rsplit(" ", 1)[-1]
    if ("://" in last_word or last_word.startswith("www.")) and last_word[-1] in "/-._?&=#~%+":
        return before + after
    return f"{before} {after}"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of running text."""

    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"type": "paragraph", "text": self.text}


@dataclass(frozen=True)
class BulletList:
    """A bulleted list; each item is one line of text."""

    items: tuple[str, ...]

    def __post_init__(self) -> None:
        # Accept any sequence from callers but keep the value hashable and immutable.
        object.__setattr__(self, "items", tuple(self.items))

    def to_dict(self) -> dict[str, Any]:
        return {"type": "bullets", "items": list(self.items)}


Block = Paragraph | BulletList


def block_from_dict(data: dict[str, Any]) -> Block:
    """Rebuild a block from its ``to_dict()`` form; reject unknown block types loudly."""
    kind = data.get("type")
    if kind == "paragraph":
        return Paragraph(str(data["text"]))
    if kind == "bullets":
        return BulletList(tuple(str(item) for item in data["items"]))
    raise ValueError(f"unknown block type {kind!r}")


def blocks_to_dicts(blocks: list[Block]) -> list[dict[str, Any]]:
    return [block.to_dict() for block in blocks]


def blocks_from_dicts(data: list[dict[str, Any]] | None) -> list[Block]:
    return [block_from_dict(item) for item in data or []]


def blocks_text(blocks: list[Block]) -> list[str]:
    """Return every paragraph and bullet item as a flat list of strings, in reading order."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        else:
            out.extend(block.items)
    return out


@dataclass
class Theme:
    """One numbered theme of a thematic briefing.

    ``action_heading`` keeps the wording the source used (the reference briefing says "What
    should you do" once), so a re-rendered import reads as the original did. ``sources`` holds
    references such as review ids, kept for traceability and not printed by default.
    """

    number: int
    title: str
    learned: list[Block] = field(default_factory=list)
    actions: list[Block] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    learned_heading: str = LEARNED_HEADING
    action_heading: str = ACTION_HEADING

    @property
    def heading(self) -> str:
        return f"Theme {self.number}: {self.title}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "learned_heading": self.learned_heading,
            "learned": blocks_to_dicts(self.learned),
            "action_heading": self.action_heading,
            "actions": blocks_to_dicts(self.actions),
            "sources": list(self.sources),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Theme:
        return cls(
            number=int(data["number"]),
            title=str(data["title"]),
            learned=blocks_from_dicts(data.get("learned")),
            actions=blocks_from_dicts(data.get("actions")),
            sources=[str(s) for s in data.get("sources") or []],
            learned_heading=str(data.get("learned_heading") or LEARNED_HEADING),
            action_heading=str(data.get("action_heading") or ACTION_HEADING),
        )


@dataclass
class Section:
    """A named section of a 7-minute briefing; ``key`` is one of ``SEVEN_MINUTE_KEYS``."""

    key: str
    blocks: list[Block] = field(default_factory=list)
    heading: str = ""

    def __post_init__(self) -> None:
        if self.key not in SEVEN_MINUTE_HEADINGS:
            raise ValueError(f"unknown 7-minute section {self.key!r}")
        if not self.heading:
            self.heading = SEVEN_MINUTE_HEADINGS[self.key]

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "heading": self.heading,
            "blocks": blocks_to_dicts(self.blocks),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        return cls(
            key=str(data["key"]),
            blocks=blocks_from_dicts(data.get("blocks")),
            heading=str(data.get("heading") or ""),
        )


Logo = bytes | str | Path | None


@dataclass
class BriefingDocument:
    """A whole briefing: title block, content, and the partnership settings it is printed with.

    ``logo`` is a file path or the image bytes (PNG, JPEG, GIF or SVG). For a thematic briefing
    ``background``, ``themes`` and ``further_information`` carry the content; for a 7-minute
    briefing ``sections`` does. ``sources`` lists the reviews the briefing draws on.
    """

    title: str
    kind: str = THEMATIC
    subtitle: str = ""
    partnership_name: str = ""
    logo: Logo = None
    background: list[Block] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    further_information: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def logo_bytes(self) -> bytes | None:
        """Return the logo image bytes, reading the file when the logo is a path."""
        if self.logo is None:
            return None
        if isinstance(self.logo, bytes):
            return self.logo
        return Path(self.logo).read_bytes()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict; logo bytes become base64 so versions store as JSON."""
        logo: dict[str, str] | None
        if self.logo is None:
            logo = None
        elif isinstance(self.logo, bytes):
            logo = {"base64": base64.b64encode(self.logo).decode("ascii")}
        else:
            logo = {"path": str(self.logo)}
        return {
            "schema": SCHEMA_VERSION,
            "kind": self.kind,
            "title": self.title,
            "subtitle": self.subtitle,
            "partnership_name": self.partnership_name,
            "logo": logo,
            "background": blocks_to_dicts(self.background),
            "themes": [theme.to_dict() for theme in self.themes],
            "further_information": blocks_to_dicts(self.further_information),
            "sections": [section.to_dict() for section in self.sections],
            "sources": list(self.sources),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BriefingDocument:
        schema = data.get("schema", SCHEMA_VERSION)
        if schema != SCHEMA_VERSION:
            raise ValueError(f"unsupported briefing schema {schema!r}")
        raw_logo = data.get("logo")
        logo: Logo = None
        if raw_logo and "base64" in raw_logo:
            logo = base64.b64decode(raw_logo["base64"])
        elif raw_logo and "path" in raw_logo:
            logo = str(raw_logo["path"])
        return cls(
            kind=str(data.get("kind") or THEMATIC),
            title=str(data.get("title") or ""),
            subtitle=str(data.get("subtitle") or ""),
            partnership_name=str(data.get("partnership_name") or ""),
            logo=logo,
            background=blocks_from_dicts(data.get("background")),
            themes=[Theme.from_dict(t) for t in data.get("themes") or []],
            further_information=blocks_from_dicts(data.get("further_information")),
            sections=[Section.from_dict(s) for s in data.get("sections") or []],
            sources=[str(s) for s in data.get("sources") or []],
        )

    def content_dict(self) -> dict[str, Any]:
        """Return the content only (no partnership settings), for comparing two documents.

        Round trips through DOCX or PDF carry the text, not the settings, so tests and the
        import preview compare this.
        """
        data = self.to_dict()
        for key in ("schema", "partnership_name", "logo", "sources"):
            data.pop(key)
        for theme in data["themes"]:
            theme.pop("sources")
        return data


def seven_minute_briefing(
    title: str,
    *,
    subtitle: str = "",
    partnership_name: str = "",
    logo: Logo = None,
    sources: list[str] | None = None,
    **sections: list[Block],
) -> BriefingDocument:
    """Build a 7-minute briefing with its sections in the standard order.

    Keyword arguments are section keys (``background``, ``why_it_matters``, ``information``,
    ``findings``, ``actions``, ``reflection``, ``further_reading``); a missing one is empty.
    """
    unknown = set(sections) - set(SEVEN_MINUTE_KEYS)
    if unknown:
        raise ValueError(f"unknown 7-minute sections: {sorted(unknown)}")
    return BriefingDocument(
        kind=SEVEN_MINUTE,
        title=title,
        subtitle=subtitle,
        partnership_name=partnership_name,
        logo=logo,
        sections=[Section(key, list(sections.get(key, []))) for key in SEVEN_MINUTE_KEYS],
        sources=list(sources or []),
    )


def iter_learning_points(doc: BriefingDocument) -> list[dict[str, Any]]:
    """Return one learning point per theme for an imported thematic briefing.

    The import command turns each into a draft learning point; the theme title and the joined
    text are what the suggestion engine codes against the taxonomy.
    """
    points = []
    for theme in doc.themes:
        learned = "\n\n".join(blocks_text(theme.learned))
        actions = "\n\n".join(blocks_text(theme.actions))
        points.append(
            {
                "theme_number": theme.number,
                "title": theme.title,
                "learned": learned,
                "actions": actions,
                "text": "\n\n".join(part for part in (theme.title, learned, actions) if part),
            }
        )
    return points
