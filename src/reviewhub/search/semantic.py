"""Semantic similarity: MiniLM embeddings stored with each entry, matrices cached per partnership.

At index time entries are embedded in batches (sentence by sentence, as the theme engine does, so
long learning points are not cut at 128 tokens); the entry keeps its sentence vectors and their
length-weighted mean. At query time the query is encoded once and an entry scores
``SENTENCE_WEIGHT`` x (cosine of its best sentence) + the rest x (cosine of its mean vector): a
point with one sentence squarely on the question is not averaged away by the rest, and a point
whose whole text is on topic still counts. The float32 matrices of the partnership's vectors are
built once per process and rebuilt when the partnership's entries change (count or latest change
differs).
"""

from __future__ import annotations

import threading
import time
from typing import NamedTuple

import numpy as np
from django.db.models import Count, Max

from .models import EMBEDDING_DIM, SearchEntry

# Weight of the best sentence against the whole entry. bench/search_quality.py, entries without
# theme codes, nDCG@10 tuning / held-out / fresh / fresh2 on SQLite: mean vector alone 0.644 /
# 0.702 / 0.566 / 0.546; best sentence alone 0.639 / 0.698 / 0.528 / 0.591; 0.3 0.649 / 0.703 /
# 0.571 / 0.605; 0.5 0.638 / 0.700 / 0.568 / 0.617; 0.7 0.644 / 0.697 / 0.517 / 0.604. Flat
# between 0.3 and 0.5 on every set and on PostgreSQL too, so the even mix.
SENTENCE_WEIGHT = 0.5


class Vectors(NamedTuple):
    """A partnership's embedded entries: ids, mean vectors, sentence vectors and their owners.

    ``starts[i]`` is the first row of entry i in ``sentences``; every entry has at least one row
    (its mean vector stands in when it has no sentence vectors).
    """

    sig: tuple
    ids: np.ndarray
    docs: np.ndarray
    sentences: np.ndarray
    starts: np.ndarray


_LOCK = threading.Lock()
_MATRICES: dict[int, Vectors] = {}
_CHECKED: dict[int, float] = {}
# How long a matrix is trusted before asking the database whether other processes changed the
# partnership's entries. The check reads a partial index (search_embedded_idx: about 5 ms at
# 90,000 pages on PostgreSQL), still too much to pay on every search. A stale matrix cannot leak
# anything: candidates are always re-checked against the scope in the database; it can only miss
# entries a few seconds new.
RECHECK_SECONDS = 10.0


def encoder():
    """Return the process's shared MiniLM encoder (loaded on first use)."""
    from reviewhub.themes.engine.embed import shared_encoder

    return shared_encoder()


def embed_entries(texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Embed index texts: (n, 384) mean vectors and each text's (k, 384) sentence vectors."""
    from reviewhub.themes.engine.embed import encode_docs

    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32), []
    docs, sents = encode_docs(encoder(), texts)
    return docs.astype(np.float32), [np.asarray(v, dtype=np.float32) for v in sents]


def embed_queries(texts: list[str]) -> np.ndarray:
    """Embed a query and its variants in one batch: one model run, not one each."""
    return encoder().encode(texts, batch_size=len(texts) or 1)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").reshape(EMBEDDING_DIM).tobytes()


def from_bytes(raw) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype="<f4")


def rows_to_bytes(vectors: np.ndarray) -> bytes:
    """Store several vectors (sentence vectors of one entry) as one value."""
    return np.asarray(vectors, dtype="<f4").reshape(-1, EMBEDDING_DIM).tobytes()


def rows_from_bytes(raw) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype="<f4").reshape(-1, EMBEDDING_DIM)


def invalidate(partnership_id: int | None = None) -> None:
    """Forget the cached matrix of one partnership (or all), after its entries changed."""
    with _LOCK:
        if partnership_id is None:
            _MATRICES.clear()
            _CHECKED.clear()
        else:
            _MATRICES.pop(partnership_id, None)
            _CHECKED.pop(partnership_id, None)


