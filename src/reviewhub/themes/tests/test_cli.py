import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reviewhub.themes.cli import main

ITEMS = [
    {"id": "a", "heading": "Safe sleep", "learned": "The baby died co-sleeping on a sofa.",
     "action": "Give safer sleep advice at every visit.", "publisher": "ignored"},
    {"id": 7, "learned": "Agencies did not share what they knew about domestic abuse by the father."},
    {"id": "c", "heading": "", "learned": "Staff caseloads were too high for supervision.",
     "action": ""},
]  # fmt: skip


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_suggest_writes_one_contract_line_per_input(tmp_path, capsys, taxonomy):
    src = _write(tmp_path / "in.jsonl", [json.dumps(i) for i in ITEMS])
    dst = tmp_path / "out.jsonl"
    code, _, _ = _run(["suggest", "--in", str(src), "--out", str(dst)], capsys)
    assert code == 0
    lines = [json.loads(x) for x in dst.read_text().splitlines()]
    assert [x["id"] for x in lines] == ["a", 7, "c"]
    circ = {t.id for t in taxonomy.active("circumstances")}
    prac = {t.id for t in taxonomy.active("practice")}
    for x in lines:
        assert set(x) == {"id", "circumstances", "practice", "ranking"}
        assert set(x["circumstances"]) <= circ and len(x["circumstances"]) <= 3
        assert set(x["practice"]) <= prac and 1 <= len(x["practice"]) <= 3
        assert {t for t, _ in x["ranking"]} == circ | prac
        scores = [s for _, s in x["ranking"]]
        assert scores == sorted(scores, reverse=True)
    assert lines[0]["circumstances"][0] == "sudi-unsafe-sleep"


def test_suggest_reads_stdin_and_writes_stdout(tmp_path, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(ITEMS[1]) + "\n"))
    code, out, _ = _run(["suggest", "--in", "-", "--out", "-", "--engine", "keywords"], capsys)
    assert code == 0 and json.loads(out)["id"] == 7


@pytest.mark.parametrize(
    "bad, message",
    [
        ("{not json", "line 2: not valid JSON"),
        ('{"id": "x"}', "line 2: 'learned' must be a string"),
        ('{"id": "x", "learned": 5}', "line 2: 'learned' must be a string"),
        ('{"learned": "text"}', "line 2: missing 'id'"),
        ('{"id": {"a": 1}, "learned": "text"}', "line 2: missing 'id'"),
        ('["id", "learned"]', "line 2: expected a JSON object"),
        ('{"id": "x", "learned": "  "}', "line 2: 'learned' is empty"),
        ('{"id": "x", "learned": "t", "heading": 3}', "line 2: 'heading' must be a string"),
    ],
)
def test_malformed_line_is_named_and_nothing_is_written(tmp_path, capsys, bad, message):
    src = _write(tmp_path / "in.jsonl", [json.dumps(ITEMS[0]), bad])
    dst = tmp_path / "out.jsonl"
    code, _, err = _run(["suggest", "--in", str(src), "--out", str(dst)], capsys)
    assert code == 2
    assert message in err
    assert not dst.exists()


def test_empty_input_gives_empty_output_and_success(tmp_path, capsys):
    src = _write(tmp_path / "in.jsonl", ["", "   "])
    dst = tmp_path / "out.jsonl"
    code, _, err = _run(["suggest", "--in", str(src), "--out", str(dst)], capsys)
    assert code == 0 and dst.read_text() == "" and "no learning points" in err


def test_missing_input_file_is_a_clear_error(tmp_path, capsys):
    code, _, err = _run(["suggest", "--in", str(tmp_path / "nope"), "--out", "-"], capsys)
    assert code == 2 and "cannot read" in err


def test_thorough_runs_the_sentence_model_on_every_point(tmp_path, capsys):
    """By default a batch scores the points the quick signals are sure of without the sentence
    model (the cascade); --thorough scores every point as the coding screen does."""
    from reviewhub.themes.engine import Engine, item_text

    engine = Engine.load()
    unsure = engine._plan([item_text(i) for i in ITEMS])[2]
    assert len(unsure) < len(ITEMS)  # the cascade skips the model for some of these points
    src = _write(tmp_path / "in.jsonl", [json.dumps(i) for i in ITEMS])
    outs = {}
    for flag in ([], ["--thorough"]):
        code, out, _ = _run(["suggest", "--in", str(src), "--out", "-", *flag], capsys)
        assert code == 0
        outs[tuple(flag)] = [json.loads(x) for x in out.splitlines()]
    full = Engine.load(cascade=False).suggest_many(ITEMS, reasons=False)
    assert outs[("--thorough",)] == [
        json.loads(json.dumps(s.to_contract(i["id"]))) for s, i in zip(full, ITEMS, strict=True)
    ]
    for n in range(len(ITEMS)):  # the same where the cascade ran the model, not elsewhere
        same = outs[()][n]["ranking"] == outs[("--thorough",)][n]["ranking"]
        assert same == (n in unsure)


def test_fast_and_thorough_together_are_refused(tmp_path, capsys):
    src = _write(tmp_path / "in.jsonl", [json.dumps(ITEMS[0])])
    with pytest.raises(SystemExit) as stop:
        main(["suggest", "--in", str(src), "--out", "-", "--fast", "--thorough"])
    assert stop.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_evaluate_prints_per_axis_figures(tmp_path, capsys):
    src = _write(tmp_path / "in.jsonl", [json.dumps(i) for i in ITEMS])
    labels = [
        {"id": "a", "circumstances": ["sudi-unsafe-sleep"], "practice": ["early-help-and-prevention"],
         "primary_circumstance": "sudi-unsafe-sleep", "primary_practice": "early-help-and-prevention"},
        {"id": 7, "circumstances": ["domestic-abuse"], "practice": ["information-sharing"],
         "primary_circumstance": "domestic-abuse", "primary_practice": "information-sharing"},
    ]  # fmt: skip
    lab = _write(tmp_path / "labels.jsonl", [json.dumps(x) for x in labels])
    code, out, _ = _run(["evaluate", "--in", str(src), "--labels", str(lab), "--json"], capsys)
    assert code == 0
    assert "2 items" in out
    for word in ("circumstances", "practice", "precision", "recall", "f1", "recall_at_3"):
        assert word in out
    figures = json.loads(out[out.index("{") :])
    assert figures["circumstances"]["top1_primary"] == 1.0


def test_no_socket_is_opened_while_loading_and_suggesting(tmp_path):
    """Run the real command in a fresh interpreter whose audit hook fails on any socket use."""
    src = _write(tmp_path / "in.jsonl", [json.dumps(i) for i in ITEMS])
    dst = tmp_path / "out.jsonl"
    script = textwrap.dedent(
        f"""
        import sys, os
        def hook(event, args):
            if event.startswith("socket.") or event == "urllib.Request":
                os.write(2, ("NETWORK: " + event + "\\n").encode())
                os._exit(97)
        sys.addaudithook(hook)
        from reviewhub.themes.cli import main
        sys.exit(main(["suggest", "--in", {str(src)!r}, "--out", {str(dst)!r}]))
        """
    )
    env = {**__import__("os").environ, "PYTHONPATH": str(Path(__file__).parents[3])}
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(dst.read_text().splitlines()) == 3
