"""Time ``audit_event_record``: N calls, each its own transaction, as a view's read audit is.

    PYTHONPATH=src python bench/audit_write_speed.py [--database-url URL] [--n 2000]
        [--one-transaction]

Uses a fresh database (a temporary SQLite file, or the empty PostgreSQL database named by
``--database-url``), migrated first. Prints the total and the time per call; a hash-chained
write adds one indexed lookup of the newest event (and, on PostgreSQL, an advisory lock).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument(
        "--one-transaction",
        action="store_true",
        help="all calls in one transaction: leaves out the commit (fsync), shows the CPU cost",
    )
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="rh-auditbench-"))
    os.environ.update({"DEBUG": "1", "REVIEWHUB_DATA_DIR": str(data_dir)})
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    subprocess.run(
        [sys.executable, "-m", "reviewhub", "migrate", "-v0"], check=True, env=os.environ
    )
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reviewhub.settings")
    django.setup()
    from contextlib import nullcontext

    from django.db import connection, transaction

    from reviewhub.accounts.models import User
    from reviewhub.audit.choices import AuditAction
    from reviewhub.audit.services import audit_event_record

    user = User.objects.create_user(username="bench-auditor", password="x" * 20)
    audit_event_record(action=AuditAction.VIEW, object_type="bench.warmup", user=user)
    start = time.perf_counter()
    with transaction.atomic() if args.one_transaction else nullcontext():
        for i in range(args.n):
            audit_event_record(
                action=AuditAction.VIEW, object_type="cases.case", object_id=str(i), user=user
            )
    elapsed = time.perf_counter() - start
    mode = "in one transaction" if args.one_transaction else "each committed"
    print(
        f"{connection.vendor}: {args.n} audit_event_record calls {mode} in {elapsed:.2f} s "
        f"({elapsed / args.n * 1000:.3f} ms per call)"
    )


if __name__ == "__main__":
    main()
