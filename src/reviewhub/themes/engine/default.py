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


def packaged_version(state: ModelState) -> str:
    """The packaged model's label: its training inputs' version and its content hash, so that
    rebuilding it with changed training code changes the label too."""
    return f"{state.version.split('.')[0]}.{state.content_hash()}"


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


def corpus_examples(corpus: Path) -> list[dict]:
    """Read a labelled corpus (learning.jsonl + labels.jsonl) as confirmed examples.

    The corpus text is not stored in the state: nearest-example reasons cite the item id.
    """
    import json

    from .results import item_text

    items = [json.loads(x) for x in (corpus / "learning.jsonl").read_text().splitlines() if x]
    labels = {
        x["id"]: x for x in map(json.loads, (corpus / "labels.jsonl").read_text().splitlines()) if x
    }
    return [
        {
            "text": item_text(i),
            "circumstances": labels[i["id"]]["circumstances"],
            "practice": labels[i["id"]]["practice"],
            "group": i.get("publisher", ""),
            "display": f"[dev corpus item {i['id']}, {i.get('publisher', '')}]",
        }
        for i in items
        if i["id"] in labels
    ]


def build(path: Path | None = None, corpus: Path | None = None) -> ModelState:
    """Train the default state from the default taxonomy, the codebook and an optional labelled
    corpus, and write it."""
    examples = corpus_examples(corpus) if corpus else []
    state = train(default(), examples)
    state.version = packaged_version(state)
    target = path or Path(str(resources.files("reviewhub.themes").joinpath(_FILE)))
    target.write_bytes(state.to_bytes())
    return state


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Build the packaged default theme model.")
    ap.add_argument("--out", type=Path, help="where to write (default: inside the package)")
    ap.add_argument("--corpus", type=Path, help="a labelled corpus dir to add as confirmed codes")
    a = ap.parse_args(sys.argv[1:])
    st = build(a.out, a.corpus)
    print(st.version, st.figures)
