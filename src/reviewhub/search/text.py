"""Words: tokens, a light stemmer, stop words and highlighted snippets.

The same functions normalise queries, thesaurus entries, taxonomy keywords and the text being
highlighted, so a word matches itself whatever its inflection, on either database.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reviewhub.themes.text import STOPWORDS

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_WORD_SPAN = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")

# The theme engine's English stop words, adjusted for search: words such as "must", "one" or
# "without" matter in a practitioner's query, and a few contractions and fillers do not.
STOP_WORDS = (
    STOPWORDS
    - {
        "it's",
        "may",
        "might",
        "must",
        "now",
        "one",
        "s",
        "shall",
        "t",
        "that's",
        "there's",
        "three",
        "two",
        "upon",
        "us",
        "within",
        "without",
    }
) | {
    "aren't",
    "can't",
    "cannot",
    "don't",
    "etc",
    "get",
    "getting",
    "got",
    "how's",
    "isn't",
    "let's",
    "via",
    "what's",
}

# Question words that say nothing about the topic of a practitioner's query.
QUERY_NOISE = frozenset(
    [
        "learning",
        "lessons",
        "lesson",
        "learned",
        "learnt",
        "reviews",
        "review",
        "case",
        "cases",
        "practice",
        "practitioners",
        "practitioner",
        "professionals",
        "professional",
        "example",
        "examples",
        "find",
        "show",
        "tell",
        "look",
        "looking",
        "need",
        "help",
    ]
)


def fold(text: str) -> str:
    """Fold accents and compatibility forms to plain letters ("café" -> "cafe", "ﬁ" -> "fi"), as
    FTS5's unicode61 tokenizer does, so that accented words are not cut at the accent."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Split text into lower-case word tokens (accents folded, apostrophes of possessives
    dropped)."""
    text = fold(text or "").lower().replace("\u2019", "'")
    return [
        t.split("'")[0] if t.endswith("'s") else t.replace("'", "") for t in _WORD.findall(text)
    ]


@functools.lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Reduce a word to a crude stem: enough for dads/dad, babies/baby, hiding/hide to meet."""
    w = word.lower()
    if len(w) <= 3:
        return w
    for suffix, repl, min_len in (
        ("ational", "ate", 8),
        ("ization", "ize", 8),
        ("isation", "ise", 8),
        ("fulness", "ful", 8),
        ("ousness", "ous", 8),
        ("iveness", "ive", 8),
        ("ments", "ment", 6),
        ("ities", "ity", 6),
        ("ings", "", 6),
        ("ing", "", 6),
        ("ies", "y", 5),
        ("ied", "y", 5),
        ("sses", "ss", 5),
        ("ed", "", 5),
        ("es", "e", 5),
        ("s", "", 4),
    ):
        if w.endswith(suffix) and len(w) >= min_len:
            w = w[: len(w) - len(suffix)] + repl
            break
    if w.endswith("ss") or w.endswith("us") or w.endswith("is"):
        return w
    # Let "hide"/"hid", "abuse"/"abus" and "bruise"/"bruis" meet: drop a final e.
    if w.endswith("e") and len(w) >= 4:
        w = w[:-1]
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


def stems(text: str) -> list[str]:
    """Stem every token of ``text``."""
    return [stem(t) for t in tokens(text)]


def content_words(text: str) -> list[str]:
    """Return the query's tokens without stop words, in order, without repeats."""
    seen: list[str] = []
    for t in tokens(text):
        if t in STOP_WORDS or len(t) < 2 or t in seen:
            continue
        seen.append(t)
    return seen


MARK_OPEN = "\x02"
MARK_CLOSE = "\x03"


def snippet(text: str, term_stems: set[str], width: int = 36) -> tuple[str, int]:
    """Pick the window of ``width`` words with most query words; return (marked text, hits).

    Matches are wrapped in control-character markers that ``render_snippet`` turns into <mark>
    after HTML-escaping everything else, so document text can never inject markup.
    """
    text = (text or "").replace(MARK_OPEN, " ").replace(MARK_CLOSE, " ")
    spans = list(_WORD_SPAN.finditer(text))
    if not spans:
        return text[:240], 0
    hit = [
        stem(m.group(0).lower().replace("\u2019", "'").split("'")[0]) in term_stems for m in spans
    ]
    best_start, best = 0, -1
    running = sum(hit[:width])
    best, best_start = running, 0
    for i in range(1, max(1, len(spans) - width + 1)):
        running += hit[i + width - 1] - hit[i - 1] if i + width - 1 < len(spans) else -hit[i - 1]
        if running > best:
            best, best_start = running, i
    end = min(len(spans), best_start + width)
    start_char = spans[best_start].start() if best_start else 0
    end_char = spans[end - 1].end() if end < len(spans) else len(text)
    out, pos = [], start_char
    for i in range(best_start, end):
        m = spans[i]
        if hit[i]:
            out.append(text[pos : m.start()])
            out.append(MARK_OPEN + m.group(0) + MARK_CLOSE)
            pos = m.end()
    out.append(text[pos:end_char])
    marked = "".join(out).strip()
    if best_start > 0:
        marked = "\u2026 " + marked
    if end < len(spans):
        marked += " \u2026"
    return " ".join(marked.split()), max(best, 0)


def render_snippet(marked: str) -> SafeString:
    """HTML-escape a marked snippet, then turn only the markers into <mark> elements."""
    safe = escape(marked)
    return mark_safe(  # noqa: S308 - all but our markers escaped  # nosec B308 B703
        safe.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
    )


def plain_snippet(marked: str) -> str:
    """Return a marked snippet as plain text, with [brackets] for matches (command line)."""
    return marked.replace(MARK_OPEN, "[").replace(MARK_CLOSE, "]")
