"""Measure text extraction speed (pages per second) on generated text-layer PDFs and a DOCX.

Run: PYTHONPATH=src /work/main/.venv/bin/python bench/extract_speed.py

The issue asks for at least 200 pages/s end to end into the database; this measures the
extraction part alone (sniffing, pdfium text extraction, normalisation) and section splitting.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reviewhub.documents import extract, sections, testing


def _time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    for page_count in (60, 300):
        pages = testing.make_report_pages(page_count)
        pdf = testing.make_text_pdf(pages)
        chars = sum(len(p) for p in pages)
        seconds = _time(lambda pdf=pdf: extract.extract(pdf), repeats=5)
        doc = extract.extract(pdf)
        split = _time(lambda doc=doc: sections.split_sections(doc.pages), repeats=5)
        print(
            f"PDF {page_count} pages ({len(pdf) / 1024:.0f} KB, {chars / page_count:.0f} chars/page): "
            f"extract {seconds * 1000:.0f} ms = {page_count / seconds:.0f} pages/s; "
            f"+ sections {split * 1000:.0f} ms = {page_count / (seconds + split):.0f} pages/s "
            "(target >= 200 pages/s end to end)"
        )
    docx_pages = [[("heading", f"Section {i}"), ("text", p)] for i, p in enumerate(pages[:60])]
    docx = testing.make_docx(docx_pages)
    seconds = _time(lambda: extract.extract(docx), repeats=3)
    print(
        f"DOCX 60 pages ({len(docx) / 1024:.0f} KB): extract {seconds * 1000:.0f} ms "
        f"= {60 / seconds:.0f} pages/s"
    )


if __name__ == "__main__":
    main()
