"""Shared set-up for the search benchmarks: Django on a throw-away database, or DATABASE_URL."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    """Find shared/: REVIEWHUB_SHARED_DIR, else beside the checkout (as CI lays it out), else
    beside a folder further up (a git worktree under wt/)."""
    if os.environ.get("REVIEWHUB_SHARED_DIR"):
        return Path(os.environ["REVIEWHUB_SHARED_DIR"])
    for parent in ROOT.parents:
        if (parent / "shared" / "corpus").is_dir():
            return parent / "shared"
    return ROOT.parent / "shared"


SHARED = _shared()


def setup_django() -> str:
    """Configure Django for a benchmark run and migrate; return a name for the database used."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reviewhub.settings")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ["REVIEWHUB_TESTING"] = "1"
    if not os.environ.get("DATABASE_URL"):
        os.environ["REVIEWHUB_DATA_DIR"] = os.environ.get(
            "REVIEWHUB_BENCH_DIR"
        ) or tempfile.mkdtemp(prefix="reviewhub-bench-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            # A benchmark's throw-away file need not survive power loss.
            c.execute("PRAGMA synchronous=OFF")
    return connection.vendor


def fresh_partnership(name: str):
    """Create a partnership for this run (on PostgreSQL the database may be shared)."""
    import uuid

    from reviewhub.accounts.models import Partnership

    tag = uuid.uuid4().hex[:8]
    return Partnership.objects.create(name=f"{name} {tag}", slug=f"bench-{tag}")


def drop_partnership(p) -> None:
    from reviewhub.search.models import SearchEntry

    SearchEntry.objects.filter(partnership=p).delete()
    p.delete()
