"""Offline theme engine: rank the taxonomy's themes for a learning point and say why.

Public interface used by the coding screen and the command line::

    engine = Engine.load(taxonomy=None, model_state=None)
    suggestion = engine.suggest({"heading": ..., "learned": ..., "action": ...})
    suggestions = engine.suggest_many(items)
    state = train(taxonomy, examples)  # -> ModelState; state.to_bytes() / ModelState.from_bytes()

``KeywordRanker`` has the same interface and needs no model files (fallback and baseline).
"""

from .keywords import KeywordRanker
from .model import Engine, Example, ModelState, train
from .results import AxisSuggestion, Reason, Suggestion, item_text

__all__ = [
    "AxisSuggestion",
    "Engine",
    "Example",
    "KeywordRanker",
    "ModelState",
    "Reason",
    "Suggestion",
    "item_text",
    "train",
]
