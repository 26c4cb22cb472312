"""Result types shared by the theme engines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

AXES = ("circumstances", "practice")


def item_text(item: Any) -> str:
    """Join heading, learned and action of a learning point (or accept a plain string)."""
    if isinstance(item, str):
        return item.strip()
    if isinstance(item, dict):
        parts = [item.get("heading"), item.get("learned"), item.get("action")]
        if not any(isinstance(p, str) and p.strip() for p in parts) and item.get("text"):
            parts = [item.get("text")]
        parts = [p.strip() for p in parts if isinstance(p, str) and p.strip()]
        # end each part as a sentence so the join reads like the original text
        return " ".join(p if p[-1] in ".!?;:" else p + "." for p in parts[:-1]) + (
            (" " if len(parts) > 1 else "") + parts[-1] if parts else ""
        )
    raise TypeError(f"expected a string or a dict with 'learned', got {type(item).__name__}")


@dataclass
class Reason:
    """Why a theme was scored as it was: words found in the text and the closest coded examples."""

    theme: str
    # taxonomy keywords and codebook lexicon phrases found in the text
    keywords: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # text words that pushed the score up most
    nearest: list[dict[str, Any]] = field(default_factory=list)  # {text, similarity, source}

    def to_dict(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "keywords": list(self.keywords),
            "words": list(self.words),
            "nearest": [dict(n) for n in self.nearest],
        }


@dataclass
class AxisSuggestion:
    selected: list[str]
    ranking: list[tuple[str, float]]  # every active theme of the axis, best first

    @property
    def primary(self) -> str | None:
        return self.selected[0] if self.selected else None


@dataclass
class Suggestion:
    circumstances: AxisSuggestion
    practice: AxisSuggestion
    reasons: dict[str, Reason]
    model_version: str

    def axis(self, name: str) -> AxisSuggestion:
        return self.circumstances if name == "circumstances" else self.practice

    def to_contract(self, item_id: Any = None) -> dict[str, Any]:
        """Return the ``themes suggest`` output line: selections and the full ranking."""
        ranking = sorted(
            self.circumstances.ranking + self.practice.ranking,
            key=lambda p: (-p[1], p[0]),
        )
        return {
            "id": item_id,
            "circumstances": list(self.circumstances.selected),
            "practice": list(self.practice.selected),
            "ranking": [[t, round(float(s), 4)] for t, s in ranking],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "model_version": self.model_version,
            **{
                ax: {
                    "selected": list(self.axis(ax).selected),
                    "ranking": [[t, round(float(s), 4)] for t, s in self.axis(ax).ranking],
                }
                for ax in AXES
            },
            "reasons": {k: r.to_dict() for k, r in self.reasons.items()},
        }
