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
