"""Semantic similarity: MiniLM embeddings stored with each entry, a matrix cached per partnership.

At index time entries are embedded in batches (sentence by sentence, as the theme engine does, so
long learning points are not cut at 128 tokens). At query time the query is encoded once and
compared with a float32 matrix of the partnership's embeddings, built once per process and
rebuilt when the partnership's entries change (count or latest change differs).
"""

from __future__ import annotations

import threading
import time

import numpy as np
from django.db.models import Count, Max

from .models import EMBEDDING_DIM, SearchEntry

_LOCK = threading.Lock()
_MATRICES: dict[int, tuple[tuple, np.ndarray, np.ndarray]] = {}
_CHECKED: dict[int, float] = {}
# How long a matrix is trusted before asking the database whether other processes changed the
# partnership's entries. The check scans the partnership's rows (about 0.2 s at 90,000 pages),
# so it must not run on every search. A stale matrix cannot leak anything: candidates are always
# re-checked against the scope in the database; it can only miss entries a few seconds new.
RECHECK_SECONDS = 10.0


def encoder():
    """Return the process's shared MiniLM encoder (loaded on first use)."""
    from reviewhub.themes.engine.embed import shared_encoder

    return shared_encoder()


def embed_texts(texts: list[str]) -> np.ndarray:
    """Embed index texts as (n, 384) float32 unit vectors, batched."""
    from reviewhub.themes.engine.embed import encode_docs

    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    docs, _ = encode_docs(encoder(), texts)
    return docs.astype(np.float32)


def embed_queries(texts: list[str]) -> np.ndarray:
    """Embed a query and its variants in one batch: one model run, not one each."""
    return encoder().encode(texts, batch_size=len(texts) or 1)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").reshape(EMBEDDING_DIM).tobytes()


def from_bytes(raw) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype="<f4")


def invalidate(partnership_id: int | None = None) -> None:
    """Forget the cached matrix of one partnership (or all), after its entries changed."""
    with _LOCK:
        if partnership_id is None:
            _MATRICES.clear()
            _CHECKED.clear()
        else:
            _MATRICES.pop(partnership_id, None)
            _CHECKED.pop(partnership_id, None)


def matrix(partnership_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (entry ids, embedding matrix) of a partnership's embedded entries."""
    now = time.monotonic()
    with _LOCK:
        cached = _MATRICES.get(partnership_id)
        if cached is not None and now - _CHECKED.get(partnership_id, 0.0) < RECHECK_SECONDS:
            return cached[1], cached[2]
    rows = SearchEntry.objects.filter(partnership_id=partnership_id, embedding__isnull=False)
    # Another process may have changed the index: a signature catches it.
    sig = tuple(rows.aggregate(n=Count("id"), at=Max("updated_at"), top=Max("id")).values())
    with _LOCK:
        _CHECKED[partnership_id] = now
        if cached is not None and cached[0] == sig:
            return cached[1], cached[2]
    ids, vecs = [], []
    for pk, raw in rows.order_by("pk").values_list("pk", "embedding").iterator(chunk_size=2000):
        ids.append(pk)
        vecs.append(from_bytes(raw))
    ids_arr = np.asarray(ids, dtype=np.int64)
    mat = np.vstack(vecs) if vecs else np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    with _LOCK:
        _MATRICES[partnership_id] = (sig, ids_arr, mat)
        _CHECKED[partnership_id] = time.monotonic()
    return ids_arr, mat


def rank(scope, partnership_ids, vector, limit: int = 200, min_score: float = 0.0) -> list[int]:
    """Return ids of entries in ``scope`` most similar to ``vector`` (cosine), best first."""
    ids_parts, score_parts = [], []
    for pid in partnership_ids:
        ids, mat = matrix(pid)
        if not len(ids):
            continue
        scores = mat @ vector
        ids_parts.append(ids)
        score_parts.append(scores)
    if not ids_parts:
        return []
    ids = np.concatenate(ids_parts)
    scores = np.concatenate(score_parts)
    keep = scores >= min_score
    ids, scores = ids[keep], scores[keep]
    if not len(ids):
        return []
    # Look at more than we need: filters and access may drop many of the nearest.
    wanted = min(len(ids), max(limit * 2, 300))
    top = (
        np.argpartition(-scores, wanted - 1)[:wanted] if wanted < len(ids) else np.arange(len(ids))
    )
    top = top[np.argsort(-scores[top], kind="stable")]
    candidates = [int(i) for i in ids[top]]
    allowed = set(scope.filter(pk__in=candidates).values_list("pk", flat=True))
    return [pk for pk in candidates if pk in allowed][:limit]