def vectors(partnership_id: int) -> Vectors:
    """Return the partnership's embedded entries' vectors, cached (see ``RECHECK_SECONDS``)."""
    now = time.monotonic()
    with _LOCK:
        cached = _MATRICES.get(partnership_id)
        if cached is not None and now - _CHECKED.get(partnership_id, 0.0) < RECHECK_SECONDS:
            return cached
    rows = SearchEntry.objects.filter(partnership_id=partnership_id, embedding__isnull=False)
    # Another process may have changed the index: a signature catches it.
    sig = tuple(rows.aggregate(n=Count("id"), at=Max("updated_at"), top=Max("id")).values())
    with _LOCK:
        _CHECKED[partnership_id] = now
        if cached is not None and cached.sig == sig:
            return cached
    ids, docs, sents, starts = [], [], [], []
    n_rows = 0
    for pk, raw, raw_sents in (
        rows.order_by("pk")
        .values_list("pk", "embedding", "sentence_embeddings")
        .iterator(chunk_size=2000)
    ):
        doc = from_bytes(raw)
        own = rows_from_bytes(raw_sents) if raw_sents else ()
        if not len(own):  # indexed before sentence vectors were kept: the mean stands in
            own = doc.reshape(1, EMBEDDING_DIM)
        ids.append(pk)
        docs.append(doc)
        sents.append(own)
        starts.append(n_rows)
        n_rows += len(own)
    empty = np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    built = Vectors(
        sig=sig,
        ids=np.asarray(ids, dtype=np.int64),
        docs=np.vstack(docs) if docs else empty,
        sentences=np.vstack(sents) if sents else empty,
        starts=np.asarray(starts, dtype=np.int64),
    )
    with _LOCK:
        _MATRICES[partnership_id] = built
        _CHECKED[partnership_id] = time.monotonic()
    return built


_BLAS: list = []
_BLAS_LOCK = threading.Lock()


def _one_blas_thread():
    """Run BLAS on one thread while scoring (a process-wide setting, hence the lock).

    On a busy 2-core machine OpenBLAS's threads wait on each other: scoring 6,000 points
    (30,000 sentence vectors) took p50 16 ms on one thread against 33 ms on two, and the
    entry vectors alone 1.4 ms against 26 ms. The limit costs 0.03 ms to set and undo.
    """
    if not _BLAS:
        from threadpoolctl import ThreadpoolController

        _BLAS.append(ThreadpoolController())
    return _BLAS[0].limit(limits=1, user_api="blas")


def scores(v: Vectors, queries: np.ndarray) -> np.ndarray:
    """Score every entry of ``v`` for each query vector: an (entries, queries) array."""
    q = np.asarray(queries, dtype=np.float32).reshape(-1, EMBEDDING_DIM).T
    with _BLAS_LOCK, _one_blas_thread():
        whole = v.docs @ q
        best = np.maximum.reduceat(v.sentences @ q, v.starts, axis=0)
    return SENTENCE_WEIGHT * best + (1.0 - SENTENCE_WEIGHT) * whole


def rank(scope, partnership_ids, vector, limit: int = 200, min_score: float = 0.0) -> list[int]:
    """Return ids of entries in ``scope`` most similar to ``vector``, best first."""
    return rank_many(scope, partnership_ids, [vector], limit=limit, min_score=min_score)[0]


def rank_many(
    scope, partnership_ids, queries, limit: int = 200, min_score: float = 0.0
) -> list[list[int]]:
    """Rank the entries of ``scope`` for each query vector (one access check for them all)."""
    queries = np.asarray(queries, dtype=np.float32).reshape(-1, EMBEDDING_DIM)
    ids_parts, score_parts = [], []
    for pid in partnership_ids:
        v = vectors(pid)
        if not len(v.ids):
            continue
        ids_parts.append(v.ids)
        score_parts.append(scores(v, queries))
    if not ids_parts:
        return [[] for _ in queries]
    all_ids = np.concatenate(ids_parts)
    all_scores = np.concatenate(score_parts)
    ranked: list[list[int]] = []
    for col in range(len(queries)):
        col_scores = all_scores[:, col]
        keep = col_scores >= min_score
        ids, sc = all_ids[keep], col_scores[keep]
        if not len(ids):
            ranked.append([])
            continue
        # Look at more than we need: filters and access may drop many of the nearest.
        wanted = min(len(ids), max(limit * 2, 300))
        top = (
            np.argpartition(-sc, wanted - 1)[:wanted] if wanted < len(ids) else np.arange(len(ids))
        )
        top = top[np.argsort(-sc[top], kind="stable")]
        ranked.append([int(i) for i in ids[top]])
    # Every candidate is re-checked against the scope in the database, whatever the cache says.
    candidates = {pk for r in ranked for pk in r}
    allowed = (
        set(scope.filter(pk__in=candidates).values_list("pk", flat=True)) if candidates else set()
    )
    return [[pk for pk in r if pk in allowed][:limit] for r in ranked]
