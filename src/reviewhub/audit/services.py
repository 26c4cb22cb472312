"""Write audit events. Every service calls ``audit_event_record`` inside its own transaction."""

import logging
import re
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DatabaseError, transaction
from django.utils import timezone

from . import chain, context
from .choices import Outcome
from .models import AuditEvent

logger = logging.getLogger("reviewhub.audit")

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# Events held back by ``audit_batch`` (None: write each event at once).
_pending: ContextVar[list | None] = ContextVar("reviewhub_audit_pending", default=None)


class AuditUnavailable(Exception):
    """The audit event could not be written, so the action must not happen (fail closed)."""


def clean_text(value: str, limit: int) -> str:
    """Strip control and bidi characters so a value cannot forge log lines (ASVS 16.4.1)."""
    return _CONTROL.sub(" ", str(value or ""))[:limit]


def audit_event_record(
    *,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    outcome: str = Outcome.SUCCESS,
    changed_fields=(),
    detail: str = "",
    user=None,
    partnership_id: int | None = None,
) -> AuditEvent:
    """Record one event for the current request's user (or ``user``), failing closed.

    Call it inside the transaction of the change it records, so both commit or neither does.
    The event joins the hash chain (chain.py): the newest hash is read and the event inserted
    under the chain's lock, which is held until that transaction ends, so chained writers take
    turns. Its time is taken under the lock too, so times follow ids.
    """
    ctx = context.get()
    actor = user if user is not None else ctx.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if partnership_id is None:
            partnership_id = getattr(obj, "partnership_id", None)
    if partnership_id is None:
        partnership_id = ctx.partnership_id
    roles = ""
    agency = ""
    if actor is not None:
        memberships = list(actor.memberships.select_related("agency"))
        roles = ",".join(sorted({m.role for m in memberships}))
        agency = ",".join(sorted({m.agency.name for m in memberships if m.agency_id}))
    values = {
        "user_id": getattr(actor, "pk", None),
        "username": clean_text(getattr(actor, "username", ""), 150),
        "user_display": clean_text(str(actor) if actor is not None else "", 300),
        "roles": roles[:300],
        "agency": clean_text(agency, 300),
        "partnership_id": partnership_id,
        "request_id": ctx.request_id,
        "action": action,
        "object_type": clean_text(object_type, 100),
        "object_id": clean_text(object_id, 64),
        "outcome": outcome,
        "ip": ctx.ip,
        "changed_fields": sorted(str(f) for f in changed_fields),
        "detail": clean_text(detail, 500),
    }
    pending = _pending.get()
    if pending is not None:
        pending.append(values)
        return AuditEvent(**values)
    return _write_chained([values])[0]


def _write_chained(rows: list[dict]) -> list[AuditEvent]:
    """Insert events in order under the chain's lock, each hashed onto the one before."""
    try:
        # No savepoint: if the insert fails the enclosing transaction must roll back anyway.
        with transaction.atomic(savepoint=False):
            chain.lock()
            prev_hash = chain.head()
            out = []
            for values in rows:
                values["at"] = timezone.now()
                event = AuditEvent.objects.create(
                    **values, prev_hash=prev_hash, hash=chain.event_hash(values, prev_hash)
                )
                prev_hash = event.hash
                out.append(event)
            return out
    except DatabaseError as exc:
        logger.error("audit write failed: %s", type(exc).__name__)
        raise AuditUnavailable("The audit log could not be written.") from exc


@contextmanager
def audit_batch():
    """Hold the events recorded inside the block and write them, chained, when it ends.

    For long all-or-nothing services (a learning import audits every point it creates): the
    chain's lock is then taken only for the final inserts instead of from the first event to the
    commit, so other audited requests do not queue behind the import on PostgreSQL. Use it inside
    the service's transaction; if the block raises, nothing is written (and the transaction rolls
    back). Nested batches write with the outermost one. Events are held per block, not per
    savepoint: do not catch an error from an inner atomic block inside a batch.
    """
    if not transaction.get_connection().in_atomic_block:
        # Outside a transaction the held events would be written after the change committed.
        raise RuntimeError("audit_batch must run inside the service's transaction")
    if _pending.get() is not None:
        yield
        return
    rows: list[dict] = []
    token = _pending.set(rows)
    try:
        yield
    finally:
        _pending.reset(token)
    if rows:
        _write_chained(rows)


def changed(before: dict, after: dict) -> list[str]:
    """Name the fields whose values differ, without keeping the values."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
