"""Quality figures for theme suggestions against reference labels (labels.jsonl format)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .engine.results import AXES

PRIMARY_KEY = {"circumstances": "primary_circumstance", "practice": "primary_practice"}


def evaluate(
    predictions: Iterable[dict[str, Any]],
    labels: Iterable[dict[str, Any]],
    axes_of: dict[str, str],
) -> dict[str, dict[str, float]]:
    """Score contract-format predictions against labels, per axis.

    Per axis: micro precision/recall/F1 of the selected themes; ``top1_primary``, the share of
    items with a primary theme on that axis whose top-ranked theme of the axis is that primary;
    ``recall_at_3``, the share of labelled themes found in the axis's top three of the ranking.
    Only items present in both inputs count.
    """
    lab = {str(x["id"]): x for x in labels}
    out: dict[str, dict[str, float]] = {}
    preds = [p for p in predictions if str(p["id"]) in lab]
    for a in AXES:
        tp = npred = ngold = 0
        top1_hits = top1_n = 0
        r3_hits = r3_n = 0
        for p in preds:
            g = lab[str(p["id"])]
            gold = set(g.get(a) or ())
            sel = set(p.get(a) or ())
            tp += len(sel & gold)
            npred += len(sel)
            ngold += len(gold)
            ranked = [t for t, _ in p.get("ranking") or () if axes_of.get(t) == a]
            prim = g.get(PRIMARY_KEY[a])
            if prim:
                top1_n += 1
                top1_hits += bool(ranked) and ranked[0] == prim
            if gold:
                r3_n += len(gold)
                r3_hits += len(gold & set(ranked[:3]))
        prec = tp / npred if npred else 0.0
        rec = tp / ngold if ngold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[a] = {
            "precision": prec,
            "recall": rec,
            "f1": f1,
            "top1_primary": top1_hits / top1_n if top1_n else 0.0,
            "recall_at_3": r3_hits / r3_n if r3_n else 0.0,
            "items": float(len(preds)),
        }
    out["mean"] = {
        k: (out["circumstances"][k] + out["practice"][k]) / 2
        for k in ("precision", "recall", "f1", "top1_primary", "recall_at_3")
    }
    return out


def format_table(figures: dict[str, dict[str, float]], title: str = "") -> str:
    cols = ("precision", "recall", "f1", "top1_primary", "recall_at_3")
    lines = [title] if title else []
    lines.append(f"{'axis':<14}" + "".join(f"{c:>14}" for c in cols))
    for a in ("circumstances", "practice", "mean"):
        if a in figures:
            lines.append(f"{a:<14}" + "".join(f"{figures[a].get(c, 0.0):>14.3f}" for c in cols))
    return "\n".join(lines)
