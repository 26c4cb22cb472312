"""Read the packaged codebook of example statements per theme."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def load_codebook() -> dict[str, tuple[str, ...]]:
    """Return {theme id: example statements} from ``reviewhub/themes/data/codebook.yaml``."""
    text = resources.files("reviewhub.themes").joinpath("data/codebook.yaml").read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: faster
    data = yaml.load(text, Loader=loader) or {}  # noqa: S506 - a safe loader  # nosec B506
    return {str(k): tuple(str(s) for s in v or ()) for k, v in (data.get("themes") or {}).items()}
