"""Fuzz the running API with schemathesis, once per role and once without credentials
(reliability plan C1).

    python -m venv /tmp/st-venv && /tmp/st-venv/bin/pip install schemathesis==4.32.5
    python bench/api_fuzz.py [--st /tmp/st-venv/bin/st] [--examples 30] [--seed N]
                             [--database-url postgres://postgres@localhost:5432/rh_apifuzz]

schemathesis is a test tool, so it lives in its own virtual environment rather than in the
product's dependencies. It runs every check (``--checks all``) with ``bench/schemathesis.toml``,
which names the few operations where a rule the schema cannot state (an agency id that is not
the partnership's, a date after today) may refuse a schema-valid request with 422. With
``--database-url`` the named PostgreSQL database is dropped and re-created (use a throw-away
name); otherwise a fresh SQLite file in the run's folder is used.

Read from each run's NDJSON report (every request, its generation mode, response and checks),
the bench prints per role: server errors (5xx), response violations (status code, content
type, headers or body not as the schema says), schemathesis' other failed checks, and every
refusal (400/409/422) of a schema-valid request, by operation with its message. Pass: no server
error, no response violation and schemathesis passing, for every role; without credentials no
2xx answer. The exit status is 1 otherwise. Logs and reports stay in the printed folder.
"""

from __future__ import annotations

import argparse
import base64
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from _server import Server, env_for, manage, recreate_pg, setup

ROLES = ["manager", "lead.council", "reviewer", "analyst", "practitioner", "admin"]
CONFIG = Path(__file__).resolve().with_name("schemathesis.toml")
#: The checks that compare a response with the schema: none of them may fail.
RESPONSE_CHECKS = {
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
}
#: A schema-valid request answered with one of these was refused by a rule.
REFUSALS = {400, 409, 422}


@dataclass
class Result:
    """What one schemathesis run found, read from its NDJSON report."""

    exit_code: int
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    server_errors: Counter = field(default_factory=Counter)  # operation -> count
    response_violations: Counter = field(default_factory=Counter)  # (check, operation) -> count
    other_failures: Counter = field(default_factory=Counter)  # (check, operation) -> count
    refusals: Counter = field(default_factory=Counter)  # (operation, status, message) -> count

    @property
    def passed(self) -> bool:
        return self.exit_code == 0 and not self.server_errors and not self.response_violations


def _message(response: dict) -> str:
    """The refusal's reason: the fields and messages of a 422, or the detail."""
    raw = (response.get("content") or {}).get("$base64")
    try:
        body = json.loads(base64.b64decode(raw)) if raw else {}
    except ValueError:
        return "(not JSON)"
    if not isinstance(body, dict):
        return "(unexpected body)"
    errors = body.get("errors") or []
    if errors:
        return "; ".join(f"{(e.get('loc') or ['?'])[-1]}: {e.get('msg', '')}" for e in errors[:3])
    return str(body.get("detail", ""))[:200]


def read_report(path: Path, exit_code: int) -> Result:
    result = Result(exit_code=exit_code)
    if not path.exists():
        return result
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line).get("ScenarioFinished")
            if not event or "cases" not in event["recorder"]:
                continue
            recorder = event["recorder"]
            for case_id, case in recorder["cases"].items():
                value = case["value"]
                operation = f"{value['method']} {value['path']}"
                mode = ((value.get("meta") or {}).get("generation") or {}).get("mode")
                response = (recorder["interactions"].get(case_id) or {}).get("response")
                if response:
                    status = response["status_code"]
                    result.requests += 1
                    result.statuses[status] += 1
                    if status >= 500:
                        result.server_errors[operation] += 1
                    elif mode == "positive" and status in REFUSALS:
                        result.refusals[(operation, status, _message(response))] += 1
                for check in recorder["checks"].get(case_id) or []:
                    if check["status"] != "failure" or check["name"] == "not_a_server_error":
                        continue
                    bucket = (
                        result.response_violations
                        if check["name"] in RESPONSE_CHECKS
                        else result.other_failures
                    )
                    bucket[(check["name"], operation)] += 1
    return result


def run_role(args, schema: str, url: str, token: str | None, out_dir: Path, name: str) -> Result:
    report = out_dir / f"st-{name}.ndjson"
    cmd = [
        args.st,
        "--config-file",
        str(CONFIG),
        "run",
        schema,
        "--url",
        url,
        "--checks",
        "all",
        "--max-examples",
        str(args.examples),
        "--no-color",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
    ]
    if args.seed is not None:
        cmd += ["--seed", str(args.seed)]
    if token:
        cmd += ["--header", f"Authorization: Bearer {token}"]
    # Run in the run's folder: schemathesis and hypothesis keep example caches in the cwd.
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, cwd=out_dir)
    (out_dir / f"st-{name}.log").write_text(run.stdout + run.stderr)
    return read_report(report, run.returncode)


def print_result(who: str, result: Result, anonymous: bool) -> bool:
    """Print one role's line and details; return whether the role passed."""
    ok = result.passed
    extra = ""
    if anonymous:
        served = sum(n for status, n in result.statuses.items() if 200 <= status < 300)
        ok = ok and served == 0
        answers = ", ".join(f"{s}: {n}" for s, n in sorted(result.statuses.items()))
        extra = f"  answers {{{answers}}}"
    print(
        f"{'PASS' if ok else 'FAIL'} {who:<16} st exit {result.exit_code}"
        f"  requests {result.requests}"
        f"  server errors {sum(result.server_errors.values())}"
        f"  response violations {sum(result.response_violations.values())}"
        f"  other failed checks {sum(result.other_failures.values())}"
        f"  refusals of valid requests {sum(result.refusals.values())}{extra}"
    )
    for operation, n in sorted(result.server_errors.items()):
        print(f"    server error x{n}: {operation}")
    for (check, operation), n in sorted(result.response_violations.items()):
        print(f"    response violation x{n}: {check} on {operation}")
    for (check, operation), n in sorted(result.other_failures.items()):
        print(f"    failed check x{n}: {check} on {operation}")
    for (operation, status, message), n in sorted(result.refusals.items()):
        print(f"    refused x{n}: {operation} -> {status} {message}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--st", default="/tmp/st-venv/bin/st")
    parser.add_argument("--examples", type=int, default=30)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--database-url", default="", help="PostgreSQL; dropped and re-created")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="reviewhub-fuzz-"))
    env = env_for(data_dir)
    if args.database_url:
        recreate_pg(args.database_url)
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
    results: dict[str, Result] = {}
    try:
        for who in [*ROLES, None]:
            name = who or "anonymous"
            results[name] = run_role(
                args, schema, server.url, tokens[who] if who else None, data_dir, name
            )
    finally:
        server.stop()
    print(f"database: {'PostgreSQL' if args.database_url else 'SQLite'}; examples {args.examples}")
    passed = [print_result(name, r, name == "anonymous") for name, r in results.items()]
    print(f"logs and NDJSON reports: {data_dir}/st-*")
    sys.exit(0 if all(passed) else 1)


if __name__ == "__main__":
    main()
