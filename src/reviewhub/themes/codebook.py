"""Read the packaged codebook: example statements per theme, example learning points, phrases.

Two kinds of example, both written for ReviewHub (not quoted from any review):

- ``themes``: short statements that each illustrate one theme;
- ``points``: learning points shaped like published learning, coded on both axes the way an
  analyst would (1-3 practice themes, 0-3 circumstances, primary first). Real learning touches
  several practice themes at once, which one-theme statements cannot show. The engine learns the
  practice axis from them (see ``engine.model._rows`` for why not the circumstances); the
  circumstance codes are kept so that the points are complete coded examples.

and a lexicon, also written for ReviewHub from the taxonomy alone:

- ``phrases``: per practice theme, the phrases report writers use for it beyond the taxonomy's
  few keywords ("strategy meeting", "ICPC", "step down" for child protection processes). They
  lifted leave-one-publisher-out practice recall@3 from 0.71 to 0.74 through ``themes suggest``
  and from 0.73 to 0.74 with the sentence model on every item (``bench/themes_quality.py``);
  a trained state keeps a copy (``ModelState.lexicon``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class CodedPoint:
    """An example learning point with its codes on both axes (primary first)."""

    text: str
    circumstances: tuple[str, ...]
    practice: tuple[str, ...]


@lru_cache(maxsize=1)
def _data() -> dict:
    text = resources.files("reviewhub.themes").joinpath("data/codebook.yaml").read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: faster
    return yaml.load(text, Loader=loader) or {}  # noqa: S506 - a safe loader  # nosec B506


def load_codebook() -> dict[str, tuple[str, ...]]:
    """Return {theme id: example statements} from ``reviewhub/themes/data/codebook.yaml``."""
    themes = _data().get("themes") or {}
    return {str(k): tuple(str(s) for s in v or ()) for k, v in themes.items()}


def load_codebook_phrases() -> dict[str, tuple[str, ...]]:
    """Return {theme id: phrases} from the codebook's ``phrases`` lexicon.

    The phrases report writers use for each theme, beyond the taxonomy's few keywords; the
    engine counts them as a lexical signal of its own (``engine.model``, feature ``lex``).
    """
    phrases = _data().get("phrases") or {}
    return {str(k): tuple(str(s) for s in v or ()) for k, v in phrases.items()}


def load_codebook_points() -> tuple[CodedPoint, ...]:
    """Return the codebook's example learning points, coded on both axes."""
    return tuple(
        CodedPoint(
            str(p["text"]),
            tuple(str(t) for t in p.get("circumstances") or ()),
            tuple(str(t) for t in p.get("practice") or ()),
        )
        for p in _data().get("points") or ()
    )
