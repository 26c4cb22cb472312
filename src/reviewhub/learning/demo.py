"""Demo learning for the Northshire partnership: fictional points, most coded, a few left to code.

The points are in ``data/demo_learning.jsonl`` (with codes in ``data/demo_labels.jsonl``); they
include one point for each of the 14 themes of a local rapid-review briefing, written afresh.
Importing is idempotent (points are keyed by their ``id``), so running the demo again adds nothing.
"""

from importlib import resources

from . import jsonl, services


def load(partnership, users) -> None:
    services.taxonomy_load_default(partnership=partnership)
    data = resources.files("reviewhub.learning").joinpath("data")
    jsonl.learning_import(
        partnership=partnership,
        text=data.joinpath("demo_learning.jsonl").read_text("utf-8"),
        labels_text=data.joinpath("demo_labels.jsonl").read_text("utf-8"),
    )
