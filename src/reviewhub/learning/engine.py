"""The suggestion engine seen from the learning app.

``get_engine(partnership)`` returns something with ``suggest(heading, learned, action)`` giving, per
axis, the themes ranked best first with a score, whether the engine would select the theme, and the
reason in words. It is the theme engine (``reviewhub.themes``) with the partnership's latest
model, through ``ThemeEngineAdapter``; the keyword engine over the live taxonomy stands in only
while no model covers the taxonomy.
Suggestions are stored as codes with source "suggested" and never count as confirmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from .choices import AXIS_LIMITS, Axis


@dataclass(frozen=True)
class ThemeSuggestion:
    theme_id: str
    score: float
    selected: bool
    reason: str


class SuggestionEngine(Protocol):
    def suggest(
        self, heading: str, learned: str, action: str
    ) -> dict[str, list[ThemeSuggestion]]: ...


# How many ranked themes per axis the coding screen shows (selected ones and near misses).
SHOWN_PER_AXIS = 5


class KeywordEngine:
    """Rank themes by how many of their keywords occur in the point (heading counts double)."""

    def __init__(self, themes):
        # themes: objects with theme_id, axis, keywords, retired
        self.themes = [t for t in themes if not t.retired]
        self._patterns = {
            t.theme_id: [
                (k, re.compile(r"\b" + re.escape(k.lower()) + r"\b")) for k in t.keywords if k
            ]
            for t in self.themes
        }

    def suggest(self, heading: str, learned: str, action: str) -> dict[str, list[ThemeSuggestion]]:
        head = (heading or "").lower()
        body = f"{learned or ''}\n{action or ''}".lower()
        result: dict[str, list[ThemeSuggestion]] = {}
        for axis in Axis.values:
            ranked = []
            for theme in self.themes:
                if theme.axis != axis:
                    continue
                matched = []
                hits = 0.0
                for word, pattern in self._patterns[theme.theme_id]:
                    in_head = bool(pattern.search(head))
                    count = len(pattern.findall(body))
                    if in_head or count:
                        matched.append(word)
                        hits += 2.0 * in_head + min(count, 3)
                if hits:
                    score = round(hits / (hits + 2.0), 3)
                    reason = "Matched words: " + ", ".join(f"“{w}”" for w in matched[:6])
                    ranked.append((score, theme.theme_id, reason))
            ranked.sort(key=lambda r: (-r[0], r[1]))
            most = AXIS_LIMITS[axis][1]
            result[axis] = [
                ThemeSuggestion(theme_id, score, selected=i < most and score >= 0.5, reason=reason)
                for i, (score, theme_id, reason) in enumerate(ranked[:SHOWN_PER_AXIS])
            ]
        return result


class ThemeEngineAdapter:
    """Present the theme engine (``reviewhub.themes.engine``) through this module's protocol.

    The engine's ``suggest({"heading", "learned", "action"})`` answers with, per axis, ``selected``
    ids and a full ``ranking`` [(id, score)] best first, and ``reasons[id]`` with ``keywords``,
    ``words`` and ``nearest`` examples. Only the top ``SHOWN_PER_AXIS`` (and every selected theme)
    are kept, as the coding screen shows no more.
    """

    def __init__(self, engine):
        self.engine = engine

    def suggest(self, heading: str, learned: str, action: str) -> dict[str, list[ThemeSuggestion]]:
        answer = self.engine.suggest({"heading": heading, "learned": learned, "action": action})
        reasons = getattr(answer, "reasons", {}) or {}
        result: dict[str, list[ThemeSuggestion]] = {}
        for axis in Axis.values:
            part = answer.axis(axis)
            selected = set(part.selected)
            rows = []
            for position, (theme_id, score) in enumerate(part.ranking):
                if position >= SHOWN_PER_AXIS and theme_id not in selected:
                    continue
                if score <= 0 and theme_id not in selected:
                    continue
                rows.append(
                    ThemeSuggestion(
                        theme_id,
                        round(float(score), 3),
                        theme_id in selected,
                        describe_reason(reasons.get(theme_id)),
                    )
                )
            result[axis] = rows
        return result


def describe_reason(reason) -> str:
    """Say in words why the engine scored a theme (matched words, nearest coded examples)."""
    if reason is None:
        return ""
    parts = []
    words = list(dict.fromkeys([*getattr(reason, "keywords", []), *getattr(reason, "words", [])]))
    if words:
        parts.append("Matched words: " + ", ".join(f"“{w}”" for w in words[:6]))
    nearest = getattr(reason, "nearest", []) or []
    if nearest:
        first = nearest[0]
        text = str(first.get("text", ""))[:120]
        similarity = first.get("similarity")
        similar = f" ({float(similarity):.2f})" if isinstance(similarity, int | float) else ""
        parts.append(f"Nearest coded example{similar}: “{text}”")
    return ". ".join(parts)[:500]


def get_engine(partnership) -> SuggestionEngine:
    """The engine for a partnership: the theme engine with its latest model.

    Falls back to the keyword engine over the live taxonomy when no model covers it yet (a theme
    added since the last training: every taxonomy change queues a retraining, and one is queued
    here too once enough points have been coded since the last).
    """
    from reviewhub.themes.selectors import engine_for
    from reviewhub.themes.services import model_retrain_if_due

    from .models import Theme

    engine = engine_for(partnership)
    if engine is not None:
        return ThemeEngineAdapter(engine)
    model_retrain_if_due(partnership=partnership)
    themes = list(Theme.objects.filter(taxonomy__partnership=partnership, retired=False))
    return KeywordEngine(themes)
