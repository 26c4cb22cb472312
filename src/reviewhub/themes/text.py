"""Normalise, tokenise and stem English learning text, and match taxonomy keywords in it.

A small suffix-stripping stemmer is enough here: it only has to make 'neglected', 'neglecting'
and 'neglect' meet, and keeps the engine free of extra dependencies.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "may",
        "might",
        "must",
        "shall",
        "within",
        "without",
        "upon",
        "us",
        "one",
        "two",
        "three",
        "its",
        "it's",
        "there's",
        "that's",
        "s",
        "t",
    ]
)

# Abbreviations whose expansion is what the taxonomy keywords use.
ABBREVIATIONS = {
    "mca": "mental capacity act",
    "dols": "deprivation of liberty",
    "camhs": "child and adolescent mental health services camhs",
    "cse": "child sexual exploitation cse",
    "cce": "child criminal exploitation cce",
    "hsb": "harmful sexual behaviour hsb",
    "nai": "non accidental injury nai",
    "fgm": "female genital mutilation fgm",
    "sudi": "sudden unexpected death in infancy sudi",
    "sar": "safeguarding adults review sar",
    "sab": "safeguarding adults board sab",
    "marac": "marac multi agency risk assessment conference",
    "gp": "gp",
}

_SUFFIXES = (
    "ational", "fulness", "iveness", "ization", "isation", "ations", "ements",
    "ingly", "ments", "ation", "ement", "ness", "ings", "ment", "ities", "ised", "ized",
    "ises", "izes", "ive", "ity", "ing", "ies", "ied", "ers", "ful", "ous", "ly", "ed", "es",
    "er", "s", "e", "y",
)  # fmt: skip


@lru_cache(maxsize=50000)
def stem(word: str) -> str:
    """Strip common English suffixes, keeping at least a 3-letter root."""
    w = word.lower()
    if len(w) <= 3 or w.isdigit():
        return w
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":
        w = w[:-1]  # 'referr' -> 'refer'
    return w


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    return text.lower()


def words(text: str) -> list[str]:
    """Lower-cased word tokens with abbreviations expanded."""
    out: list[str] = []
    for w in _WORD.findall(normalise(text)):
        w = w.removesuffix("'s")
        exp = ABBREVIATIONS.get(w)
        out.extend(exp.split() if exp else [w])
    return out


def stems(text: str, drop_stopwords: bool = True) -> list[str]:
    return [stem(w) for w in words(text) if not (drop_stopwords and w in STOPWORDS)]


def analyzer(text: str) -> list[str]:
    """Return stemmed unigrams and adjacent bigrams, the TF-IDF vocabulary of the engine."""
    toks = stems(text)
    return toks + [f"{a}_{b}" for a, b in pairwise(toks)]


@dataclass(frozen=True)
class KeywordPattern:
    phrase: str  # as written in the taxonomy
    stems: tuple[str, ...]


def keyword_pattern(phrase: str) -> KeywordPattern | None:
    st = tuple(stems(phrase))
    return KeywordPattern(phrase, st) if st else None


def find_phrases(text_stems: list[str], patterns: list[KeywordPattern]) -> list[KeywordPattern]:
    """Return the patterns whose stem sequence occurs in the text (stopwords already removed)."""
    if not text_stems:
        return []
    joined = " " + " ".join(text_stems) + " "
    return [p for p in patterns if " " + " ".join(p.stems) + " " in joined]
