"""The hash chain over audit events, and its verifier (ASVS 16.4.2).

Each event stores ``prev_hash``, the ``hash`` of the event before it (by id), and its own ``hash``:
SHA-256 over a canonical serialisation of its fields and ``prev_hash``. Changing, deleting or
inserting a row therefore breaks the chain at that row or the one after it. The first event
ever written has ``prev_hash`` GENESIS (empty). The retention purge removes the oldest events as a
prefix and records, in its own chained ``purge`` event, the id and hash of the last event removed
(the anchor), so the first surviving event's ``prev_hash`` is still accounted for.

Anyone who can write the database could recompute every hash after a change; the daily copy to
separate storage (``copy.py``) is what catches that.

Writers keep the chain linear: ``audit_event_record`` reads the newest hash and inserts inside one
transaction that holds the write lock (SQLite's IMMEDIATE transactions) or a transaction-level
advisory lock (PostgreSQL), so two inserts cannot both follow the same event.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection

GENESIS = ""
# pg_advisory_xact_lock key for the audit chain: "RHaudit1" as a big-endian signed 64-bit number.
LOCK_KEY = int.from_bytes(b"RHaudit1", "big", signed=True)
# The fields the hash covers, in this order (never reorder: stored hashes depend on it). The id is
# left out on purpose: PostgreSQL assigns it during the insert, after the hash is computed; the
# chain's order (prev_hash) already fixes each event's position.
FIELDS = (
    "at",
    "user_id",
    "username",
    "user_display",
    "roles",
    "agency",
    "partnership_id",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "ip",
    "changed_fields",
    "detail",
)
ROW_FIELDS = ("id", *FIELDS, "prev_hash", "hash")
VERSION = "rh-audit-1"
ANCHOR_NOTE = "; chain anchor: event {id} hash {hash}"
_ANCHOR = re.compile(r"chain anchor: event (\d+) hash ([0-9a-f]{64})")


class ChainBroken(Exception):
    """The chain does not verify at ``event_id``."""

    def __init__(self, event_id: int, reason: str):
        super().__init__(f"audit chain broken at event {event_id}: {reason}")
        self.event_id = event_id
        self.reason = reason


def at_text(value) -> str:
    """The canonical text of an event time: UTC, microseconds, ``Z``."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _ip_text(value) -> str | None:
    # Databases differ in how they print an address (PostgreSQL's inet normalises IPv6), and so do
    # Python versions; the packed bytes are the same everywhere.
    if value in (None, ""):
        return None
    try:
        return ipaddress.ip_address(str(value)).packed.hex()
    except ValueError:
        return str(value)


def _int_or_none(value) -> int | None:
    return None if value is None else int(value)


def canonical(values: dict, prev_hash: str) -> bytes:
    """Serialise an event's fields the same way whether they come from Python, the database or a
    copy: a JSON array in a fixed order, ASCII only."""
    data = [
        VERSION,
        at_text(values["at"]),
        _int_or_none(values["user_id"]),
        str(values["username"]),
        str(values["user_display"]),
        str(values["roles"]),
        str(values["agency"]),
        _int_or_none(values["partnership_id"]),
        str(values["request_id"]),
        str(values["action"]),
        str(values["object_type"]),
        str(values["object_id"]),
        str(values["outcome"]),
        _ip_text(values["ip"]),
        [str(f) for f in (values["changed_fields"] or [])],
        str(values["detail"]),
        str(prev_hash),
    ]
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def event_hash(values: dict, prev_hash: str) -> str:
    """SHA-256 (hex) of an event's canonical serialisation."""
    return hashlib.sha256(canonical(values, prev_hash)).hexdigest()


