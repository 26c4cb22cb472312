"""Document import speed, end to end into the database (issue: >= 200 pages/s of text-layer PDF).

    python bench/import_speed.py [--reports 10] [--pages 60] [--database-url URL]

Generates text-layer PDFs (fictional report text), then imports them through the same service as
`reviewhub import` (type check, extraction page by page, section splitting, proposed learning,
file storage, rows and audit event) into a fresh database, and prints pages per second.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="reviewhub-import-"))
    os.environ.update({"DEBUG": "1", "REVIEWHUB_DATA_DIR": str(data_dir)})
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(ROOT / "src"))
    subprocess.run(
        [sys.executable, "-m", "reviewhub", "migrate", "-v0"], check=True, env=os.environ
    )
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reviewhub.settings")
    django.setup()
    from reviewhub.accounts.models import Partnership
    from reviewhub.documents.services import document_import
    from reviewhub.documents.testing import make_report_pages, make_text_pdf

    partnership = Partnership.objects.create(name="Bench partnership", slug="bench")
    pdfs = []
    for n in range(args.reports):
        pages = make_report_pages(args.pages)
        pages[0] = f"Report {n}\n" + pages[0]
        pdfs.append(make_text_pdf(pages))
    started = time.perf_counter()
    cpu = time.process_time()
    total = 0
    for n, data in enumerate(pdfs):
        result = document_import(partnership=partnership, name=f"report-{n}.pdf", data=data)
        total += result.document.page_count
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    print(f"database: {'PostgreSQL' if args.database_url else 'SQLite (WAL, synchronous=FULL)'}")
    print(f"imported {args.reports} PDFs, {total} pages in {wall:.2f} s wall ({cpu:.2f} s CPU)")
    print(
        f"pages per second: {total / wall:.0f} wall, {total / cpu:.0f} per CPU-second (target >= 200)"
    )


if __name__ == "__main__":
    main()
