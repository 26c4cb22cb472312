"""The taxonomy as YAML: read the packaged default, parse a shared codebook, write one out.

The YAML shape is that of ``data/themes.yaml``: a ``taxonomy`` header, ``coding_rules``, ``axes``
(each with ``themes``), and anything else (facets, crosswalks ...) carried through unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

import yaml

from .choices import THEME_MAX_KEYWORDS, Axis

MAX_YAML_BYTES = 2_000_000
THEME_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Theme keys stored in their own columns; any other key is kept in Theme.extra.
THEME_COLUMNS = (
    "id",
    "axis",
    "label",
    "definition",
    "keywords",
    "overlaps",
    "display_order",
    "retired",
)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class TaxonomyFormatError(ValueError):
    """The YAML is not a taxonomy this product can load; the message says what is wrong."""


@dataclass
class ParsedTheme:
    theme_id: str
    axis: str
    label: str
    definition: str = ""
    keywords: list[str] = field(default_factory=list)
    overlaps: list = field(default_factory=list)
    display_order: int = 0
    retired: bool = False
    extra: dict = field(default_factory=dict)


@dataclass
class ParsedTaxonomy:
    meta: dict
    themes: list[ParsedTheme]


def default_yaml() -> str:
    """The default taxonomy shipped in the package."""
    return resources.files("reviewhub.learning").joinpath("data/themes.yaml").read_text("utf-8")


def parse(text: str) -> ParsedTaxonomy:
    """Parse and check a taxonomy YAML document, refusing anything malformed with a clear message."""
    if len(text.encode("utf-8", "replace")) > MAX_YAML_BYTES:
        raise TaxonomyFormatError("The file is larger than 2 MB; a taxonomy is much smaller.")
    try:
        # Anchors and aliases are refused: shared nodes can multiply a small file into a huge
        # structure once stored as JSON ("billion laughs"), and a taxonomy never needs them.
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                raise TaxonomyFormatError(
                    f"The file uses a YAML alias at line {mark.line + 1}; write the values out."
                )
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader  # nosec B506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise TaxonomyFormatError(f"The file is not valid YAML{where}.")
    if _has_nul(data):
        raise TaxonomyFormatError("The file contains a NUL character; remove it.")
    if not isinstance(data, dict) or not isinstance(data.get("axes"), list):
        raise TaxonomyFormatError("The file has no 'axes' list: it is not a theme taxonomy.")
    themes: list[ParsedTheme] = []
    seen: set[str] = set()
    meta = {k: v for k, v in data.items() if k != "axes"}
    meta["axes"] = []
    for axis in data["axes"]:
        if not isinstance(axis, dict) or axis.get("id") not in Axis.values:
            raise TaxonomyFormatError(
                f"Each axis needs an id of {' or '.join(Axis.values)}; found {_show(axis)}."
            )
        if not isinstance(axis.get("themes", []), list):
            raise TaxonomyFormatError(f"Axis {axis['id']}: 'themes' must be a list.")
        meta["axes"].append({k: v for k, v in axis.items() if k != "themes"})
        for position, raw in enumerate(axis.get("themes", []), start=1):
            theme = _parse_theme(raw, axis["id"], position)
            if theme.theme_id in seen:
                raise TaxonomyFormatError(f"Theme id {theme.theme_id!r} appears twice.")
            seen.add(theme.theme_id)
            themes.append(theme)
    if not themes:
        raise TaxonomyFormatError("The taxonomy has no themes.")
    return ParsedTaxonomy(meta=meta, themes=themes)


def _has_nul(value, depth: int = 0) -> bool:
    if depth > 50:
        raise TaxonomyFormatError("The file is nested too deeply.")
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k, depth + 1) or _has_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v, depth + 1) for v in value)
    return False


def _show(value) -> str:
    return repr(value)[:60]


def _parse_theme(raw, axis: str, position: int) -> ParsedTheme:
    if not isinstance(raw, dict):
        raise TaxonomyFormatError(f"Axis {axis}, theme {position}: expected a mapping.")
    theme_id = raw.get("id")
    if not isinstance(theme_id, str) or not THEME_ID.match(theme_id) or len(theme_id) > 80:
        raise TaxonomyFormatError(
            f"Axis {axis}, theme {position}: the id must be lower-case words joined by hyphens "
            f"(found {_show(theme_id)})."
        )
    if raw.get("axis", axis) != axis:
        raise TaxonomyFormatError(
            f"Theme {theme_id}: its axis does not match the axis it is under."
        )
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip() or len(label) > 200:
        raise TaxonomyFormatError(f"Theme {theme_id}: a label of 1 to 200 characters is needed.")
    keywords = raw.get("keywords") or []
    if not isinstance(keywords, list) or not all(
        isinstance(k, str) and k.strip() for k in keywords
    ):
        raise TaxonomyFormatError(f"Theme {theme_id}: keywords must be a list of words or phrases.")
    if len(keywords) > THEME_MAX_KEYWORDS:
        raise TaxonomyFormatError(
            f"Theme {theme_id}: at most {THEME_MAX_KEYWORDS} keywords (it has {len(keywords)})."
        )
    definition = raw.get("definition") or ""
    if not isinstance(definition, str):
        raise TaxonomyFormatError(f"Theme {theme_id}: the definition must be text.")
    order = raw.get("display_order", position)
    if not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= 10_000:
        raise TaxonomyFormatError(f"Theme {theme_id}: display_order must be a whole number.")
    overlaps = raw.get("overlaps") or []
    if not isinstance(overlaps, list):
        raise TaxonomyFormatError(f"Theme {theme_id}: overlaps must be a list.")
    retired = raw.get("retired", False)
    if not isinstance(retired, bool):
        raise TaxonomyFormatError(f"Theme {theme_id}: retired must be true or false.")
    return ParsedTheme(
        theme_id=theme_id,
        axis=axis,
        label=label.strip(),
        definition=definition.strip(),
        keywords=[k.strip() for k in keywords],
        overlaps=overlaps,
        display_order=order,
        retired=retired,
        extra={k: v for k, v in raw.items() if k not in THEME_COLUMNS},
    )


def dump(meta: dict, themes) -> str:
    """Write a taxonomy (its meta and Theme rows or ParsedThemes) as YAML in the themes.yaml shape."""
    out = {k: v for k, v in meta.items() if k != "axes"}
    axes_meta = {a["id"]: a for a in meta.get("axes", [])}
    axes = []
    for axis in Axis.values:
        entry = dict(axes_meta.get(axis, {"id": axis, "label": Axis(axis).label}))
        entry["themes"] = []
        for theme in sorted(
            (t for t in themes if t.axis == axis), key=lambda t: (t.display_order, t.theme_id)
        ):
            item = {
                "id": theme.theme_id,
                "axis": axis,
                "display_order": theme.display_order,
                "label": theme.label,
                "definition": theme.definition,
                "keywords": list(theme.keywords),
            }
            if theme.overlaps:
                item["overlaps"] = theme.overlaps
            item.update(theme.extra or {})
            if theme.retired:
                item["retired"] = True
            entry["themes"].append(item)
        axes.append(entry)
    # Keep the header and coding rules first, then the axes, then the rest, as in themes.yaml.
    ordered = {}
    for key in ("taxonomy", "coding_rules"):
        if key in out:
            ordered[key] = out.pop(key)
    ordered["axes"] = axes
    ordered.update(out)
    return yaml.dump(ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)
