"""Time ``audit_event_record`` with its hash chain against the same insert without the chain.

    PYTHONPATH=src python bench/audit_write_speed.py [--database-url URL] [--n 2000]
        [--one-transaction]

Uses a fresh database (a temporary SQLite file, or the empty PostgreSQL database named by
``--database-url``), migrated first. Calls are timed in alternating blocks of 100, chained
(``audit_event_record``: lock, read the newest hash, hash, insert) and unchained (what it did
before the chain: the same membership lookup and insert, no lock, no hash), so a busy machine
slows both alike; prints the total and median per call of each. Each call commits on its own, as
a view's read audit does, unless ``--one-transaction`` (which leaves the commit's fsync out and
shows the CPU and round-trip cost).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BLOCK = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--n", type=int, default=2000, help="calls of each kind")
    parser.add_argument("--one-transaction", action="store_true")
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
    from django.utils import timezone

    from reviewhub.accounts.models import User
    from reviewhub.audit.choices import AuditAction
    from reviewhub.audit.models import AuditEvent
    from reviewhub.audit.services import audit_event_record

    user = User.objects.create_user(username="bench-auditor", password="x" * 20)

    def chained(i):
        audit_event_record(
            action=AuditAction.VIEW, object_type="cases.case", object_id=str(i), user=user
        )

    def unchained(i):
        memberships = list(user.memberships.select_related("agency"))
        AuditEvent.objects.create(
            at=timezone.now(),
            user_id=user.pk,
            username=user.username,
            user_display=str(user),
            roles=",".join(sorted({m.role for m in memberships})),
            action=AuditAction.VIEW,
            object_type="cases.case",
            object_id=str(i),
        )

    chained(-1)
    unchained(-1)
    times = {"chained": [], "unchained": []}
    with transaction.atomic() if args.one_transaction else nullcontext():
        for block in range(args.n // BLOCK):
            for name, fn in (("chained", chained), ("unchained", unchained))[:: (-1) ** block]:
                start = time.perf_counter()
                for i in range(BLOCK):
                    fn(block * BLOCK + i)
                times[name].append((time.perf_counter() - start) / BLOCK)
    mode = "in one transaction" if args.one_transaction else "each committed"
    for name, per_call in times.items():
        print(
            f"{connection.vendor}, {mode}: {len(per_call) * BLOCK} {name} calls in "
            f"{sum(per_call) * BLOCK:.2f} s; median {statistics.median(per_call) * 1000:.3f} ms "
            "per call"
        )
    extra = statistics.median(
        a - b for a, b in zip(times["chained"], times["unchained"], strict=True)
    )
    print(f"chain cost: median {extra * 1000:+.3f} ms per call")


if __name__ == "__main__":
    main()
