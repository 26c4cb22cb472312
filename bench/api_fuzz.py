"""Fuzz the running API with schemathesis, once per role and once without credentials
(reliability plan C1).

    python -m venv /tmp/st-venv && /tmp/st-venv/bin/pip install schemathesis==4.32.5
    python bench/api_fuzz.py [--st /tmp/st-venv/bin/st] [--examples 30] [--database-url URL]

schemathesis is a test tool, so it lives in its own virtual environment rather than in the
product's dependencies. Pass criteria: no server errors (5xx) and no response that violates the
schema, for every role; without credentials nothing but 401s (and the public schema).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import tempfile
from pathlib import Path

from _server import Server, env_for, manage, setup

ROLES = ["manager", "lead.council", "reviewer", "analyst", "practitioner", "admin"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--st", default="/tmp/st-venv/bin/st")
    parser.add_argument("--examples", type=int, default=30)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="reviewhub-fuzz-"))
    env = env_for(data_dir)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    setup(env, 0)
    code = (
        "import json\n"
        "from reviewhub.accounts.models import User\n"
        "from reviewhub.api.services import api_token_create\n"
        f"print(json.dumps({{u: api_token_create(user=User.objects.get(username=u), name='fuzz')[1] for u in {ROLES!r}}}))"
    )
    tokens = json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])
    server = Server(env, workers=2)
    server.start()
    schema = f"{server.url}/api/v1/openapi.json"
    results = {}
    try:
        for who in [*ROLES, None]:
            cmd = [
                args.st,
                "run",
                schema,
                "--url",
                server.url,
                "--checks",
                "all",
                "--max-examples",
                str(args.examples),
                "--no-color",
            ]
            if who:
                cmd += ["--header", f"Authorization: Bearer {tokens[who]}"]
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
            out = run.stdout + run.stderr
            server_errors = len(re.findall(r"Server error", out))
            summary = next(
                (
                    line
                    for line in out.splitlines()[::-1]
                    if re.search(r"\d+ (passed|failed)", line)
                ),
                "",
            )
            results[who or "(no credentials)"] = (run.returncode, server_errors, summary.strip())
            (data_dir / f"st-{who or 'anonymous'}.log").write_text(out)
    finally:
        server.stop()
    for who, (rc, errors, summary) in results.items():
        print(f"{who:<18} exit {rc}  server errors: {errors}  {summary}")
    print(f"logs: {data_dir}/st-*.log")


if __name__ == "__main__":
    main()
