"""Time building a 14-theme briefing and rendering it to HTML, PDF, DOCX and Markdown.

Target (issue): build and render to all four formats in under 2 seconds on this machine.
"total" is build + the four renders; importing the DOCX and PDF again is timed on its own.
Prints the median of several warm runs per step, and the first (cold) run separately, since
the first WeasyPrint render also pays for importing it and loading fonts.

    PYTHONPATH=src python bench/briefing_render.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import struct
import sys
import time
import zlib
from pathlib import Path

from reviewhub.briefings.document import (
    parse_bytes,
    parse_text,
    render_docx,
    render_html,
    render_markdown,
    render_pdf,
)

REFERENCE = (
    Path(__file__).resolve().parents[1]
    / "src/reviewhub/briefings/tests/data/reference-briefing.txt"
)


def _logo() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + b"\x00\x5e\xa5" * 120
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 120, 40, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * 40))
        + chunk(b"IEND", b"")
    )


def one_run(text: str, logo: bytes, clock=time.perf_counter) -> dict[str, float]:
    timings: dict[str, float] = {}
    start = clock()
    doc = parse_text(text)
    doc.partnership_name = "Telford and Wrekin Safeguarding Partnership"
    doc.logo = logo
    timings["build"] = clock() - start
    assert len(doc.themes) == 14
    outputs = {}
    for name, render in (
        ("html", render_html),
        ("pdf", render_pdf),
        ("docx", render_docx),
        ("markdown", render_markdown),
    ):
        start = clock()
        outputs[name] = render(doc)
        timings[name] = clock() - start
    timings["total"] = sum(timings.values())
    # Import of the generated files, reported apart from the render target.
    for name in ("docx", "pdf"):
        start = clock()
        again = parse_bytes(outputs[name])
        timings[f"import {name}"] = clock() - start
        assert again.content_dict() == doc.content_dict()
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    text = REFERENCE.read_text(encoding="utf-8")
    logo = _logo()

    cold = one_run(text, logo)
    warm = [one_run(text, logo) for _ in range(args.runs)]
    # CPU time too: on a shared machine wall time includes waiting for other processes.
    cpu = [one_run(text, logo, clock=time.process_time) for _ in range(args.runs)]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"briefing render benchmark: 14 themes, {args.runs} warm runs (median), 1 cold run; "
        f"{os.cpu_count()} CPUs, load average {load:.1f}"
    )
    print(f"{'step':<12}{'wall s':>10}{'cpu s':>10}{'cold s':>10}")
    for key in cold:
        median = statistics.median(run[key] for run in warm)
        cpu_median = statistics.median(run[key] for run in cpu)
        print(f"{key:<12}{median:>10.3f}{cpu_median:>10.3f}{cold[key]:>10.3f}")
    total = statistics.median(run["total"] for run in warm)
    verdict = "meets" if total < 2.0 else "MISSES"
    print(f"target: total under 2.0 s -> {verdict} ({total:.3f} s median wall)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
