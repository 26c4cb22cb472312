"""Load a theme taxonomy into plain dataclasses the theme engine can work with.

The default taxonomy ships in ``reviewhub/learning/data/themes.yaml``; a partnership's own
themes arrive from the Django side as a list of dicts with the same fields.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

AXES = ("circumstances", "practice")


@dataclass(frozen=True)
class Overlap:
    theme: str
    rule: str


@dataclass(frozen=True)
class Theme:
    id: str
    axis: str
    label: str
    definition: str = ""
    keywords: tuple[str, ...] = ()
    overlaps: tuple[Overlap, ...] = ()
    retired: bool = False
    display_order: int = 0


@dataclass(frozen=True)
class Taxonomy:
    themes: tuple[Theme, ...]
    id: str = "custom"
    version: str = ""
    disambiguation: tuple[tuple[str, str], ...] = field(default=())

    def active(self, axis: str | None = None) -> list[Theme]:
        """Return the themes that can be suggested, optionally for one axis, in display order."""
        return [t for t in self.themes if not t.retired and (axis is None or t.axis == axis)]

    def get(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    def fingerprint(self) -> str:
        """Return a short hash of what the engine reads, so a model can tell its taxonomy changed."""
        payload = [
            [t.id, t.axis, t.label, t.definition, list(t.keywords), t.retired] for t in self.themes
        ]
        return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:12]


def _theme_from_dict(d: dict[str, Any], axis: str | None = None) -> Theme:
    if not isinstance(d, dict) or not d.get("id"):
        raise ValueError(f"theme entry without an id: {d!r}")
    ax = d.get("axis") or axis
    if ax not in AXES:
        raise ValueError(f"theme {d['id']!r}: axis must be one of {AXES}, got {ax!r}")
    overlaps = []
    for o in d.get("overlaps") or ():
        if isinstance(o, dict) and o.get("theme"):
            overlaps.append(Overlap(str(o["theme"]), str(o.get("rule") or "")))
    return Theme(
        id=str(d["id"]),
        axis=ax,
        label=str(d.get("label") or d["id"]),
        definition=str(d.get("definition") or ""),
        keywords=tuple(str(k) for k in (d.get("keywords") or ())),
        overlaps=tuple(overlaps),
        retired=bool(d.get("retired", False)),
        display_order=int(d.get("display_order") or 0),
    )


def from_dicts(themes: Iterable[dict[str, Any]], taxonomy_id: str = "custom") -> Taxonomy:
    """Build a taxonomy from a list of theme dicts (id, axis, label, definition, keywords...)."""
    parsed = tuple(_theme_from_dict(d) for d in themes)
    ids = [t.id for t in parsed]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate theme ids in taxonomy")
    return Taxonomy(themes=parsed, id=taxonomy_id)


def from_yaml_data(data: dict[str, Any]) -> Taxonomy:
    """Build a taxonomy from the parsed YAML document (``axes`` -> ``themes``)."""
    themes: list[Theme] = []
    for axis in data.get("axes") or ():
        if axis.get("id") not in AXES:
            continue  # facets such as age_band are not themes
        for t in axis.get("themes") or ():
            themes.append(_theme_from_dict(t, axis["id"]))
    meta = data.get("taxonomy") or {}
    disamb = tuple(
        (str(x.get("term", "")), str(x.get("guidance", "")))
        for x in data.get("disambiguation") or ()
        if isinstance(x, dict)
    )
    return Taxonomy(
        themes=tuple(themes),
        id=str(meta.get("id", "custom")),
        version=str(meta.get("version", "")),
        disambiguation=disamb,
    )


# libyaml's parser when installed: ten times faster, which is most of the engine's load time
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(source: str | Path | None = None) -> Taxonomy:
    """Load a taxonomy from a YAML path, or the packaged default when ``source`` is None."""
    if source is None:
        text = (
            resources.files("reviewhub.learning")
            .joinpath("data/themes.yaml")
            .read_text(encoding="utf-8")
        )
    else:
        text = Path(source).read_text(encoding="utf-8")
    return from_yaml_data(yaml.load(text, Loader=_YAML_LOADER))  # noqa: S506 - safe loader  # nosec B506


_DEFAULT: Taxonomy | None = None


def default() -> Taxonomy:
    """Return the packaged default taxonomy, parsed once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load()
    return _DEFAULT


def coerce(
    taxonomy: Taxonomy | Iterable[dict[str, Any]] | str | Path | None,
) -> Taxonomy:
    """Accept a Taxonomy, a list of theme dicts, a YAML path, or None (default)."""
    if taxonomy is None:
        return default()
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    if isinstance(taxonomy, (str, Path)):
        return load(taxonomy)
    return from_dicts(taxonomy)
