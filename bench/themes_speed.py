"""Theme engine speed: load time, batch throughput through ``themes suggest``, single-item p95.

Run: HF_HUB_OFFLINE=1 PYTHONPATH=src /work/main/.venv/bin/python bench/themes_speed.py [N]

Inputs are the dev corpus learning points repeated to N items (default 1000), every sentence of
every copy made distinct (two neighbouring words swapped) so no sentence vector is reused, as
for a file of new learning points. The packaged model was trained on the dev corpus, which makes
its batch cascade surer of these points than of new text, so a last run scores half the
publishers' points with a model trained without them. Figures depend on the load of the (shared) machine; the load
average is printed beside them, and CPU seconds, which depend on it less.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))
CORPUS = Path(os.environ.get("REVIEWHUB_CORPUS", "/work/shared/corpus"))


# where the engine splits sentences (reviewhub.themes.engine.embed.sentences)
_SENTENCE = re.compile(r"((?<=[.!?;:])\s+|\n+|\s+[-\u2013\u2022]\s+)")


def _vary(text: str, copy: int) -> str:
    """Swap one pair of neighbouring words in every sentence, at a place that depends on the copy.

    Copies then share no sentence (the engine embeds sentence by sentence and reuses the vector
    of a repeated sentence), while their length and wording stay those of real learning points.
    """
    if not text or copy == 0:
        return text
    parts = _SENTENCE.split(text)  # sentences at even positions, the separators between them
    for i in range(0, len(parts), 2):
        w = parts[i].split(" ")
        if len(w) >= 2:
            j = (copy - 1) % (len(w) - 1)
            w[j], w[j + 1] = w[j + 1], w[j]
            if copy > len(w) - 1:  # a short sentence has run out of distinct swaps
                w.append(f"({copy})")
        parts[i] = " ".join(w)
    return "".join(parts)


def corpus() -> list[dict]:
    return [json.loads(x) for x in (CORPUS / "learning.jsonl").read_text().splitlines() if x]


def items(n: int, base: list[dict] | None = None) -> list[dict]:
    """``n`` learning points: copies of ``base`` (default: the whole dev corpus), all distinct."""
    base = base or corpus()
    out = []
    for k in range(n):
        b, c = base[k % len(base)], k // len(base)
        out.append(
            {
                "id": f"{b['id']}-{k}",
                "heading": _vary(b.get("heading") or "", c),
                "learned": _vary(b["learned"], c),
                "action": _vary(b.get("action") or "", c),
            }
        )
    return out


def held_out() -> tuple[list[dict], bytes]:
    """(half the dev corpus's publishers' points, a state trained on the codebook + the rest).

    The packaged model was trained on the whole dev corpus, so on copies of its points the
    lexical signals are surer than on new text and the batch cascade skips the sentence model
    more often than it would; this pair measures the engine as it meets new publishers.
    """
    from reviewhub.themes.engine import train
    from reviewhub.themes.engine.default import corpus_examples
    from reviewhub.themes.taxonomy import default

    pubs = sorted({i["publisher"] for i in corpus()})
    test = set(pubs[::2])
    examples = [e for e in corpus_examples(CORPUS) if e["group"] not in test]
    state = train(default(), examples)
    return [i for i in corpus() if i["publisher"] in test], state.to_bytes()


def distinct_sentences(batch: list[dict]) -> tuple[int, int]:
    """Return (distinct, all) sentence pieces as the engine splits them."""
    from reviewhub.themes.engine.embed import sentences
    from reviewhub.themes.engine.results import item_text

    pieces = [s for i in batch for s in sentences(item_text(i))]
    return len(set(pieces)), len(pieces)


def run(cmd: list[str]) -> tuple[float, float]:
    """Return (wall seconds, CPU seconds) of a child process; CPU time is less load-dependent."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 1000
    print(f"load average at start: {os.getloadavg()}")
    py = sys.executable
    # load: a fresh interpreter importing the package and loading the default engine
    load_code = (
        "import time; t=time.perf_counter(); from reviewhub.themes.engine import Engine; "
        "e=Engine.load(); print(time.perf_counter()-t)"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    loads = [
        float(subprocess.run([py, "-c", load_code], env=env, capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(3)
    ]  # fmt: skip
    print(f"engine load (fresh process, import + Engine.load): median {np.median(loads):.2f}s")
    startup, startup_cpu = run([py, "-c", "import reviewhub.themes.cli"])
    from reviewhub.themes.engine import Engine, ModelState, item_text

    new_points, new_state = held_out()
    with tempfile.TemporaryDirectory() as d:
        model = Path(d) / "held-out.model"
        model.write_bytes(new_state)
        runs = [
            ("(default)", items(n), []),
            ("--fast", items(n), ["--fast"]),
            ("--engine keywords", items(n), ["--engine", "keywords"]),
            ("(default) new text", items(n, new_points), ["--model", str(model)]),
            ("--thorough new text", items(n, new_points), ["--model", str(model), "--thorough"]),
        ]
        for label, batch, extra in runs:
            src = Path(d) / "in.jsonl"
            src.write_text("".join(json.dumps(i) + "\n" for i in batch))
            cmd = [py, "-m", "reviewhub.themes.cli", "suggest", "--in", str(src)]
            wall, cpu = run(cmd + ["--out", str(Path(d) / "out.jsonl"), *extra])
            print(
                f"themes suggest {label:<18} {n} items: {wall:.1f}s wall ({n / wall:.0f} items/s"
                f" incl. start-up), {cpu:.1f}s CPU; at 2 idle cores ~"
                f"{n / max((cpu - startup_cpu) / 2, 1e-9):.0f} items/s"
            )
            if not extra or extra == ["--model", str(model)]:
                eng = Engine.load(model_state=ModelState.from_bytes(new_state) if extra else None)
                texts = [item_text(i) for i in batch]
                unsure = len(eng._plan(texts)[2]) if getattr(eng.state, "cascade", None) else n
                print(
                    "    distinct sentences {} of {}; {} items through the sentence model".format(
                        *distinct_sentences(batch), unsure
                    )
                )
    print(
        "  (default: copies of the dev corpus, which the packaged model was trained on; new text:"
        " copies of half its publishers' points, model trained on the codebook + the other half)"
    )
    # single suggestions, as the coding screen makes them
    eng = Engine.load()
    eng.suggest("warm up")
    times = []
    for it in items(200):
        t = time.perf_counter()
        eng.suggest(it)
        times.append((time.perf_counter() - t) * 1000)
    print(
        f"single suggestion with reasons (200 items): median {np.median(times):.0f} ms, "
        f"p95 {np.percentile(times, 95):.0f} ms, max {max(times):.0f} ms"
    )
    print(f"load average at end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
