"""Crash test: SIGKILL the server again and again during writes, then check nothing acknowledged
was lost and every change has its audit event (reliability plan B1).

    python bench/crash_test.py [--kills 30] [--database-url postgres://...]

Each write creates an API token (a form POST that writes the token and its audit event in one
transaction). The client keeps a ledger of every write acknowledged with 200; after the last
kill the script checks, in the database: integrity (SQLite), every acknowledged token present,
every token with its audit event (and no audit event without its token), and the audit hash
chain intact (``reviewhub audit verify``).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

import requests
from _server import Server, csrf_of, env_for, login, setup


def writer(base_ref, names, stop, errors, username):
    session = None
    n = 0
    while not stop.is_set():
        try:
            if session is None:
                session = login(base_ref[0], username)
            token = csrf_of(session, base_ref[0], "/profile/tokens/")
            name = f"{username}-{n}"
            response = session.post(
                base_ref[0] + "/profile/tokens/",
                data={"name": name, "days": "30", "csrfmiddlewaretoken": token},
                timeout=10,
            )
            if response.status_code == 200 and "Your new token" in response.text:
                names.append(name)
            elif response.status_code >= 500:
                errors.append(response.status_code)
            n += 1
        except (requests.RequestException, AttributeError, RuntimeError):
            session = None  # the server is down: sign in again once it is back
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="reviewhub-crash-"))
    env = env_for(data_dir)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    users = setup(env, args.writers)
    server = Server(env, workers=2)
    server.start()
    base_ref = [server.url]
    names: list[str] = []
    errors: list[int] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=writer, args=(base_ref, names, stop, errors, u), daemon=True)
        for u in users
    ]
    for t in threads:
        t.start()
    started = time.time()
    for _ in range(args.kills):
        time.sleep(random.uniform(2.0, 5.0))  # let writes run, then kill mid-stream
        server.kill()
        server.start()
    time.sleep(1.0)
    stop.set()
    for t in threads:
        t.join(timeout=15)
    server.stop()
    elapsed = time.time() - started

    import os
    import subprocess
    import sys

    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "reviewhub",
            "shell",
            "-c",
            "from reviewhub.api.models import ApiToken\n"
            "from reviewhub.audit.models import AuditEvent\n"
            "import json\n"
            "names = set(ApiToken.objects.values_list('name', flat=True))\n"
            "ids = set(str(i) for i in ApiToken.objects.values_list('pk', flat=True))\n"
            "audited = set(AuditEvent.objects.filter(object_type='api.apitoken', action='create')"
            ".values_list('object_id', flat=True))\n"
            "print(json.dumps({'names': sorted(names), 'ids': sorted(ids), 'audited': sorted(audited)}))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    found = json.loads(check.stdout.strip().splitlines()[-1])
    missing = sorted(set(names) - set(found["names"]))
    unaudited = sorted(set(found["ids"]) - set(found["audited"]))
    orphan_audit = sorted(set(found["audited"]) - set(found["ids"]))
    chain = subprocess.run(
        [sys.executable, "-m", "reviewhub", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
    )
    integrity = "n/a (PostgreSQL)"
    if not args.database_url:
        with sqlite3.connect(data_dir / "reviewhub.sqlite3") as db:
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    print(f"database: {'PostgreSQL' if args.database_url else 'SQLite (WAL, synchronous=FULL)'}")
    print(f"SIGKILLs: {args.kills} in {elapsed:.0f} s; writers: {args.writers}")
    print(f"writes acknowledged (HTTP 200): {len(names)}; rows in database: {len(found['names'])}")
    print(f"acknowledged writes missing: {len(missing)}")
    print(
        f"changes without their audit event: {len(unaudited)}; audit events without their change: {len(orphan_audit)}"
    )
    print(f"server errors (5xx) seen by clients: {len(errors)}")
    print(f"integrity_check: {integrity}")
    print(f"audit chain: {(chain.stdout + chain.stderr).strip()}")
    ok = (
        chain.returncode == 0
        and not missing
        and not unaudited
        and not orphan_audit
        and integrity in ("ok", "n/a (PostgreSQL)")
    )
    print("RESULT:", "PASS" if ok else "FAIL")
    os.sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
