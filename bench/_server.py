"""Start and stop a real ReviewHub server on loopback for the load and crash scripts."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-Password-2026-long"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REVIEWHUB_TESTING"}}
    # Development mode: plain HTTP on loopback (no HTTPS redirect or Secure-only cookies).
    env.update({"DEBUG": "1", "REVIEWHUB_DATA_DIR": str(data_dir), "AXES_FAILURE_LIMIT": "1000"})
    env.setdefault("PYTHONPATH", str(ROOT / "src"))
    return env


def recreate_pg(url: str) -> None:
    """Drop and re-create the PostgreSQL database ``url`` names (give a throw-away name)."""
    name = urlparse(url).path.lstrip("/")
    base = url.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", base, "-q", "-c", sql], check=True, capture_output=True)


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "reviewhub", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def setup(env: dict, practitioners: int) -> list[str]:
    """Migrate, load the demo, and add practitioner accounts for the simulated users."""
    manage(env, "migrate", "-v0")
    manage(env, "demo")
    code = (
        "from reviewhub.accounts.models import *\n"
        "from reviewhub.accounts.choices import Role\n"
        "p = Partnership.objects.get(slug='northshire')\n"
        "a = Agency.objects.filter(partnership=p).first()\n"
        f"for i in range({practitioners}):\n"
        "    u, made = User.objects.get_or_create(username=f'bench{i}')\n"
        f"    u.set_password({PASSWORD!r}); u.save()\n"
        "    Membership.objects.get_or_create(user=u, partnership=p, role=Role.PRACTITIONER,"
        " defaults={'agency': a})\n"
    )
    manage(env, "shell", "-c", code)
    return [f"bench{i}" for i in range(practitioners)]


class Server:
    """A `reviewhub serve` process group that can be started, killed with SIGKILL and restarted."""

    def __init__(self, env: dict, workers: int = 3):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reviewhub",
                "serve",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--no-worker",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL,  # noqa: SIM115
            start_new_session=True,
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if requests.get(self.url + "/health/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def login(base: str, username: str, session: requests.Session | None = None) -> requests.Session:
    session = session or requests.Session()
    page = session.get(base + "/accounts/login/", timeout=30)
    token = CSRF.search(page.text).group(1)
    response = session.post(
        base + "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login failed for {username}: {response.status_code}")
    return session


def csrf_of(session: requests.Session, base: str, path: str) -> str:
    page = session.get(base + path, timeout=30)
    return CSRF.search(page.text).group(1)
