"""Which theme engine serves a partnership: its latest trained model, else the packaged one."""

from __future__ import annotations

import threading

from .models import ModelVersion

_lock = threading.Lock()
_cache: dict[int, tuple[tuple, object]] = {}


def partnership_taxonomy(partnership):
    """The partnership's live themes as the engine's taxonomy."""
    from reviewhub.learning.models import Theme

    from .taxonomy import from_dicts

    rows = Theme.objects.filter(taxonomy__partnership=partnership).order_by("display_order", "pk")
    return from_dicts(
        [
            {
                "id": t.theme_id,
                "axis": t.axis,
                "label": t.label,
                "definition": t.definition,
                "keywords": list(t.keywords or []),
                "overlaps": list(t.overlaps or []),
                "retired": t.retired,
                "display_order": t.display_order,
            }
            for t in rows
        ],
        taxonomy_id=f"partnership-{partnership.pk}",
    )


def engine_for(partnership):
    """Return the theme engine for ``partnership``, or None when no model covers its taxonomy.

    The latest trained version for the current taxonomy wins; otherwise the packaged default
    model, when it covers every active theme. One engine is kept per process and partnership.
    """
    from .engine import Engine
    from .engine.default import default_state

    taxonomy = partnership_taxonomy(partnership)
    if not taxonomy.themes:
        return None
    fingerprint = taxonomy.fingerprint()
    latest = (
        ModelVersion.objects.filter(partnership=partnership, taxonomy_fingerprint=fingerprint)
        .only("pk", "version")
        .first()
    )
    key = (fingerprint, latest.pk if latest else None)
    with _lock:
        cached = _cache.get(partnership.pk)
        if cached and cached[0] == key:
            return cached[1]
    if latest is not None:
        state = ModelVersion.objects.get(pk=latest.pk).state
        engine = Engine.load(taxonomy=taxonomy, model_state=bytes(state))
    else:
        default = default_state()
        if any(t.id not in default.axes for t in taxonomy.active()):
            return None  # a theme the packaged model has never seen: retrain first
        engine = Engine.load(taxonomy=taxonomy, model_state=default)
    with _lock:
        _cache[partnership.pk] = (key, engine)
    return engine


def model_version_list(*, partnership):
    return ModelVersion.objects.filter(partnership=partnership).defer("state")


# Emerging themes look at the learning added in the last year, at most this many points (the
# most recent): about two seconds of the engine on a 2-core machine.
EMERGING_DAYS = 365
EMERGING_MAX_POINTS = 400


def emerging_themes(*, user, partnership, poor_below: float | None = None):
    """Group the recent learning the user may see that the taxonomy covers poorly.

    Returns (the engine's :class:`~reviewhub.themes.engine.emerging.Emerging`, the points it
    looked at by pk), or None when no model covers the partnership's taxonomy yet (retraining
    after a taxonomy change). Reads go through the learning access rule; a result that holds
    unpublished points is audited as a search of them. Points the user is coding blind are left
    out, as the coding screen shows them no suggestions. Points already coded stay in: a point
    coded with the nearest theme because none fitted is what an emerging theme is made of.
    """
    from datetime import timedelta

    from django.utils import timezone

    from reviewhub.learning.selectors import (
        blind_point_ids,
        learning_list_audit,
        learning_point_list,
    )

    from .engine.emerging import POOR_BELOW, find_emerging

    engine = engine_for(partnership)
    if engine is None:
        return None
    since = timezone.now() - timedelta(days=EMERGING_DAYS)
    recent = (
        learning_point_list(user=user, partnership=partnership)
        .filter(created_at__gte=since)
        # points the user codes blind in an open exercise: no engine view of them until done
        .exclude(pk__in=blind_point_ids(user, partnership))
    )
    points = list(recent.order_by("-created_at", "-pk")[:EMERGING_MAX_POINTS])
    learning_list_audit(
        points=recent.filter(pk__in=[p.pk for p in points]),
        filters={"emerging": True},
        detail=f"emerging themes over {len(points)} recent learning points",
    )
    items = [{"heading": p.heading, "learned": p.learned, "action": p.action} for p in points]
    threshold = POOR_BELOW if poor_below is None else poor_below
    found = find_emerging(engine, items, [p.pk for p in points], poor_below=threshold)
    return found, {p.pk: p for p in points}
