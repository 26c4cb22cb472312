"""Fuse full-text, semantic and theme evidence into one ranking (weighted reciprocal-rank fusion).

Each ranker returns entry ids best first; an entry scores sum(weight / (k + rank)) over the
rankers that found it. The weights and k were tuned on the tuning half of the query set in
bench/search_quality.py and checked on its held-out half (figures in README "Search").
"""

from __future__ import annotations

from dataclasses import dataclass

from . import fulltext, semantic
from .choices import Kind
from .models import SearchEntry
from .query import Analysed, analyse

# Tuned with bench/search_quality.py (tuning half); see README "Search" for the figures.
K = 10
WEIGHTS = {
    "fts": 1.0,  # BM25 / ts_rank over the words as typed
    "fts_exp": 1.5,  # the same over the thesaurus' report words
    "sem": 1.0,  # MiniLM cosine (best sentence and whole entry) with the query as typed
    "sem_exp": 1.0,  # the same with the query followed by its report words
    # Entries coded with the themes the query points to. Themes guessed from the words of uncoded
    # text were tried and dropped (they lowered nDCG); the engine's suggestions below did not.
    "theme": 0.5,
    # Entries nobody has coded whose engine suggestions carry the query's themes (imported
    # learning is suggested on import); measured with leave-one-publisher-out suggestions in
    # bench/search_quality.py.
    "theme_suggested": 0.5,
    "pages": 1.0,  # document pages, full text only
}
# Document pages matched before ranking stops looking (see fulltext.rank).
PAGE_MATCH_CAP = 1500
# Entries this dissimilar to the query (semantic.scores) are not semantic matches at all.
MIN_COSINE = 0.15


@dataclass
class Fused:
    """One ranked entry id with its fused score and the rank each ranker gave it."""

    pk: int
    score: float
    ranks: dict


def component_rankings(
    scope,
    partnership_ids,
    analysed: Analysed,
    *,
    depth: int = 200,
    semantic_on: bool = True,
) -> dict[str, list[int]]:
    """Run every ranker over the scope and return their id lists (best first)."""
    out: dict[str, list[int]] = {}
    items = scope.exclude(kind=Kind.DOCUMENT_PAGE)
    out["fts"] = fulltext.rank(items, analysed.words, limit=depth) if analysed.words else []
    out["fts_exp"] = (
        fulltext.rank(items, analysed.expansions, limit=depth) if analysed.expansions else []
    )
    if analysed.words:
        # Document pages: the words as typed only, and a bounded number of matches ranked.
        pages = scope.filter(kind=Kind.DOCUMENT_PAGE)
        out["pages"] = fulltext.rank(
            pages, analysed.words, limit=depth, group="pages", cap=PAGE_MATCH_CAP
        )
    if semantic_on and analysed.text:
        texts = [analysed.text] + ([analysed.expanded_text] if analysed.expansions else [])
        vecs = semantic.embed_queries(texts)
        ranked = semantic.rank_many(scope, partnership_ids, vecs, limit=depth, min_score=MIN_COSINE)
        out["sem"] = ranked[0]
        if len(ranked) > 1:
            out["sem_exp"] = ranked[1]
    if analysed.themes:
        out["theme"], out["theme_suggested"] = theme_rankings(analysed.themes, out)
    return out


def theme_rankings(themes: dict, found: dict[str, list[int]]) -> tuple[list[int], list[int]]:
    """Rank the entries the other rankers found by how much of the query's themes they carry:
    once by the analyst's codes, once by the engine's suggestions (held only by uncoded entries).
    """
    order: dict[int, float] = {}
    for name, ranked in found.items():
        if name == "pages":
            continue  # document pages carry no themes
        for r, pk in enumerate(ranked):
            order[pk] = max(order.get(pk, 0.0), 1.0 / (1 + r))
    if not order:
        return [], []
    coded, suggested = [], []
    # Every id came from a ranker that applied the scope already: no need to apply it again.
    rows = SearchEntry.objects.filter(pk__in=list(order)).values_list(
        "pk", "theme_ids", "suggested_theme_ids"
    )
    for pk, theme_ids, suggested_ids in rows:
        for ids, into in ((theme_ids, coded), (suggested_ids, suggested)):
            overlap = sum(themes.get(t, 0.0) for t in ids or ())
            if overlap > 0:
                into.append((overlap, order[pk], pk))
    for scored in (coded, suggested):
        scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
    return [pk for _, _, pk in coded], [pk for _, _, pk in suggested]


def fuse(rankings: dict[str, list[int]], weights: dict | None = None, k: float = K) -> list[Fused]:
    """Weighted reciprocal-rank fusion of several rankings."""
    weights = WEIGHTS if weights is None else weights
    table: dict[int, Fused] = {}
    for name, ranked in rankings.items():
        w = weights.get(name, 0.0)
        if w <= 0:
            continue
        for r, pk in enumerate(ranked, start=1):
            item = table.setdefault(pk, Fused(pk=pk, score=0.0, ranks={}))
            item.score += w / (k + r)
            item.ranks[name] = r
    return sorted(table.values(), key=lambda f: (-f.score, f.pk))


def rank_entries(
    scope, partnership_ids, text: str, *, depth: int = 200, expand: bool = True
) -> tuple[Analysed, list[Fused]]:
    """Rank the entries of ``scope`` for a query: the one entry point the selectors use."""
    analysed = analyse(text, expand=expand)
    if not analysed.words and not analysed.expansions:
        return analysed, []
    pids = list(partnership_ids)
    rankings = component_rankings(scope, pids, analysed, depth=depth)
    return analysed, fuse(rankings)
