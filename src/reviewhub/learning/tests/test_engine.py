"""The engine protocol: the theme engine's answers become ThemeSuggestion rows with reasons."""

from dataclasses import dataclass, field

from reviewhub.learning.engine import ThemeEngineAdapter, describe_reason


@dataclass
class _Reason:
    theme: str
    keywords: list = field(default_factory=list)
    words: list = field(default_factory=list)
    nearest: list = field(default_factory=list)


@dataclass
class _Axis:
    selected: list
    ranking: list


@dataclass
class _Answer:
    circumstances: _Axis
    practice: _Axis
    reasons: dict

    def axis(self, name):
        return self.circumstances if name == "circumstances" else self.practice


class _Engine:
    """Answers in the shape of reviewhub.themes.engine.Suggestion."""

    def __init__(self):
        self.seen = None

    def suggest(self, item):
        self.seen = item
        return _Answer(
            _Axis(["neglect"], [("neglect", 0.91), ("physical-abuse", 0.2), ("sudi", 0.0)]),
            _Axis(
                ["information-sharing"],
                [(f"t{i}", 0.5 - i / 100) for i in range(6)] + [("information-sharing", 0.3)],
            ),
            {
                "neglect": _Reason(
                    "neglect",
                    keywords=["neglect"],
                    words=["hunger", "neglect"],
                    nearest=[{"text": "Chronic neglect of three siblings", "similarity": 0.82}],
                )
            },
        )


def test_adapter_keeps_the_top_of_the_ranking_and_every_selected_theme():
    engine = _Engine()
    answer = ThemeEngineAdapter(engine).suggest("H", "L", "A")
    assert engine.seen == {"heading": "H", "learned": "L", "action": "A"}
    assert [(s.theme_id, s.selected) for s in answer["circumstances"]] == [
        ("neglect", True),
        ("physical-abuse", False),
    ]
    practice = [s.theme_id for s in answer["practice"]]
    assert practice == ["t0", "t1", "t2", "t3", "t4", "information-sharing"]
    assert answer["circumstances"][0].reason == (
        "Matched words: “neglect”, “hunger”. "
        "Nearest coded example (0.82): “Chronic neglect of three siblings”"
    )


def test_reason_is_empty_when_the_engine_gives_none():
    assert describe_reason(None) == ""
    assert describe_reason(_Reason("x")) == ""
