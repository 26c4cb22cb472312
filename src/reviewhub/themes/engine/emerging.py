"""Emerging themes: groups of recent learning points that no theme of the taxonomy fits well.

A point is poorly covered when the engine's best themes score low (see :func:`coverage`). Those points are grouped by their sentence vectors (average-linkage clustering on
cosine distance, cut at a fixed distance, so the same points always give the same groups), and
each group of at least ``min_size`` points is described by its characteristic terms (words
frequent in the group and rare among all the points looked at and in the taxonomy's and
codebook's text, see :func:`background`), its example points (those
closest to the group's centre) and the existing theme that fits it least badly, which is what
an analyst would fold it into.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from ..text import analyzer, stem, words
from .embed import encode_docs
from .results import AXES, item_text

POOR_BELOW = 0.5  # a point whose coverage (see coverage) is lower is poorly covered
MIN_SIZE = 3  # fewer points than this are not a theme yet
MAX_DISTANCE = 0.55  # cosine distance at which the clustering stops joining groups
MAX_TERMS = 6
# a word or pair in more than this share of the background texts (see background) is common
# safeguarding vocabulary and describes no group. Shares in the packaged background: "family"
# 16%, "social" 7%, "old" 5%, "year old" 4%; topic words stay ("advice" 1.8%, "safety" 1.6%,
# "online" 1%, "car" 0.2%, "drowning" and "fraud" 0%). "safety" is close to the cut: the demo's "water safety"
# group (tests/test_demo.py) would lose the word if the codebook used it much more.
COMMON_SHARE = 0.02
MAX_EXAMPLES = 3


@dataclass
class Cluster:
    """One emerging theme: its members (closest to the centre first) and what describes it."""

    ids: list[Any]
    terms: list[str]
    coverage: float  # the members' mean best-theme score: lower is less covered
    nearest: dict[str, tuple[str, float]] = field(default_factory=dict)  # axis: (theme, mean)

    @property
    def examples(self) -> list[Any]:
        return self.ids[:MAX_EXAMPLES]


@dataclass
class Emerging:
    clusters: list[Cluster]
    looked_at: int  # points scored
    poorly_covered: int  # of which poorly covered


def coverage(suggestion) -> float:
    """How well the taxonomy fits a point: the mean, over the axes, of the best theme's score.

    Either axis alone says too little: the practice axis nearly always finds a fitting theme
    (most learning is about assessment or working together), and learning about the system
    alone rightly has no circumstance. A point about a harm the taxonomy lacks (drowning, dog
    bites, scams) scores low on circumstances and middling on practice: about 0.2-0.5 here,
    where nine in ten points of the development corpus score above 0.54.
    """
    tops = [
        ax.ranking[0][1] for ax in (suggestion.circumstances, suggestion.practice) if ax.ranking
    ]
    return float(np.mean(tops)) if tops else 0.0


def find_emerging(
    engine,
    items: Sequence[Any],
    ids: Sequence[Any],
    *,
    poor_below: float = POOR_BELOW,
    min_size: int = MIN_SIZE,
    max_distance: float = MAX_DISTANCE,
) -> Emerging:
    """Group the poorly covered ``items`` (dicts or strings, named by ``ids``) into clusters.

    ``engine`` is a theme engine with a sentence model (:class:`Engine`). Clusters come
    largest first, then least covered first.
    """
    if len(items) != len(ids):
        raise ValueError("items and ids must have the same length")
    texts = [item_text(i) for i in items]
    suggestions = engine.suggest_many(items, reasons=False) if texts else []
    cover = [coverage(s) for s in suggestions]
    poor = [n for n, c in enumerate(cover) if c < poor_below and texts[n]]
    result = Emerging([], len(texts), len(poor))
    if len(poor) < min_size:
        return result
    vecs, _ = encode_docs(engine.scorer.encoder, [texts[n] for n in poor])
    from scipy.cluster.hierarchy import fcluster, linkage

    # average linkage on cosine distance: a group joins only if its points are close on average
    labels = fcluster(linkage(vecs, method="average", metric="cosine"), max_distance, "distance")
    doc_terms = [set(analyzer(t)) for t in texts]
    df = Counter(term for terms in doc_terms for term in terms)
    bg = background(engine.taxonomy)
    for label in sorted(set(labels.tolist())):
        members = [k for k, lab in enumerate(labels) if lab == label]
        if len(members) < min_size:
            continue
        centre = vecs[members].mean(0)
        centre /= max(float(np.linalg.norm(centre)), 1e-12)
        order = sorted(members, key=lambda k: (-float(vecs[k] @ centre), k))
        rows = [poor[k] for k in order]
        result.clusters.append(
            Cluster(
                ids=[ids[n] for n in rows],
                terms=_terms(
                    [texts[n] for n in rows], [doc_terms[n] for n in rows], df, len(texts), bg
                ),
                coverage=round(float(np.mean([cover[n] for n in rows])), 3),
                nearest=_nearest([suggestions[n] for n in rows]),
            )
        )
    result.clusters.sort(key=lambda c: (-len(c.ids), c.coverage, str(c.ids[0])))
    return result


def _fold(word: str) -> str:
    """A word without its plural ending: "families" and "family" count as one word, while
    "care" and "car" (one stem to the engine's stemmer) stay two."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _surface(text: str) -> list[str]:
    return [_fold(w) for w in words(text)]


def _surface_terms(text: str) -> set[str]:
    """The text's words (plurals folded) and its pairs of neighbouring words ("year old")."""
    ws = _surface(text)
    return set(ws) | {f"{a} {b}" for a, b in zip(ws, ws[1:], strict=False)}


def background(taxonomy) -> tuple[Counter, int]:
    """How many of the taxonomy's and codebook's texts use each word and pair of neighbouring
    words (plurals folded), and how many texts there are.

    The texts are the taxonomy's active themes (label, definition, keywords) and the packaged
    codebook (its example statements and learning points), all about safeguarding. A word most
    of them use ("family", "year old", "practitioners") is not what sets a group apart, even
    when the few points looked at make it look rare. Counted on words as written, not on the
    engine's stems, which join unrelated words ("care" and "car", "early" and "ear").
    """
    docs = [f"{t.label}. {t.definition} {' '.join(t.keywords)}" for t in taxonomy.active()]
    df = Counter(term for d in docs for term in _surface_terms(d))
    cb_df, cb_n = _codebook_background()
    return df + cb_df, len(docs) + cb_n


@lru_cache(maxsize=1)
def _codebook_background() -> tuple[Counter, int]:
    from ..codebook import load_codebook, load_codebook_points

    docs = [s for ss in load_codebook().values() for s in ss]
    docs += [p.text for p in load_codebook_points()]
    return Counter(term for d in docs for term in _surface_terms(d)), len(docs)


def _terms(
    texts: list[str],
    terms: list[set[str]],
    df: Counter,
    n_docs: int,
    bg: tuple[Counter, int],
) -> list[str]:
    """The cluster's characteristic terms: in many of its points, in few other texts.

    Scored as the share of the cluster's points with the term times its inverse document
    frequency among the ``n_docs`` points looked at (``df``, by stem) and the background texts
    (``bg``, by word, see :func:`background`). A term must occur in at least two of the points,
    and common words are left out: a word or pair in more than ``COMMON_SHARE`` of the
    background texts, and a pair that overlaps a common pair in the text ("old drowned" in
    "year old drowned"). Shown as the words of the text, not their stems.
    """
    bg_df, bg_n = bg
    surface: dict[str, str] = {}
    for text in texts:
        for w in words(text):
            surface.setdefault(stem(w), w.lower())
    spaced = [" " + " ".join(w.lower() for w in words(t)) + " " for t in texts]
    folded = [_surface(t) for t in texts]

    def shown(term: str) -> str:
        return " ".join(surface.get(p, p) for p in term.split("_"))

    def key(term: str) -> str:  # as the background counts it
        return " ".join(_fold(w) for w in shown(term).split())

    def common(phrase: str) -> bool:
        return bg_df.get(phrase, 0) > COMMON_SHARE * bg_n

    def is_common(term: str) -> bool:
        key_ = key(term)
        if common(key_):
            return True
        if " " not in key_:
            return False
        a, b = key_.split()
        for ws in folded:
            for i in range(len(ws) - 1):
                if ws[i] == a and ws[i + 1] == b:
                    if i > 0 and common(f"{ws[i - 1]} {a}"):
                        return True
                    if i + 2 < len(ws) and common(f"{b} {ws[i + 2]}"):
                        return True
        return False

    def readable(term: str) -> bool:
        parts = term.split("_")
        if any(len(p) < 3 or any(ch.isdigit() for ch in p) for p in parts):
            return False  # "f", "4", "cn18": names and numbers of one review, not a topic
        # a pair of words must stand side by side in the text ("water safety"), not only once
        # the words between them were dropped ("ask about the dog" is not "ask dog")
        return len(parts) == 1 or sum(f" {shown(term)} " in s for s in spaced) >= 2

    inside = Counter(t for ts in terms for t in ts)
    total = n_docs + bg_n
    scored = [
        (inside[t] / len(texts) * math.log((1 + total) / (1 + df[t] + bg_df.get(key(t), 0))), t)
        for t in inside
        if inside[t] >= 2 and readable(t) and not is_common(t)
    ]
    scored.sort(key=lambda p: (-p[0], p[1]))
    chosen: list[str] = []
    for _, term in scored:
        if len(chosen) >= MAX_TERMS:
            break
        parts = term.split("_")
        if len(parts) == 1 and any(term in c.split("_") for c in chosen):
            continue  # a word already shown inside a chosen phrase
        # a phrase stands for its words: "water safety" replaces "water" and "safety"
        chosen = [c for c in chosen if c not in parts] + [term]
    return [shown(t) for t in chosen]


def _nearest(suggestions) -> dict[str, tuple[str, float]]:
    """Per axis, the theme with the highest mean score over the cluster's points."""
    out = {}
    for axis in AXES:
        totals: Counter = Counter()
        for s in suggestions:
            for theme, score in s.axis(axis).ranking:
                totals[theme] += score
        if totals:
            theme, total = min(totals.items(), key=lambda p: (-p[1], p[0]))
            out[axis] = (theme, round(total / len(suggestions), 3))
    return out
