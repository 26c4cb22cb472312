"""Kill a migration with SIGKILL again and again, then migrate to the end (reliability plan B6).

    python bench/migrate_kill.py [--kills 20] [--database-url postgres://.../NEW_DB]

Starts ``reviewhub migrate`` on an empty database, kills it after a random delay (within the time
a whole migration run takes here), and repeats until it has been killed ``--kills`` times or has
finished; then runs ``migrate`` once more, which must complete. The resulting schema is compared
with the schema of a database migrated in one clean run (SQLite: ``sqlite_master``; PostgreSQL:
``information_schema`` columns and ``pg_indexes``/triggers), and Django must report no unapplied
migrations. With ``--database-url`` the named PostgreSQL database is dropped and re-created (use a
throw-away name); the clean reference goes to ``<name>_ref``.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _server import env_for, recreate_pg


def migrate_cmd() -> list[str]:
    return [sys.executable, "-m", "reviewhub", "migrate", "--no-input", "-v", "0"]


def pg_schema(url: str) -> list[tuple]:
    q = (
        "SELECT 'col', table_name, column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_schema='public' UNION ALL SELECT 'idx', tablename, indexname, indexdef, '' "
        "FROM pg_indexes WHERE schemaname='public' UNION ALL SELECT 'trg', event_object_table, "
        "trigger_name, action_statement, event_manipulation FROM information_schema.triggers "
        "ORDER BY 1, 2, 3, 4, 5"
    )
    out = subprocess.run(
        ["psql", url, "-At", "-F", "\t", "-c", q], check=True, capture_output=True, text=True
    ).stdout
    return sorted(tuple(line.split("\t")) for line in out.splitlines())


def sqlite_schema(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
            "ORDER BY type, name"
        ).fetchall()
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if ok != "ok":
        raise SystemExit(f"FAIL: integrity_check says {ok}")
    return rows


def applied(env: dict, run_dir: Path) -> int:
    """How many migrations the database records as applied (0 before the table exists)."""
    q = "SELECT count(*) FROM django_migrations"
    if env.get("DATABASE_URL"):
        out = subprocess.run(["psql", env["DATABASE_URL"], "-At", "-c", q], capture_output=True)
        return int(out.stdout or 0) if out.returncode == 0 else 0
    db = run_dir / "reviewhub.sqlite3"
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute(q).fetchone()[0]
    except sqlite3.Error:
        return 0


def one_clean_run(env: dict) -> float:
    t = time.perf_counter()
    subprocess.run(migrate_cmd(), env=env, check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    ref_dir = Path(tempfile.mkdtemp(prefix="reviewhub-migref-"))
    run_dir = Path(tempfile.mkdtemp(prefix="reviewhub-migkill-"))
    ref_env, env = env_for(ref_dir), env_for(run_dir)
    if args.database_url:
        ref_env["DATABASE_URL"] = args.database_url + "_ref"
        env["DATABASE_URL"] = args.database_url
        recreate_pg(ref_env["DATABASE_URL"])
        recreate_pg(env["DATABASE_URL"])
    whole = one_clean_run(ref_env)
    print(f"database: {'postgresql' if args.database_url else 'sqlite'}")
    print(f"one clean migration run: {whole:.1f}s")

    kills = finished = 0
    points: list[int] = []
    total = applied(ref_env, ref_dir)

    def reset() -> None:
        if args.database_url:
            recreate_pg(env["DATABASE_URL"])
        else:
            for f in run_dir.glob("reviewhub.sqlite3*"):
                f.unlink()

    while kills < args.kills:
        proc = subprocess.Popen(
            migrate_cmd(), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        # Python and Django start-up take about a third of the run: aim the kills past it.
        delay = rng.uniform(0.3, 1.0) * whole
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            points.append(applied(env, run_dir))
            if points[-1] == total and kills < args.kills:
                reset()  # killed after the last migration: start again so kills land inside
            continue
        if proc.returncode != 0:
            err = proc.stderr.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"FAIL: migrate after {kills} kills exited {proc.returncode}:\n{err}")
        finished += 1
        reset()  # finished before the kill: start again, so later kills land inside migrations
    final = subprocess.run(migrate_cmd(), env=env, capture_output=True, text=True)
    if final.returncode != 0:
        raise SystemExit(f"FAIL: the final migrate exited {final.returncode}:\n{final.stderr}")
    check = subprocess.run(
        [sys.executable, "-m", "reviewhub", "migrate", "--check"],
        env=env,
        capture_output=True,
        text=True,
    )
    if args.database_url:
        got, want = pg_schema(env["DATABASE_URL"]), pg_schema(ref_env["DATABASE_URL"])
    else:
        (db,) = run_dir.glob("*.sqlite3")
        (ref,) = ref_dir.glob("*.sqlite3")
        got, want = sqlite_schema(db), sqlite_schema(ref)
    same = got == want
    print(f"kills: {kills} (runs that finished before their kill: {finished})")
    print(f"migrations recorded as applied at each kill: {points} (of {total})")
    print(f"final migrate: ok; unapplied migrations: {'none' if check.returncode == 0 else 'SOME'}")
    print(f"schema objects: {len(got)} (reference {len(want)}); identical: {same}")
    if not same:
        for row in sorted(set(got) ^ set(want))[:20]:
            print("  differs:", row)
    if check.returncode != 0 or not same:
        raise SystemExit(1)
    print("PASS")


if __name__ == "__main__":
    os.environ.pop("REVIEWHUB_TESTING", None)
    main()
