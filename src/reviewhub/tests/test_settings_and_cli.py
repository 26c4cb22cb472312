"""The product starts safely from its environment, and the command line works."""

import os
import subprocess
import sys

import pytest

ENV = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
ENV.pop("REVIEWHUB_TESTING", None)
ENV.pop("PYTEST_CURRENT_TEST", None)


def _reviewhub(*args, env=None, tmp_path=None):
    return subprocess.run(
        [sys.executable, "-m", "reviewhub", *args],
        capture_output=True,
        text=True,
        env={**ENV, "REVIEWHUB_DATA_DIR": str(tmp_path), **(env or {})},
        timeout=120,
    )


def test_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    result = _reviewhub("check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_refuses_a_weak_secret_key(tmp_path):
    result = _reviewhub("check", env={"SECRET_KEY": "short"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_deploy_check_is_clean_with_only_secret_key_and_hosts(tmp_path):
    env = {"SECRET_KEY": "k" + "x9Q2-fA7_zL0pW4" * 5, "ALLOWED_HOSTS": "reviewhub.example.org"}
    result = _reviewhub("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    result = _reviewhub("serve", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_offline_commands_need_no_secret_key(tmp_path):
    sample = tmp_path / "note.txt"
    sample.write_text("Practitioners should share information about Child A.\n")
    result = _reviewhub("pii", "check", str(sample), "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_help_lists_the_product_commands(tmp_path):
    result = _reviewhub("--help", env={"DEBUG": "1"}, tmp_path=tmp_path)
    assert result.returncode == 0
    for command in ("serve", "migrate", "demo", "createuser"):
        assert command in result.stdout


def test_serve_rejects_a_bad_address(tmp_path):
    result = _reviewhub("serve", "not-an-address", env={"DEBUG": "1"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "is not an address" in result.stderr


@pytest.mark.django_db
def test_the_database_makes_commits_durable():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The test database is in memory (no WAL there); the file case is checked below.
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2
        else:
            cursor.execute("SHOW fsync")
            assert cursor.fetchone()[0] == "on"
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"


def test_embedded_database_file_uses_wal(tmp_path):
    result = _reviewhub("migrate", "-v0", env={"DEBUG": "1"}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='reviewhub.settings';django.setup();"
        "from django.db import connection;c=connection.cursor();"
        "print([c.execute(f'PRAGMA {p}').fetchone()[0] for p in "
        "('journal_mode','synchronous','foreign_keys')])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**ENV, "DEBUG": "1", "REVIEWHUB_DATA_DIR": str(tmp_path)},
        timeout=60,
    )
    assert out.stdout.strip() == "['wal', 2, 1]", out.stderr


def test_model_downloads_are_switched_off():
    import reviewhub.settings  # noqa: F401

    assert os.environ["HF_HUB_OFFLINE"] == "1"
