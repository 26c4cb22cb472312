"""Keyword signal: the taxonomy's own keywords, matched on stems, and a keyword-only ranker.

The ranker is the fallback engine (no model files needed) and the keyword baseline of the
benchmarks; it has the same interface as :class:`reviewhub.themes.engine.Engine`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ..taxonomy import Taxonomy, coerce
from ..text import KeywordPattern, find_phrases, keyword_pattern, stems
from .results import AXES, AxisSuggestion, Reason, Suggestion, item_text

KEYWORD_VERSION = "keywords-1"


class KeywordIndex:
    """Match each theme's keywords against a text.

    The keywords are the taxonomy's own, or, given ``phrases`` ({theme id: phrases}), those
    phrases instead (the codebook's phrase lexicon is a second index of this kind).
    """

    def __init__(self, taxonomy: Taxonomy, phrases: dict[str, Iterable[str]] | None = None) -> None:
        self.taxonomy = taxonomy
        self.themes = [t.id for t in taxonomy.active()]
        self.patterns: dict[str, list[KeywordPattern]] = {}
        for t in taxonomy.active():
            source = t.keywords if phrases is None else phrases.get(t.id, ())
            pats = [p for p in (keyword_pattern(k) for k in source) if p]
            self.patterns[t.id] = pats
        # a keyword shared by several themes says less about each of them
        df = Counter(
            p.stems for pats in self.patterns.values() for p in {q.stems: q for q in pats}.values()
        )
        # a keyword found only inside a longer keyword ('capacity' in 'capacity assessment')
        # should not count on its own: the longer phrase is the meaning
        # (each longer keyword's word runs looked up: a lexicon has thousands of phrases)
        all_stems = {p.stems for pats in self.patterns.values() for p in pats}
        self.containers: dict[tuple[str, ...], list[tuple[str, ...]]] = {a: [] for a in all_stems}
        for b in sorted(all_stems):
            runs = {b[i:j] for i in range(len(b)) for j in range(i + 1, len(b) + 1)} - {b}
            for a in runs & all_stems:
                self.containers[a].append(b)
        self.weight = {
            tid: {p.stems: (1.0 + 0.5 * (len(p.stems) - 1)) / df[p.stems] for p in pats}
            for tid, pats in self.patterns.items()
        }

        # patterns by stem sequence, so a text only pays for the keywords whose stems it has,
        # and those sequences by their first stem, so it only looks at those
        self.by_stems: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        for tid, pats in self.patterns.items():
            for p in pats:
                self.by_stems.setdefault(p.stems, []).append((tid, p.phrase))
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in self.by_stems:
            self.by_first.setdefault(key[0], []).append(key)

    def match(self, text: str) -> dict[str, list[str]]:
        """Return {theme id: keywords found} for the themes with at least one hit."""
        st = stems(text)
        out = {}
        for tid, pats in self.patterns.items():
            hits = find_phrases(st, pats)
            if hits:
                out[tid] = [p.phrase for p in hits]
        return out

    def scores(self, text: str) -> tuple[dict[str, float], dict[str, list[str]]]:
        """Return ({theme id: score}, {theme id: matched keywords}) with log-damped counts."""
        st = stems(text)
        present = set(st)
        joined = " " + " ".join(st) + " "
        # str.count on the space-joined stems, as before, for the keywords that can occur
        counts = {
            key: joined.count(" " + " ".join(key) + " ")
            for first in present
            for key in self.by_first.get(first, ())
            if present.issuperset(key)
        }
        hit = {}
        for key, c in counts.items():
            n = c - sum(counts.get(b, 0) for b in self.containers[key])
            if n > 0:
                hit[key] = 1.0 + math.log(n)
        hit_themes = {tid for key in hit for tid, _ in self.by_stems[key]}
        scores: dict[str, float] = {}
        matched: dict[str, list[str]] = {}
        for tid, pats in self.patterns.items():
            if tid not in hit_themes:
                scores[tid] = 0.0
                continue
            s = 0.0
            hits = []
            for p in pats:  # taxonomy order, as the reasons list them
                if p.stems in hit:
                    s += self.weight[tid][p.stems] * hit[p.stems]
                    hits.append(p.phrase)
            scores[tid] = math.log1p(s)
            matched[tid] = hits
        return scores, matched


class KeywordRanker:
    """Rank themes by keyword hits only; same interface as the full engine."""

    version = KEYWORD_VERSION

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.index = KeywordIndex(taxonomy)
        self.order = {t.id: i for i, t in enumerate(taxonomy.active())}

    @classmethod
    def load(cls, taxonomy: Any = None, model_state: Any = None) -> KeywordRanker:
        return cls(coerce(taxonomy))

    def suggest(self, item: Any) -> Suggestion:
        text = item_text(item)
        scores, matched = self.index.scores(text)
        axes = {}
        for ax in AXES:
            ids = [t.id for t in self.taxonomy.active(ax)]
            ranking = sorted(((t, scores[t]) for t in ids), key=lambda p: (-p[1], self.order[p[0]]))
            top = ranking[0][1] if ranking else 0.0
            selected = [t for t, s in ranking if s > 0 and s >= 0.5 * top][:3]
            if ax == "practice" and not selected and ranking:
                selected = [ranking[0][0]]  # the coding rules ask for at least one practice theme
            axes[ax] = AxisSuggestion(selected, [(t, round(s, 4)) for t, s in ranking])
        reasons = {t: Reason(t, keywords=k, words=k) for t, k in matched.items()}
        return Suggestion(axes["circumstances"], axes["practice"], reasons, self.version)

    def suggest_many(self, items: Iterable[Any], reasons: bool = True) -> list[Suggestion]:
        return [self.suggest(i) for i in items]
