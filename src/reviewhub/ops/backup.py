"""Consistent online backups and verified restores of the database and the uploaded files.

A backup is one ``.tar.gz`` holding ``manifest.json``, the database (SQLite: a copy made with the
online backup API; PostgreSQL: ``pg_dump -Fc``) and the files under MEDIA_ROOT. Before copying,
an audit event "backup" is written as a marker; the manifest records its id and time, the row count
of every table *in the copy*, the ReviewHub version and the sha256 of every part. No live database
file is ever copied as a file (that can corrupt the copy: https://www.sqlite.org/howtocorrupt.html).

A restore goes only into an empty database and an empty MEDIA_ROOT, then checks what it restored:
``PRAGMA integrity_check`` (SQLite), the row count of every table against the manifest, the marker
event, and the checksum of every file. Any mismatch is an error (non-zero exit).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections, transaction

FORMAT = "reviewhub-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_PART = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore could not be made or did not verify; the message says why."""


@dataclass
class RestoreReport:
    """What a restore found when it checked its work."""

    manifest: dict
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    problems: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- shared helpers ---------------------------------------------------------------------------


def vendor() -> str:
    """The configured database: "sqlite" or "postgresql"."""
    name = connections["default"].vendor
    if name not in DB_PART:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def reviewhub_version() -> str:
    try:
        return metadata.version("reviewhub")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        t: conn.execute(f'SELECT count(*) FROM "{t.replace(chr(34), chr(34) * 2)}"').fetchone()[0]  # noqa: S608 - table names from sqlite_master, quoted  # nosec B608
        for t in _sqlite_tables(conn)
    }


def _pg_settings() -> dict:
    db = settings.DATABASES["default"]
    return {
        "dbname": db.get("NAME") or "",
        "user": db.get("USER") or "",
        "password": db.get("PASSWORD") or "",
        "host": db.get("HOST") or "",
        "port": str(db.get("PORT") or ""),
        "sslmode": (db.get("OPTIONS") or {}).get("sslmode", ""),
    }


def _pg_env() -> dict:
    """Connection settings for pg_dump/pg_restore through the environment, never the command
    line (where other local users could read the password)."""
    params = _pg_settings()
    env = dict(os.environ)
    for key, var in (
        ("dbname", "PGDATABASE"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("sslmode", "PGSSLMODE"),
    ):
        if params[key]:
            env[var] = params[key]
    return env


def _pg_connect():
    import psycopg

    params = {k: v for k, v in _pg_settings().items() if v}
    return psycopg.connect(**params)


def _pg_counts(conn) -> dict[str, int]:
    from psycopg import sql

    tables = [
        r[0]
        for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        ).fetchall()
    ]
    return {
        t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))).fetchone()[0]
        for t in tables
    }


def _run(cmd: list[str]) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, arguments we built
            cmd, env=_pg_env(), capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise BackupError(
            f"{cmd[0]} is not installed: install the PostgreSQL client tools "
            "(apt-get install postgresql-client) matching the server's major version."
        ) from exc
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {result.stderr.strip()[:2000]}")


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files() -> list[Path]:
    root = _media_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# --- backup -------------------------------------------------------------------------------------


def _marker_write():
    from reviewhub.audit.choices import AuditAction
    from reviewhub.audit.services import audit_event_record

    with transaction.atomic():
        return audit_event_record(
            action=AuditAction.BACKUP, object_type="ops.backup", detail="backup marker"
        )


def backup_create(out: Path) -> tuple[Path, dict]:
    """Write a backup archive to ``out`` (a new file, or a directory to put a dated one in).

    Returns the archive path and its manifest. The archive appears only when complete.
    """
    kind = vendor()
    out = Path(out)
    if out.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        out = out / f"reviewhub-backup-{stamp}.tar.gz"
    if out.exists():
        raise BackupError(f"{out} exists already: choose a new file name.")
    if not out.parent.is_dir():
        raise BackupError(f"The folder {out.parent} does not exist.")
    marker = _marker_write()
    with tempfile.TemporaryDirectory(prefix=".reviewhub-backup-", dir=out.parent) as tmp:
        db_file = Path(tmp) / DB_PART[kind]
        if kind == "sqlite":
            database = _sqlite_snapshot(db_file)
        else:
            database = _pg_snapshot(db_file)
        if not _marker_in(database, marker.pk):
            raise BackupError("The backup marker is missing from the copy: backup abandoned.")
        parts = {DB_PART[kind]: {"sha256": sha256_file(db_file), "bytes": db_file.stat().st_size}}
        media = _media_files()
        root = _media_root()
        for path in media:
            name = MEDIA_PREFIX + path.relative_to(root).as_posix()
            parts[name] = {"sha256": sha256_file(path), "bytes": path.stat().st_size}
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_utc": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "reviewhub_version": reviewhub_version(),
            "database": {
                "vendor": kind,
                "part": DB_PART[kind],
                "tables": database["counts"],
                "rows": sum(database["counts"].values()),
                **({"integrity_check": "ok"} if kind == "sqlite" else {}),
            },
            "marker": {
                "audit_event_id": marker.pk,
                "at": marker.at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            },
            "media": {"files": len(media), "bytes": sum(p.stat().st_size for p in media)},
            "parts": parts,
        }
        manifest_file = Path(tmp) / MANIFEST
        manifest_file.write_text(json.dumps(manifest, indent=2, sort_keys=True), "utf-8")
        partial = Path(tmp) / "archive.tar.gz"
        # Backups hold case records: readable by the owner only.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(manifest_file, arcname=MANIFEST, recursive=False)
            tar.add(db_file, arcname=DB_PART[kind], recursive=False)
            for path in media:
                tar.add(path, arcname=MEDIA_PREFIX + path.relative_to(root).as_posix())
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, out)
    return out, manifest


