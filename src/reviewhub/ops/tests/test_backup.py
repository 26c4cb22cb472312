"""`reviewhub backup` and `reviewhub restore`, run as commands against real databases.

Each test runs the commands in subprocesses against scratch databases of the vendor the suite runs
on: SQLite files under tmp_path, or (when the suite runs on PostgreSQL) scratch PostgreSQL
databases on the same server, so both CI passes exercise their own backup path.
"""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

import reviewhub
from reviewhub.ops.backup import BackupError, _extract_verified, _read_manifest

SRC = str(Path(reviewhub.__file__).resolve().parent.parent)
VENDOR = connection.vendor


class Instance:
    """One ReviewHub installation: a data folder plus its database (SQLite file or PG scratch)."""

    def __init__(self, tmp_path: Path, name: str):
        self.data_dir = tmp_path / name
        self.data_dir.mkdir()
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
        }
        self.env.update(
            PYTHONPATH=SRC, REVIEWHUB_TESTING="1", REVIEWHUB_DATA_DIR=str(self.data_dir)
        )
        self.pg_name = None
        if VENDOR == "postgresql":
            self.pg_name = f"rh_backup_{name}_{uuid.uuid4().hex[:10]}"
            _pg_admin(f'CREATE DATABASE "{self.pg_name}"')
            db = settings.DATABASES["default"]
            auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
            self.env["DATABASE_URL"] = (
                f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{self.pg_name}"
            )

    @property
    def media(self) -> Path:
        return self.data_dir / "media"

    def run(self, *args, check=True) -> subprocess.CompletedProcess:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "reviewhub", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if check:
            assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result

    def query(self, sql: str, params=()):
        """Run one read query against this instance's database, outside Django."""
        if self.pg_name is None:
            conn = sqlite3.connect(self.data_dir / "reviewhub.sqlite3")
            try:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
            finally:
                conn.close()
        import psycopg

        db = settings.DATABASES["default"]
        with psycopg.connect(
            dbname=self.pg_name,
            user=db["USER"],
            password=db.get("PASSWORD") or None,
            host=db["HOST"] or None,
            port=db["PORT"] or None,
        ) as conn:
            return conn.execute(sql, params).fetchall()

    def execute_many(self, sql: str, rows):
        """Write rows with a plain driver connection, one commit per row (a busy application)."""
        if self.pg_name is None:
            conn = sqlite3.connect(self.data_dir / "reviewhub.sqlite3", timeout=30)
            conn.execute("PRAGMA busy_timeout=30000")
            try:
                for row in rows:
                    with conn:
                        conn.execute(sql.replace("%s", "?"), row)
            finally:
                conn.close()
            return
        import psycopg

        db = settings.DATABASES["default"]
        with psycopg.connect(
            dbname=self.pg_name,
            user=db["USER"],
            password=db.get("PASSWORD") or None,
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            autocommit=True,
        ) as conn:
            for row in rows:
                conn.execute(sql, row)

    def drop(self):
        if self.pg_name:
            _pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def _pg_admin(statement: str) -> None:
    import psycopg

    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        autocommit=True,
    ) as conn:
        conn.execute(statement)


@pytest.fixture
def instances(tmp_path):
    made = []

    def make(name):
        inst = Instance(tmp_path, name)
        made.append(inst)
        return inst

    yield make
    for inst in made:
        inst.drop()


def _audit_insert_rows(start: int, count: int):
    return [
        ("2026-01-01T00:00:00+00:00", "load", "view", "", "success", "[]", f"row {start + i}")
        for i in range(count)
    ]


AUDIT_INSERT = (
    "INSERT INTO audit_auditevent (at, username, action, object_type, outcome, changed_fields,"
    " detail, user_display, roles, agency, request_id, object_id) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, '', '', '', '', '')"
)


