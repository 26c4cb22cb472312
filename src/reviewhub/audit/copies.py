"""Copy audit events to separate storage, and check the database against that copy (ASVS 16.4.3).

``copy_events(DIR)`` appends the events written since the last copy to dated JSON-lines files,
``audit-YYYY-MM-DD.jsonl`` (by event time, UTC), one event a line with every field, its
``prev_hash`` and ``hash``. ``audit-copy-state.json`` records the last id and hash copied. Only
events whose chain verifies are written: the new events must follow the last copied hash.

Crash safety: before a run appends to a file it records the file's size in the state file
(``pending``); the new state replaces it only after the lines are flushed to disk. A run that
finds ``pending`` left by an interrupted run cuts the files back to those sizes first, so running
again never duplicates or half-writes a line. A lock file keeps two runs apart.

The files only ever grow, and file names never go backwards: an event whose date is earlier than
the last file written (a clock set back) goes into that last file, so reading the files in name
order gives the events in id order.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from . import chain

STATE = "audit-copy-state.json"
LOCK = ".audit-copy.lock"
FILE = re.compile(r"^audit-(\d{4}-\d{2}-\d{2})\.jsonl$")


class CopyError(Exception):
    """The copy cannot be made or read, or does not match the database."""


@dataclass
class CopyReport:
    copied: int = 0
    first_id: int | None = None
    last_id: int = 0
    files: tuple[str, ...] = ()


def _record(row: dict) -> dict:
    out = dict(row)
    out["at"] = chain.at_text(row["at"])
    out["ip"] = None if row["ip"] in (None, "") else str(row["ip"])
    out["changed_fields"] = list(row["changed_fields"] or [])
    return out


def _line(row: dict) -> bytes:
    return (json.dumps(_record(row), sort_keys=True, ensure_ascii=True) + "\n").encode("ascii")


def _load_state(folder: Path) -> dict:
    path = folder / STATE
    if not path.exists():
        return {"last_id": 0, "last_hash": None, "last_file": "", "pending": {}}
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise CopyError(f"cannot read {path}: {exc}") from exc


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _save_state(folder: Path, state: dict) -> None:
    """Replace the state file atomically (write, fsync, rename, fsync the folder)."""
    tmp = folder / (STATE + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(state, fh, sort_keys=True, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / STATE)
    _fsync_dir(folder)


def _roll_back(folder: Path, state: dict) -> None:
    """Cut files back to the sizes recorded before an interrupted run appended to them."""
    for name, size in (state.get("pending") or {}).items():
        path = folder / name
        if not FILE.match(name) or not path.exists():
            continue
        if size == 0:
            path.unlink()
        else:
            with open(path, "r+b") as fh:
                fh.truncate(size)
                os.fsync(fh.fileno())
    state["pending"] = {}
    _save_state(folder, state)


@contextmanager
def _locked(folder: Path):
    fd = os.open(folder / LOCK, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CopyError(f"another copy into {folder} is running") from None
        yield
    finally:
        os.close(fd)


def copy_events(folder: str | Path) -> CopyReport:
    """Append the events written since the last copy into ``folder``; refuse on a broken chain."""
    from .models import AuditEvent

    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _locked(folder):
        state = _load_state(folder)
        if state.get("pending"):
            _roll_back(folder, state)
        state.setdefault("pending", {})
        upto = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        anchors = chain.purge_anchors() if state["last_hash"] is None else {}
        report = CopyReport(last_id=state["last_id"])
        handles: dict[str, object] = {}
        last_file = state.get("last_file", "")
        last_hash = state["last_hash"]
        try:
            rows = chain.iter_rows(after_id=state["last_id"], upto_id=upto)
            for row in chain.walk(rows, prev_hash=last_hash, anchors=anchors):
                name = max(f"audit-{chain.at_text(row['at'])[:10]}.jsonl", last_file)
                if name not in handles:
                    path = folder / name
                    state["pending"][name] = path.stat().st_size if path.exists() else 0
                    _save_state(folder, state)
                    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                    handles[name] = os.fdopen(fd, "ab")
                handles[name].write(_line(row))
                last_file, last_hash = name, row["hash"]
                report.copied += 1
                report.first_id = report.first_id or row["id"]
                report.last_id = row["id"]
        except chain.ChainBroken as exc:
            for fh in handles.values():
                fh.close()
            _roll_back(folder, state)
            raise CopyError(f"nothing copied: {exc}") from exc
        for fh in handles.values():
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        if handles:
            _fsync_dir(folder)
        report.files = tuple(sorted(handles))
        state.update(last_id=report.last_id, last_hash=last_hash, last_file=last_file, pending={})
        _save_state(folder, state)
        return report


def read_copy(folder: str | Path):
    """Yield the copied events in id order, checking the copy's own chain as it goes.

    Lines an interrupted run appended (beyond the sizes in ``pending``) are not part of the copy.
    """
    folder = Path(folder)
    if not (folder / STATE).exists():
        raise CopyError(f"{folder} holds no audit copy ({STATE} missing)")
    state = _load_state(folder)
    pending = state.get("pending") or {}
    names = sorted(p.name for p in folder.iterdir() if FILE.match(p.name))

    def records():
        for name in names:
            limit = pending.get(name)
            with open(folder / name, "rb") as fh:
                data = fh.read() if limit is None else fh.read(limit)
            for number, line in enumerate(data.splitlines(), 1):
                try:
                    yield json.loads(line)
                except ValueError as exc:
                    raise CopyError(f"{name} line {number} is not valid JSON") from exc

    last_id = 0
    expected = None
    for rec in records():
        if not isinstance(rec, dict) or not isinstance(rec.get("id"), int):
            raise CopyError("a copied line has no event id")
        if rec["id"] <= last_id:
            raise CopyError(f"copied event {rec['id']} is out of order or repeated")
        if expected is not None and rec.get("prev_hash") != expected:
            raise CopyError(f"the copy's chain is broken at event {rec['id']}")
        try:
            ok = chain.event_hash(rec, rec["prev_hash"]) == rec.get("hash")
        except (KeyError, TypeError, ValueError):
            ok = False
        if not ok:
            raise CopyError(f"copied event {rec['id']} does not match its hash (copy altered)")
        last_id, expected = rec["id"], rec["hash"]
        yield rec


def _recorded_at(rec: dict) -> datetime:
    """The time a copied event was recorded (its ``at``, ISO 8601 with a UTC offset)."""
    try:
        return datetime.fromisoformat(rec["at"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CopyError(f"copied event {rec.get('id')} has no readable time") from exc


def verify_against_copy(folder: str | Path) -> tuple[int, int]:
    """Compare the database with the copy, event by event; raise ChainBroken naming the first
    event that differs, was deleted from the database, or is missing from the copy.

    Returns (events compared, copied events no longer in the database: purged). Run after
    ``chain.verify()``, which checks the database's own chain.
    """
    from reviewhub.ops.retention import schedule

    purge_horizon = timezone.now() - relativedelta(years=schedule()["audit_years"])
    db_rows = chain.iter_rows()
    db = next(db_rows, None)
    compared = purged = 0
    before_first = None  # the last copied event older than the database's first
    for rec in read_copy(folder):
        if db is None:
            raise chain.ChainBroken(
                rec["id"], "it was copied but is missing from the database (deleted)"
            )
        if compared == 0 and rec["id"] < db["id"]:
            # Missing from the database: only the retention purge may have removed it, and only
            # once it was old enough; a younger event missing was deleted.
            if _recorded_at(rec) >= purge_horizon:
                raise chain.ChainBroken(
                    rec["id"], "it was copied but is missing from the database (deleted)"
                )
            purged += 1
            before_first = rec
            continue
        if compared == 0 and before_first is not None and db["prev_hash"] != before_first["hash"]:
            raise chain.ChainBroken(
                db["id"], "the events before it differ from the copy (deleted or changed)"
            )
        if db["id"] < rec["id"]:
            raise chain.ChainBroken(
                db["id"], "it is in the database but not in the copy (inserted)"
            )
        if rec["id"] < db["id"]:
            raise chain.ChainBroken(
                rec["id"], "it was copied but is missing from the database (deleted)"
            )
        if db["hash"] != rec["hash"] or chain.event_hash(db, db["prev_hash"]) != rec["hash"]:
            raise chain.ChainBroken(
                db["id"], "it differs from its copy (changed in the database after it was copied)"
            )
        compared += 1
        db = next(db_rows, None)
    return compared, purged