def _sqlite_snapshot(target: Path) -> dict:
    source_path = _sqlite_path()
    if not source_path.exists():
        raise BackupError(f"The database {source_path} does not exist.")
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        # The online backup API copies a consistent snapshot while others keep writing.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        result = copy.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise BackupError(f"The copy failed its integrity check: {result[:5]}")
        counts = _sqlite_counts(copy)
        marker_rows = copy.execute(
            "SELECT id FROM audit_auditevent WHERE action = 'backup' ORDER BY id DESC LIMIT 50"
        ).fetchall()
    finally:
        copy.close()
        source.close()
    return {"counts": counts, "markers": {r[0] for r in marker_rows}}


def _pg_snapshot(target: Path) -> dict:
    from psycopg import IsolationLevel

    conn = _pg_connect()
    try:
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        # Count and dump from one exported snapshot, so the manifest describes exactly the dump.
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = _pg_counts(conn)
        markers = {
            r[0]
            for r in conn.execute(
                "SELECT id FROM audit_auditevent WHERE action = 'backup' ORDER BY id DESC LIMIT 50"
            ).fetchall()
        }
        _run(["pg_dump", "-Fc", f"--snapshot={snapshot}", "--file", str(target)])
        conn.rollback()
    finally:
        conn.close()
    return {"counts": counts, "markers": markers}


def _marker_in(database: dict, marker_id: int) -> bool:
    return marker_id in database["markers"]


# --- restore ------------------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and "\x00" not in name
    )


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError as exc:
        raise BackupError("This is not a ReviewHub backup: it has no manifest.json.") from exc
    if not member.isfile() or member.size > 50 * 1024 * 1024:
        raise BackupError("The backup's manifest is not a plain file of sensible size.")
    try:
        manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError("The backup's manifest is not valid JSON.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This is not a ReviewHub backup (unknown manifest format).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup has format version {manifest.get('format_version')!r}; this ReviewHub "
            f"reads version {FORMAT_VERSION}."
        )
    for key in ("database", "marker", "parts"):
        if not isinstance(manifest.get(key), dict):
            raise BackupError(f"The backup's manifest has no valid {key!r} section.")
    return manifest


def _extract_verified(tar: tarfile.TarFile, manifest: dict, into: Path) -> dict[str, Path]:
    """Extract every part listed in the manifest, checking names, sizes and checksums."""
    parts = manifest["parts"]
    found: dict[str, Path] = {}
    for member in tar.getmembers():
        name = member.name
        if name == MANIFEST:
            continue
        if not _safe_member_name(name) or not member.isfile():
            raise BackupError(f"The backup holds an unsafe entry ({name!r}): refused.")
        if name not in parts:
            raise BackupError(f"The backup holds {name!r}, which its manifest does not list.")
        expected = parts[name]
        target = into / "parts" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        source = tar.extractfile(member)
        with open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > int(expected.get("bytes", 0)):
                    raise BackupError(f"{name} is larger than its manifest says: refused.")
                digest.update(chunk)
                out.write(chunk)
        if size != expected.get("bytes") or digest.hexdigest() != expected.get("sha256"):
            raise BackupError(f"{name} does not match its checksum in the manifest.")
        found[name] = target
    missing = sorted(set(parts) - set(found))
    if missing:
        raise BackupError(f"The backup is missing parts its manifest lists: {missing[:5]}")
    return found


def target_is_empty() -> tuple[bool, str]:
    """Tell whether the configured database and MEDIA_ROOT are empty (a restore needs both)."""
    kind = vendor()
    connections["default"].close()
    if kind == "sqlite":
        path = _sqlite_path()
        if path.exists() and path.stat().st_size > 0:
            conn = sqlite3.connect(path)
            try:
                tables = _sqlite_tables(conn)
            finally:
                conn.close()
            if tables:
                return False, f"the database {path} already has {len(tables)} tables"
    else:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
            tables = cursor.fetchone()[0]
        connections["default"].close()
        if tables:
            name = settings.DATABASES["default"]["NAME"]
            return False, f"the PostgreSQL database {name} already has {tables} tables"
    if _media_files():
        return False, f"the uploads folder {_media_root()} already holds files"
    return True, ""


