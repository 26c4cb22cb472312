"""Agreement between two coders: Cohen's kappa per theme and overall, and F1 of one against the other.

Pure functions over plain data so the figures can be checked by hand. Each coder's coding is a
mapping item -> set of theme ids; every theme is a present/absent decision on every item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """A 2x2 table: both present, only A, only B, both absent."""

    both: int
    a_only: int
    b_only: int
    neither: int

    @property
    def n(self) -> int:
        return self.both + self.a_only + self.b_only + self.neither


def kappa(table: Table) -> float | None:
    """Cohen's kappa for a 2x2 table; None when chance agreement is total (kappa undefined)."""
    n = table.n
    if n == 0:
        return None
    observed = (table.both + table.neither) / n
    a_yes = (table.both + table.a_only) / n
    b_yes = (table.both + table.b_only) / n
    expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class Agreement:
    per_theme: dict[str, tuple[Table, float | None]]
    pooled_kappa: float | None  # kappa of the summed table over all themes and items
    mean_kappa: float | None  # mean of the defined per-theme kappas
    f1: float | None  # micro F1 of coder B against coder A as reference (symmetric)
    items_agreed: int
    items: int


def agreement(
    items: Iterable, coder_a: Mapping, coder_b: Mapping, themes: Iterable[str]
) -> Agreement:
    """Compare two codings of the same items on the given themes."""
    items = list(items)
    themes = list(themes)
    per_theme = {}
    totals = [0, 0, 0, 0]
    for theme in themes:
        cells = [0, 0, 0, 0]
        for item in items:
            in_a = theme in coder_a.get(item, set())
            in_b = theme in coder_b.get(item, set())
            index = 0 if in_a and in_b else 1 if in_a else 2 if in_b else 3
            cells[index] += 1
        table = Table(*cells)
        per_theme[theme] = (table, kappa(table))
        totals = [t + c for t, c in zip(totals, cells, strict=True)]
    pooled = Table(*totals)
    defined = [k for _, k in per_theme.values() if k is not None]
    tp, fn, fp = pooled.both, pooled.a_only, pooled.b_only
    f1 = (2 * tp / (2 * tp + fp + fn)) if (tp + fp + fn) else None
    agreed = sum(
        1 for item in items if set(coder_a.get(item, set())) == set(coder_b.get(item, set()))
    )
    return Agreement(
        per_theme=per_theme,
        pooled_kappa=kappa(pooled),
        mean_kappa=(sum(defined) / len(defined)) if defined else None,
        f1=f1,
        items_agreed=agreed,
        items=len(items),
    )
