"""The packaged default model state, and building it.

Training from the codebook takes a few seconds of embedding, so the state for the default
taxonomy is built once (``python -m reviewhub.themes.engine.default``) and shipped in
``reviewhub/themes/data/default_model.json.gz``. Other taxonomies get a state trained on first
use and kept for the life of the process.
"""

from __future__ import annotations

import sys
import threading
from importlib import resources
from pathlib import Path

from ..taxonomy import Taxonomy, default
from .model import ModelState, train

_FILE = "data/default_model.json.gz"
_CACHE: dict[str, ModelState] = {}
_LOCK = threading.Lock()


def _packaged() -> ModelState | None:
    res = resources.files("reviewhub.themes").joinpath(_FILE)
    if not res.is_file():
        return None
    return ModelState.from_bytes(res.read_bytes())


def default_state(taxonomy: Taxonomy | None = None) -> ModelState:
    """Return the packaged state when it matches the taxonomy, else train one from the codebook."""
    tax = taxonomy or default()
    fp = tax.fingerprint()
    with _LOCK:
        if fp not in _CACHE:
            st = _packaged()
            if st is None or st.taxonomy_fingerprint != fp:
                st = train(tax)
            _CACHE[fp] = st
        return _CACHE[fp]


def build(path: Path | None = None) -> ModelState:
    """Train the default state from the default taxonomy and codebook and write it."""
    state = train(default())
    target = path or Path(str(resources.files("reviewhub.themes").joinpath(_FILE)))
    target.write_bytes(state.to_bytes())
    return state


if __name__ == "__main__":
    st = build(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(st.version, st.figures)