def lock() -> None:
    """Serialise chain writers until this transaction ends (call inside ``transaction.atomic``).

    SQLite: nothing to do, ReviewHub's transactions are IMMEDIATE and so hold the database's one
    write lock from their start. PostgreSQL: a transaction-level advisory lock, released at commit
    or rollback, so the next writer reads the hash this one committed.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def head() -> str:
    """The hash of the newest event (one primary-key lookup), or GENESIS when there is none.

    Plain SQL: this runs on every audited request, and the ORM's query building cost a third
    as much again as the lookup itself.
    """
    from .models import AuditEvent

    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")  # noqa: S608 - a quoted model table name  # nosec B608
        newest = cursor.fetchone()
    return GENESIS if newest is None else newest[0]


def iter_rows(*, after_id: int = 0, upto_id: int | None = None, batch: int = 2000, model=None):
    """Yield events as dicts of ROW_FIELDS in id order, a batch at a time (keyset pagination,
    so a million rows never sit in memory and no long-lived cursor is needed)."""
    if model is None:
        from .models import AuditEvent as model
    last = after_id
    while True:
        qs = model.objects.filter(id__gt=last)
        if upto_id is not None:
            qs = qs.filter(id__lte=upto_id)
        rows = list(qs.order_by("id").values(*ROW_FIELDS)[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1]["id"]


def purge_anchors() -> dict[str, int]:
    """{hash: id} of every event the retention purge recorded as the last one it removed."""
    from .choices import AuditAction
    from .models import AuditEvent

    anchors = {}
    details = AuditEvent.objects.filter(
        object_type="audit.auditevent", action=AuditAction.PURGE
    ).values_list("detail", flat=True)
    for detail in details:
        match = _ANCHOR.search(detail)
        if match:
            anchors[match.group(2)] = int(match.group(1))
    return anchors


def purge_events_before(cutoff) -> tuple[int, str]:
    """Delete the oldest events, up to the first one at or after ``cutoff``; return how many went
    and the anchor note for the purge's own event. Call inside ``audit_maintenance()`` and a
    transaction.

    Deleting by id keeps the survivors a suffix of the chain even where event times are slightly
    out of id order (rows written before the chain existed); an event is never deleted early.
    The newest event is always kept, so the chain continues rather than starting again.
    """
    from .models import AuditEvent

    keep_from = (
        AuditEvent.objects.filter(at__gte=cutoff)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    if keep_from is None:
        keep_from = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    if keep_from is None:
        return 0, ""
    doomed = AuditEvent.objects.filter(id__lt=keep_from)
    last = doomed.order_by("-id").values_list("id", "hash").first()
    if last is None:
        return 0, ""
    deleted, _ = doomed.delete()
    return deleted, ANCHOR_NOTE.format(id=last[0], hash=last[1])


@dataclass
class ChainReport:
    """What a verification walked over."""

    events: int = 0
    first_id: int | None = None
    last_id: int | None = None
    last_hash: str = GENESIS
    anchor: str = "starts at the beginning of the log"


def walk(
    rows: Iterator[dict], *, prev_hash: str | None = None, anchors: dict[str, int] | None = None
) -> Iterator[dict]:
    """Check each row against its hash and its predecessor, yielding it once checked.

    ``prev_hash`` is the hash the first row must follow; None means the first row must start the
    log (GENESIS) or follow an anchor the retention purge recorded (``anchors``). Raises
    ChainBroken at the first row that does not verify.
    """
    anchors = anchors or {}
    expected = prev_hash
    for row in rows:
        if expected is None:
            if (
                row["prev_hash"] != GENESIS
                and anchors.get(row["prev_hash"], row["id"]) >= row["id"]
            ):
                raise ChainBroken(
                    row["id"],
                    "the events before it are missing and no retention purge recorded removing "
                    "them (deleted)",
                )
        elif row["prev_hash"] != expected:
            raise ChainBroken(
                row["id"],
                "it does not follow the event before it (that event was changed, or events "
                "were deleted or inserted before this one)",
            )
        if not row["hash"]:
            raise ChainBroken(row["id"], "it has no hash (inserted outside ReviewHub)")
        if event_hash(row, row["prev_hash"]) != row["hash"]:
            raise ChainBroken(row["id"], "its content does not match its hash (changed)")
        expected = row["hash"]
        yield row


def verify() -> ChainReport:
    """Recompute the chain over the database's events; raise ChainBroken at the first mismatch.

    The walk starts at the oldest event kept: after a retention purge, its ``prev_hash`` is the
    anchor the purge recorded, which the report names.
    """
    anchors = purge_anchors()
    report = ChainReport()
    for row in walk(iter_rows(), anchors=anchors):
        if report.first_id is None:
            report.first_id = row["id"]
            if row["prev_hash"] != GENESIS:
                report.anchor = (
                    f"continues from event {anchors.get(row['prev_hash'], '?')}, removed by the "
                    "retention purge"
                )
        report.events += 1
        report.last_id = row["id"]
        report.last_hash = row["hash"]
    return report