def _unpack(archive: Path, into: Path) -> tuple[dict, dict[str, Path]]:
    """Read the manifest, check the target is empty, and extract the verified parts."""
    kind = vendor()
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            manifest = _read_manifest(tar)
            db_meta = manifest["database"]
            if db_meta.get("vendor") != kind:
                raise BackupError(
                    f"This is a {db_meta.get('vendor')} backup, but ReviewHub is configured for "
                    f"{kind}: restore it into a {db_meta.get('vendor')} database."
                )
            empty, why = target_is_empty()
            if not empty:
                raise BackupError(
                    f"Refusing to restore: {why}. Restore only into a new, empty database and "
                    "an empty uploads folder, so nothing is overwritten or mixed."
                )
            files = _extract_verified(tar, manifest, into)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{archive} is not a readable backup archive: {exc}") from exc
    if DB_PART[kind] not in files:
        raise BackupError("The backup has no database part.")
    return manifest, files


def restore(archive: Path) -> RestoreReport:
    """Restore ``archive`` into the configured (empty) database and MEDIA_ROOT, then verify."""
    kind = vendor()
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file.")
    with tempfile.TemporaryDirectory(prefix=".reviewhub-restore-") as tmp:
        manifest, files = _unpack(archive, Path(tmp))
        db_file = files[DB_PART[kind]]
        report = RestoreReport(manifest=manifest)
        connections["default"].close()
        if kind == "sqlite":
            _sqlite_restore(db_file, report)
        else:
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-acl",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                    _pg_settings()["dbname"],
                    str(db_file),
                ]
            )
            conn = _pg_connect()
            try:
                counts = _pg_counts(conn)
                marker = _pg_marker(conn, manifest["marker"].get("audit_event_id"))
            finally:
                conn.close()
            _compare(report, counts, marker)
        media = {n: p for n, p in files.items() if n.startswith(MEDIA_PREFIX)}
        root = _media_root()
        for name, path in media.items():
            dest = root / name[len(MEDIA_PREFIX) :]
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
            if sha256_file(dest) != manifest["parts"][name]["sha256"]:
                report.problems.append(f"uploaded file {name} differs after copying")
        report.media_files = len(media)
        report.checks.append(f"{len(media)} uploaded files restored, checksums match")
    if report.ok:
        _restore_audit(manifest)
    return report


def _sqlite_restore(db_file: Path, report: RestoreReport) -> None:
    source = sqlite3.connect(db_file)
    target = sqlite3.connect(_sqlite_path())
    try:
        source.backup(target)
        result = target.execute("PRAGMA integrity_check").fetchall()
        if result == [("ok",)]:
            report.checks.append("SQLite integrity_check: ok")
        else:
            report.problems.append(f"SQLite integrity_check failed: {result[:5]}")
        counts = _sqlite_counts(target)
        row = target.execute(
            "SELECT at FROM audit_auditevent WHERE id = ? AND action = 'backup'",
            (report.manifest["marker"].get("audit_event_id"),),
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"the restored database cannot be read: {exc}")
        return
    finally:
        target.close()
        source.close()
    _compare(report, counts, row is not None)


def _pg_marker(conn, marker_id) -> bool:
    row = conn.execute(
        "SELECT 1 FROM audit_auditevent WHERE id = %s AND action = 'backup'", (marker_id,)
    ).fetchone()
    return row is not None


def _compare(report: RestoreReport, counts: dict[str, int], marker_found: bool) -> None:
    expected = report.manifest["database"].get("tables") or {}
    report.tables = len(counts)
    report.rows = sum(counts.values())
    for table in sorted(set(expected) | set(counts)):
        want, got = expected.get(table), counts.get(table)
        if want != got:
            report.problems.append(f"table {table}: {got} rows restored, manifest says {want}")
    if not any(p.startswith("table ") for p in report.problems):
        report.checks.append(f"row counts match the manifest ({len(counts)} tables)")
    marker_id = report.manifest["marker"].get("audit_event_id")
    if marker_found:
        report.checks.append(f"backup marker (audit event {marker_id}) present")
    else:
        report.problems.append(f"backup marker (audit event {marker_id}) missing")


def _restore_audit(manifest: dict) -> None:
    from reviewhub.audit.choices import AuditAction
    from reviewhub.audit.services import audit_event_record

    connections["default"].close()
    with transaction.atomic():
        audit_event_record(
            action=AuditAction.RESTORE,
            object_type="ops.backup",
            object_id=str(manifest["marker"].get("audit_event_id", "")),
            detail=f"restored backup made {manifest.get('created_utc', '')}",
        )
