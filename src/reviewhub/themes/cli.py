"""``reviewhub themes suggest|evaluate``: theme suggestions for JSON Lines files, offline.

Input lines are ``{"id": ..., "heading": ..., "learned": ..., "action": ...}``; ``heading`` and
``action`` may be absent or empty and unknown fields are ignored. A malformed line stops the
run with an error naming its line number (exit status 2) before anything is written. An empty
input (no lines, or only blank lines) is valid: ``suggest`` writes an empty output and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

BATCH = 256


class InputError(ValueError):
    """A problem with an input file, reported to the user with the line number."""


def _open_in(path: str) -> TextIO:
    if path == "-":
        return sys.stdin
    try:
        return open(path, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def read_items(path: str) -> list[dict[str, Any]]:
    """Read and validate learning points; raise InputError naming the first bad line."""
    items = []
    fh = _open_in(path)
    try:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: line {n}: not valid JSON ({exc.msg})") from exc
            if not isinstance(obj, dict):
                raise InputError(f"{path}: line {n}: expected a JSON object")
            if "id" not in obj or obj["id"] is None or isinstance(obj["id"], (dict, list, bool)):
                raise InputError(f"{path}: line {n}: missing 'id' (a string or number)")
            learned = obj.get("learned")
            if not isinstance(learned, str):
                raise InputError(f"{path}: line {n}: 'learned' must be a string")
            for opt in ("heading", "action"):
                if obj.get(opt) is not None and not isinstance(obj[opt], str):
                    raise InputError(f"{path}: line {n}: '{opt}' must be a string when given")
            if not (learned.strip() or (obj.get("heading") or "").strip()):
                raise InputError(f"{path}: line {n}: 'learned' is empty")
            items.append(obj)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    finally:
        if fh is not sys.stdin:
            fh.close()
    return items


def _read_labels(path: str) -> list[dict[str, Any]]:
    out = []
    with _open_in(path) as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: line {n}: not valid JSON ({exc.msg})") from exc
            if not isinstance(obj, dict) or "id" not in obj:
                raise InputError(f"{path}: line {n}: expected an object with 'id'")
            for a in ("circumstances", "practice"):
                if not isinstance(obj.get(a, []), list):
                    raise InputError(f"{path}: line {n}: '{a}' must be a list of theme ids")
            out.append(obj)
    return out


def _engine(name: str, model: str | None, fast: bool = False, thorough: bool = False):
    from .engine import Engine, KeywordRanker, ModelState

    if name == "keywords":
        return KeywordRanker.load()
    state = None
    if model:
        with open(model, "rb") as fh:
            state = ModelState.from_bytes(fh.read())
    return Engine.load(model_state=state, lexical=fast, cascade=not thorough)


def _suggest_lines(engine, items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    stream = getattr(engine, "suggest_stream", None)
    if stream is not None:  # the model engine embeds the next chunk while this one is scored
        for item, s in zip(items, stream(items, BATCH), strict=True):
            yield s.to_contract(item["id"])
        return
    for start in range(0, len(items), BATCH):
        chunk = items[start : start + BATCH]
        for item, s in zip(chunk, engine.suggest_many(chunk, reasons=False), strict=False):
            yield s.to_contract(item["id"])


def cmd_suggest(args: argparse.Namespace) -> int:
    items = read_items(args.input)
    engine = _engine(args.engine, args.model, args.fast, args.thorough) if items else None
    lines = list(_suggest_lines(engine, items)) if engine is not None else []
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    if args.output == "-":
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. piped into `head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    else:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    if not items:
        print(f"{args.input}: no learning points; wrote an empty output", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .metrics import evaluate, format_table
    from .taxonomy import default

    items = read_items(args.input)
    labels = _read_labels(args.labels)
    if not items:
        raise InputError(f"{args.input}: no learning points to evaluate")
    engine = _engine(args.engine, args.model, args.fast, args.thorough)
    preds = list(_suggest_lines(engine, items))
    axes_of = {t.id: t.axis for t in default().themes}
    figures = evaluate(preds, labels, axes_of)
    n = int(figures["circumstances"]["items"])
    if n == 0:
        raise InputError("no input id matches a label id")
    print(format_table(figures, f"{n} items, engine {getattr(engine, 'version', args.engine)}"))
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reviewhub themes", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--in", dest="input", required=True, help="JSON Lines input ('-': stdin)")
    common.add_argument(
        "--engine",
        choices=("model", "keywords"),
        default="model",
        help="default: model",
    )
    common.add_argument("--model", help="a model state file (default: the packaged model)")
    mode = common.add_mutually_exclusive_group()
    mode.add_argument(
        "--fast",
        action="store_true",
        help="skip the sentence model (TF-IDF, keywords, prior only): much faster, less accurate",
    )
    mode.add_argument(
        "--thorough",
        action="store_true",
        help="run the sentence model on every point, also those the quick signals are sure of "
        "(as the coding screen does): about half the speed, a better top theme",
    )
    s = sub.add_parser("suggest", parents=[common], help="suggest themes for each learning point")
    s.add_argument("--out", dest="output", required=True, help="JSON Lines output ('-': stdout)")
    s.set_defaults(func=cmd_suggest)
    e = sub.add_parser("evaluate", parents=[common], help="score suggestions against labels")
    e.add_argument("--labels", required=True, help="labels JSON Lines (corpus labels format)")
    e.add_argument("--json", action="store_true", help="also print the figures as JSON")
    e.set_defaults(func=cmd_evaluate)
    return p


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
