"""Keep the search index in step with learning points, and tell search who may see them.

Points are re-indexed when they or their codes change (signals, in the same transaction), so
search never shows stale text, publication state or themes. Bulk imports defer indexing and send
it in one batch (``deferred_indexing``), which embeds the texts together.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db.models.signals import post_delete, post_save
from django.urls import reverse

_local = threading.local()


def visible_pks(user, pks):
    from .models import LearningPoint

    return (
        LearningPoint.objects.restrict(user, "view").filter(pk__in=pks).values_list("pk", flat=True)
    )


# An engine suggestion counts for search ranking from this score: the theme engine's calibrated
# probability that the theme applies. (The keyword engine, which stands in only until a model
# covers a changed taxonomy, scores hits / (hits + 2): there it takes two hits, and a keyword in
# the heading counts as two.) In a trial
# on bench/search_quality.py's sets, 0.3, 0.5 and the engine's own selection scored within 0.01 of
# each other; 0.5 keeps only the likely themes.
SUGGESTION_MIN_SCORE = 0.5


def _entry(point) -> dict:
    from .choices import CONFIRMED_SOURCES, CodeSource

    live = point.codes.filter(exercise__isnull=True).select_related("theme")
    codes = [c for c in live if c.source in CONFIRMED_SOURCES]
    # Until an analyst codes the point, the engine's likely themes help search rank it (never
    # the theme filter); search_index_upsert drops them once confirmed codes exist.
    suggested = [
        c
        for c in live
        if c.source == CodeSource.SUGGESTED and (c.score or 0.0) >= SUGGESTION_MIN_SCORE
    ]
    return {
        "kind": "learning",
        "object_pk": point.pk,
        "object_id": point.external_id or str(point.pk),
        "partnership_id": point.partnership_id,
        "title": point.heading or point.learned[:120],
        "body": "\n".join(part for part in (point.learned, point.action) if part),
        "url": reverse("learning:point_detail", kwargs={"pk": point.pk}),
        "published": point.published,
        "year": point.source.year,
        "review_type": point.source.review_type,
        "theme_ids": sorted({c.theme.theme_id for c in codes}),
        "suggested_theme_ids": sorted({c.theme.theme_id for c in suggested}),
        "agency_ids": sorted(point.agencies.values_list("sector", flat=True)),
        "age_band": point.age_band or "",
    }


def index_points(pks) -> None:
    """(Re)index the given points now, embedding their texts in one batch."""
    from reviewhub.search.services import search_index_upsert_many

    from .models import LearningPoint

    points = LearningPoint.objects.filter(pk__in=list(pks)).select_related("source")
    items = [_entry(p) for p in points]
    if items:
        search_index_upsert_many(items)


def _schedule(pk) -> None:
    pending = getattr(_local, "pending", None)
    if pending is not None:
        pending.add(pk)
    else:
        index_points([pk])


@contextmanager
def deferred_indexing():
    """Collect re-indexing inside the block and do it once at the end (imports)."""
    outer = getattr(_local, "pending", None)
    _local.pending = set() if outer is None else outer
    try:
        yield
        if outer is None and _local.pending:
            index_points(_local.pending)
    finally:
        if outer is None:
            _local.pending = None


def _point_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _schedule(instance.pk)


def _point_deleted(sender, instance, **kwargs):
    from reviewhub.search.services import search_index_delete

    search_index_delete("learning", instance.pk)


def _code_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.exercise_id is None:
        _schedule(instance.point_id)


def connect() -> None:
    from reviewhub.search.registry import register_kind

    from .models import Code, LearningPoint

    register_kind("learning", visible_pks, label="Learning point")
    post_save.connect(_point_saved, sender=LearningPoint, dispatch_uid="learning-index")
    post_delete.connect(_point_deleted, sender=LearningPoint, dispatch_uid="learning-unindex")
    post_save.connect(_code_changed, sender=Code, dispatch_uid="code-index")
    post_delete.connect(_code_changed, sender=Code, dispatch_uid="code-unindex")