def test_backup_then_restore_round_trip_while_the_source_keeps_writing(instances, tmp_path):
    source = instances("source")
    source.run("migrate", "--no-input", "-v0")
    source.run("demo")
    (source.media / "documents").mkdir(parents=True, exist_ok=True)  # the demo stores some too
    (source.media / "documents" / "chronology.pdf").write_bytes(b"%PDF-1.4 canary-7d1f" * 500)
    (source.media / "notes.txt").write_text("uploaded file canary-19ab", "utf-8")
    users = source.query("SELECT count(*) FROM accounts_user")[0][0]

    # Another writer commits rows throughout the backup: the copy must still be one consistent
    # snapshot, so its counts (and the restore's) agree with the manifest exactly.
    stop = threading.Event()
    written = []

    def writer():
        n = 0
        while not stop.is_set():
            source.execute_many(AUDIT_INSERT, _audit_insert_rows(n, 5))
            n += 5
            written.append(n)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.3)
        archive = tmp_path / "backup.tar.gz"
        made = source.run("backup", str(archive))
    finally:
        stop.set()
        thread.join()
    assert written, "the concurrent writer never ran"
    assert "Backup written" in made.stdout
    assert archive.stat().st_mode & 0o077 == 0, "backups hold case data: owner-only"

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    db_part = "database.sqlite3" if VENDOR == "sqlite" else "database.dump"
    uploaded = {
        "media/" + p.relative_to(source.media).as_posix()
        for p in source.media.rglob("*")
        if p.is_file()
    }
    assert "media/documents/chronology.pdf" in uploaded and "media/notes.txt" in uploaded
    assert names == {"manifest.json", db_part} | uploaded
    assert manifest["format_version"] == 1
    assert manifest["database"]["vendor"] == VENDOR
    assert manifest["database"]["tables"]["accounts_user"] == users
    assert manifest["marker"]["audit_event_id"] > 0
    assert manifest["created_utc"].endswith("Z")
    assert len(manifest["parts"][db_part]["sha256"]) == 64
    assert manifest["reviewhub_version"]
    marker = source.query(
        "SELECT action, detail FROM audit_auditevent WHERE id = %s",
        (manifest["marker"]["audit_event_id"],),
    )
    assert marker == [("backup", "backup marker")]

    target = instances("target")
    restored = target.run("restore", str(archive))
    assert "Restore verified." in restored.stdout
    assert "row counts match the manifest" in restored.stdout
    if VENDOR == "sqlite":
        assert "integrity_check: ok" in restored.stdout
    assert target.query("SELECT count(*) FROM accounts_user")[0][0] == users
    audit_rows = target.query("SELECT count(*) FROM audit_auditevent")[0][0]
    # The manifest's rows, plus the restore's own audit event.
    assert audit_rows == manifest["database"]["tables"]["audit_auditevent"] + 1
    assert target.query("SELECT count(*) FROM audit_auditevent WHERE action = 'restore'") == [(1,)]
    assert (target.media / "documents" / "chronology.pdf").read_bytes() == (
        source.media / "documents" / "chronology.pdf"
    ).read_bytes()
    assert (target.media / "notes.txt").read_text("utf-8") == "uploaded file canary-19ab"
    # The restored instance is complete: every migration is recorded as applied.
    assert "[ ]" not in target.run("showmigrations").stdout

    # A second restore into the now non-empty target is refused, and changes nothing.
    again = target.run("restore", str(archive), check=False)
    assert again.returncode != 0
    assert "Refusing to restore" in again.stderr
    assert target.query("SELECT count(*) FROM audit_auditevent")[0][0] == audit_rows

    # An existing output file is never overwritten.
    clash = source.run("backup", str(archive), check=False)
    assert clash.returncode != 0 and "exists already" in clash.stderr


def _rewrite(archive: Path, out: Path, *, manifest_edit=None, part_edit=None):
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(out, "w:gz") as tar:
        for member, data in members:
            if member.name == "manifest.json" and manifest_edit:
                manifest = json.loads(data)
                manifest_edit(manifest)
                data = json.dumps(manifest).encode()
            elif part_edit and member.name in part_edit:
                data = part_edit[member.name](data)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def test_restore_refuses_damaged_backups_and_reports_mismatches(instances, tmp_path):
    source = instances("source")
    source.run("migrate", "--no-input", "-v0")
    source.media.mkdir(parents=True, exist_ok=True)
    (source.media / "a.txt").write_text("original", "utf-8")
    archive = tmp_path / "good.tar.gz"
    source.run("backup", str(archive))
    target = instances("target")

    # A part that does not match its checksum: refused before anything is written.
    corrupt = tmp_path / "corrupt.tar.gz"
    _rewrite(archive, corrupt, part_edit={"media/a.txt": lambda d: b"tampered"})
    result = target.run("restore", str(corrupt), check=False)
    assert result.returncode != 0
    assert "does not match its checksum" in result.stderr
    assert not (target.media / "a.txt").exists()

    # Not a backup at all.
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar file")
    result = target.run("restore", str(junk), check=False)
    assert result.returncode != 0 and "not a readable backup archive" in result.stderr

    # Row counts that disagree with the manifest (and a missing marker): restored, but reported
    # as a mismatch with a non-zero exit.
    def lie(manifest):
        manifest["database"]["tables"]["accounts_user"] += 1
        manifest["marker"]["audit_event_id"] = 999999

    wrong = tmp_path / "wrong.tar.gz"
    _rewrite(archive, wrong, manifest_edit=lie)
    result = target.run("restore", str(wrong), check=False)
    assert result.returncode != 0
    assert "MISMATCH: table accounts_user" in result.stderr
    assert "MISMATCH: backup marker (audit event 999999) missing" in result.stderr
    assert "do not use this database" in result.stderr


def _tar_with(tmp_path, entries) -> Path:
    path = tmp_path / "crafted.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _manifest(parts):
    return json.dumps(
        {
            "format": "reviewhub-backup",
            "format_version": 1,
            "database": {"vendor": VENDOR, "tables": {}},
            "marker": {"audit_event_id": 1},
            "parts": parts,
        }
    ).encode()


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd", "media/../../x"])
def test_restore_refuses_entries_that_escape_the_target(tmp_path, name):
    import hashlib

    data = b"x"
    parts = {name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": 1}}
    path = _tar_with(tmp_path, [("manifest.json", _manifest(parts)), (name, data)])
    with tarfile.open(path) as tar:
        manifest = _read_manifest(tar)
        with pytest.raises(BackupError, match="unsafe entry"):
            _extract_verified(tar, manifest, tmp_path / "out")
    assert not (tmp_path / "escape.txt").exists()


def test_restore_refuses_an_unknown_format_version(tmp_path):
    bad = json.dumps({"format": "reviewhub-backup", "format_version": 99}).encode()
    path = _tar_with(tmp_path, [("manifest.json", bad)])
    with tarfile.open(path) as tar, pytest.raises(BackupError, match="format version 99"):
        _read_manifest(tar)
