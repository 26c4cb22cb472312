"""Load test on loopback: N simulated users with mixed reads and writes for a fixed time
(reliability plan A1, scaled to this machine).

    python bench/load_test.py [--users 40] [--seconds 600] [--database-url postgres://...]

Each user signs in (a practitioner account) and loops: 60% read published learning
(briefings list and a briefing), 25% read the document library, 10% write (make and revoke an
API token: two audited writes), 5% search the audit-free pages (home). Prints request counts,
server errors, "database is locked" errors (from the server log) and latency percentiles.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests
from _server import Server, csrf_of, env_for, login, setup


def user_loop(base, username, deadline, stats, lock):
    session = login(base, username)
    briefing_links = re.findall(r'href="(/briefings/\d+/)"', session.get(base + "/briefings/").text)
    rng = random.Random(username)
    while time.time() < deadline:
        roll = rng.random()
        t0 = time.perf_counter()
        try:
            if roll < 0.60:
                path = (
                    rng.choice(briefing_links)
                    if briefing_links and rng.random() < 0.7
                    else "/briefings/"
                )
                response = session.get(base + path, timeout=30)
                kind = "read learning"
            elif roll < 0.85:
                response = session.get(base + "/documents/", timeout=30)
                kind = "read library"
            elif roll < 0.95:
                token = csrf_of(session, base, "/profile/tokens/")
                response = session.post(
                    base + "/profile/tokens/",
                    data={"name": f"load-{username}", "days": "30", "csrfmiddlewaretoken": token},
                    timeout=30,
                )
                kind = "write"
            else:
                response = session.get(base + "/", timeout=30)
                kind = "home"
            status = response.status_code
        except requests.RequestException:
            status = 599
            kind = "error"
        elapsed = time.perf_counter() - t0
        with lock:
            stats.append((kind, status, elapsed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="reviewhub-load-"))
    env = env_for(data_dir)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    users = setup(env, args.users)
    log = data_dir / "server.log"
    server = Server(env, workers=3)
    server.log_path = log
    server.start()
    stats: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    deadline = time.time() + args.seconds
    threads = [
        threading.Thread(target=user_loop, args=(server.url, u, deadline, stats, lock), daemon=True)
        for u in users
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=args.seconds + 120)
    server.stop()

    latencies = sorted(s[2] for s in stats)
    errors = sum(1 for s in stats if s[1] >= 500)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 100 else [0] * 99
    print(f"database: {'PostgreSQL' if args.database_url else 'SQLite (WAL, synchronous=FULL)'}")
    print(
        f"users: {args.users}, duration: {args.seconds} s, requests: {len(stats)} "
        f"({len(stats) / args.seconds:.1f}/s)"
    )
    for kind in sorted({s[0] for s in stats}):
        rows = [s for s in stats if s[0] == kind]
        print(
            f"  {kind:<13} {len(rows):>6} requests, p95 {sorted(r[2] for r in rows)[int(0.95 * (len(rows) - 1))] * 1000:.0f} ms"
        )
    locked = log.read_text(errors="replace").count("database is locked") if log.exists() else 0
    print(
        f"server errors (5xx or no answer): {errors}; 'database is locked' in server log: {locked}"
    )
    print(
        f"latency p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms"
    )
    print("RESULT:", "PASS" if errors == 0 and locked == 0 else "FAIL")


if __name__ == "__main__":
    main()
