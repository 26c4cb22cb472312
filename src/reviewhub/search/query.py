"""Understand a practitioner's query: its words, the report words they stand for, its themes.

Two sources, both shipped in the package: a hand-written thesaurus (``data/thesaurus.yaml``) of
everyday words and the report words they stand for ("dads" -> fathers, male carers), and the
theme taxonomy's labels and keywords (``learning/data/themes.yaml``), which point a query at
themes whose coded learning points then rank higher.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .text import QUERY_NOISE, STOP_WORDS, content_words, stems, tokens

DATA = Path(__file__).resolve().parent / "data" / "thesaurus.yaml"
TAXONOMY = Path(__file__).resolve().parents[1] / "learning" / "data" / "themes.yaml"


@dataclass(frozen=True)
class Analysed:
    """A query taken apart for ranking."""

    text: str
    words: tuple[str, ...]
    expansions: tuple[str, ...] = ()
    themes: dict = field(default_factory=dict)

    @property
    def expanded_text(self) -> str:
        """The query followed by its expansions: what the semantic side encodes a second time."""
        if not self.expansions:
            return self.text
        return f"{self.text}. {', '.join(self.expansions)}"

    @property
    def highlight_stems(self) -> set[str]:
        """Stems of every word worth marking in a snippet."""
        found = set()
        for phrase in (*self.words, *self.expansions):
            found.update(
                s for t, s in zip(tokens(phrase), stems(phrase), strict=True) if t not in STOP_WORDS
            )
        return found


def _phrase_stems(phrase: str) -> tuple[str, ...]:
    return tuple(
        s for t, s in zip(tokens(phrase), stems(phrase), strict=True) if t not in STOP_WORDS
    )


def _full_stems(phrase: str) -> tuple[str, ...]:
    return tuple(stems(phrase))


def _match_forms(phrase: str) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """Return (all stems, content stems or None): "moved in" must not match every "moving".

    A phrase written with a leading "=" matches only in its own order: "=care home" must not fire
    for "home care", nor "=missing from home" for "missed home visits".
    """
    ordered = phrase.startswith("=")
    phrase = phrase.lstrip("=")
    full = _full_stems(phrase)
    content = _phrase_stems(phrase)
    return full, (content if len(content) >= 2 and not ordered else None)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def _taxonomy() -> dict:
    return yaml.load(TAXONOMY.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader  # nosec B506


@functools.cache
def thesaurus() -> tuple:
    """Load the thesaurus as (match forms, expansions, theme ids) entries."""
    raw = yaml.load(DATA.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader  # nosec B506
    out = []
    for entry in raw["entries"]:
        matches = tuple(_match_forms(m) for m in entry["match"] if _full_stems(m.lstrip("=")))
        out.append((matches, tuple(entry.get("expand", ())), tuple(entry.get("themes", ()))))
    return tuple(out)


@functools.cache
def _longest_match() -> int:
    return max((len(full) for matches, _, _ in thesaurus() for full, _ in matches), default=0)


@functools.cache
def theme_phrases() -> tuple[tuple[tuple[str, ...], str], ...]:
    """Load (stemmed phrase, theme id) pairs from the taxonomy's labels and keywords."""
    raw = _taxonomy()
    out = []
    for axis in raw["axes"]:
        for theme in axis["themes"]:
            for phrase in (theme["label"], *theme.get("keywords", ())):
                st = _phrase_stems(phrase)
                if st:
                    out.append((st, theme["id"]))
    return tuple(out)


@functools.cache
def theme_labels() -> dict[str, str]:
    """Map theme id -> label, for the filter on the search page."""
    raw = _taxonomy()
    return {t["id"]: t["label"] for axis in raw["axes"] for t in axis["themes"]}


def _contains(seq: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(seq[i : i + n] == phrase for i in range(len(seq) - n + 1))


# When a phrase's content words match in any order, the stretch of the query holding them may be
# at most this many words longer than their number. Counted against content words, not the
# phrase's full length: the phrase's own little words would otherwise widen the window enough for
# "who lives in the house" to fire on "living in a filthy house".
MAX_GAP = 2


def _window(seq: tuple[str, ...], content: tuple[str, ...]) -> frozenset[int] | None:
    """Positions of the shortest stretch of ``seq`` holding every word of ``content`` (in any
    order, counted), if it is at most ``MAX_GAP`` words longer than ``content``; else None."""
    need = Counter(content)
    longest = len(content) + MAX_GAP
    best = None
    for i in range(len(seq)):
        if seq[i] not in need:
            continue
        for j in range(i, min(len(seq), i + longest)):
            if not need - Counter(seq[i : j + 1]):
                if best is None or j - i < best[1] - best[0]:
                    best = (i, j)
                break
    if best is None:
        return None
    return frozenset(k for k in range(best[0], best[1] + 1) if seq[k] in need)


def analyse(text: str, *, expand: bool = True) -> Analysed:
    """Take a query apart: content words, thesaurus expansions and the themes it points to."""
    text = " ".join((text or "").split())[:500]
    words = tuple(content_words(text))
    if not expand:
        return Analysed(text=text, words=words)
    seq = _phrase_stems(text)
    full_seq = _full_stems(text)
    topical = tuple(s for s in seq if s not in {st for w in QUERY_NOISE for st in stems(w)})
    expansions: list[str] = []
    themes: dict[str, float] = {}
    present = Counter(seq)
    # Every run of the query's stems, so that each of the thesaurus' thousands of phrases is one
    # set look-up rather than a scan of the query.
    runs = {
        full_seq[i : i + n]
        for n in range(1, _longest_match() + 1)
        for i in range(len(full_seq) - n + 1)
    }
    fired = []
    for matches, expand_to, theme_ids in thesaurus():
        covers = []
        for full, content in matches:
            if full in runs:
                n = len(full)
                covers += [
                    frozenset(range(i, i + n))
                    for i in range(len(full_seq) - n + 1)
                    if full_seq[i : i + n] == full
                ]
            # Two or more content words match in any order, close together: "sharing info" =
            # "info sharing", but "man in the house" is not "old man living in a filthy house".
            # Counted, not as a set: "child on child" needs "child" twice, not once.
            elif content is not None and all(present[s] >= content.count(s) for s in content):
                window = _window(full_seq, content)
                if window is not None:
                    covers.append(window)
        if covers:
            fired.append((covers, expand_to, theme_ids))
    every_cover = [c for covers, _, _ in fired for c in covers]
    for covers, expand_to, theme_ids in fired:
        # The longest reading wins: an entry that fired only on words inside a longer phrase
        # another entry matched ("injury" in "brain injury", "man" in "old man") is left out.
        if all(any(c < other for other in every_cover) for c in covers):
            continue
        for e in expand_to:
            if e not in expansions and e.lower() not in words:
                expansions.append(e)
        for t in theme_ids:
            themes[t] = themes.get(t, 0.0) + 1.0
    for phrase, theme_id in theme_phrases():
        # Taxonomy words like "review" or "practice" say nothing about a topic.
        if _contains(topical, phrase):
            themes[theme_id] = themes.get(theme_id, 0.0) + 0.5 * len(phrase)
    return Analysed(text=text, words=words, expansions=tuple(expansions), themes=themes)
