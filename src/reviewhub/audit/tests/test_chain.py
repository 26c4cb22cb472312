"""The hash chain over audit events: built on every insert, verified, kept across the purge, and
copied to separate storage where a later change in the database shows up (plan item E5)."""

import json
import threading
from datetime import UTC, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from reviewhub.audit import chain
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.copies import STATE
from reviewhub.audit.maintenance import audit_maintenance
from reviewhub.audit.models import AuditEvent
from reviewhub.audit.services import audit_event_record

pytestmark = pytest.mark.django_db


def _events(n, **kw):
    return [
        audit_event_record(
            action=AuditAction.VIEW, object_type="cases.case", object_id=str(i), **kw
        )
        for i in range(n)
    ]


def _verify(*args):
    """Run ``reviewhub audit verify``; return its output, or raise CommandError."""
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def _broken_at(*args) -> str:
    with pytest.raises(CommandError) as caught:
        _verify(*args)
    return str(caught.value)


def _update(pk, **fields):
    """Change a row past the append-only guard, as someone with the database would."""
    with audit_maintenance(), transaction.atomic():
        AuditEvent.objects.filter(pk=pk).update(**fields)


def _rehash_from(pk):
    """Recompute every hash from ``pk`` on: a forger covering their tracks in the database."""
    rows = list(AuditEvent.objects.filter(id__gte=pk).order_by("id").values(*chain.ROW_FIELDS))
    prev = AuditEvent.objects.filter(id__lt=pk).order_by("-id").values_list("hash", flat=True)
    prev = prev.first() or chain.GENESIS
    for row in rows:
        digest = chain.event_hash(row, prev)
        _update(row["id"], prev_hash=prev, hash=digest)
        prev = digest


def test_each_insert_joins_the_chain(world):
    first, second, third = _events(3, user=world.users["administrator"])
    rows = list(AuditEvent.objects.order_by("id").values(*chain.ROW_FIELDS))
    assert rows[0]["prev_hash"] == chain.GENESIS
    for before, after in zip(rows, rows[1:], strict=False):
        assert after["prev_hash"] == before["hash"]
    for row in rows:
        assert len(row["hash"]) == 64
        assert chain.event_hash(row, row["prev_hash"]) == row["hash"]  # as stored, read back
    assert third.prev_hash == second.hash and second.prev_hash == first.hash
    assert chain.head() == third.hash
    # Times are taken under the chain's lock, so they follow ids.
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)


def test_the_hash_covers_every_field():
    (event,) = _events(1)
    row = AuditEvent.objects.values(*chain.ROW_FIELDS).get(pk=event.pk)
    base = chain.event_hash(row, row["prev_hash"])
    changes = {
        "at": row["at"] + timedelta(microseconds=1),
        "user_id": 99,
        "username": "x",
        "user_display": "x",
        "roles": "x",
        "agency": "x",
        "partnership_id": 99,
        "request_id": "x",
        "action": "x",
        "object_type": "x",
        "object_id": "x",
        "outcome": "x",
        "ip": "10.0.0.1",
        "changed_fields": ["x"],
        "detail": "x",
    }
    assert set(changes) == set(chain.FIELDS)
    for name, value in changes.items():
        assert chain.event_hash({**row, name: value}, row["prev_hash"]) != base, name
    assert chain.event_hash(row, "0" * 64) != base


def test_verify_passes_on_a_clean_log_and_names_an_altered_event(world):
    events = _events(5, user=world.users["business_unit"])
    assert "Audit chain intact" in _verify()
    _update(events[2].pk, detail="nothing to see")
    message = _broken_at()
    assert f"event {events[2].pk}:" in message and "changed" in message


def test_an_altered_event_with_its_hash_recomputed_breaks_the_link_after_it(world):
    events = _events(4)
    target = AuditEvent.objects.values(*chain.ROW_FIELDS).get(pk=events[1].pk)
    target["username"] = "someone-else"
    _update(
        events[1].pk, username="someone-else", hash=chain.event_hash(target, target["prev_hash"])
    )
    message = _broken_at()
    assert f"event {events[2].pk}:" in message and "does not follow" in message


def test_a_deleted_middle_event_is_detected(world):
    events = _events(5)
    with audit_maintenance(), transaction.atomic():
        AuditEvent.objects.filter(pk=events[2].pk).delete()
    message = _broken_at()
    assert f"event {events[3].pk}:" in message


def test_an_event_inserted_outside_reviewhub_is_detected(world):
    _events(2)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, username, user_display, roles, agency, request_id,"
            " action, object_type, object_id, outcome, changed_fields, detail) VALUES"
            " (%s, 'forger', '', '', '', '', 'view', 'cases.case', '1', 'success', '[]', '')",
            [timezone.now()],
        )
    forged = AuditEvent.objects.latest("id")
    message = _broken_at()
    assert f"event {forged.pk}:" in message


def test_the_retention_purge_keeps_the_chain_verifiable(world, monkeypatch):
    from reviewhub.ops.retention import purge

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() - timedelta(days=365 * 8))
    old = _events(4)
    monkeypatch.setattr(timezone, "now", real_now)
    recent = _events(3)
    assert AuditEvent.objects.filter(at__lt=old[-1].at + timedelta(seconds=1)).count() >= 4
    report = purge()
    assert report.audit_events >= 4
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    survivors = list(AuditEvent.objects.order_by("id"))
    assert survivors[0].pk == recent[0].pk
    assert survivors[0].prev_hash == old[-1].hash  # the anchor
    purge_event = AuditEvent.objects.get(action="purge", object_type="audit.auditevent")
    assert f"chain anchor: event {old[-1].pk} hash {old[-1].hash}" in purge_event.detail
    output = _verify()
    assert f"continues from event {old[-1].pk}" in output
    # Deleting the oldest survivor without the purge is not covered by any anchor.
    with audit_maintenance(), transaction.atomic():
        AuditEvent.objects.filter(pk=recent[0].pk).delete()
    message = _broken_at()
    assert f"event {recent[1].pk}:" in message and "no retention purge" in message


@pytest.mark.django_db(transaction=True)
def test_the_migration_backfills_existing_events_and_keeps_the_guard():
    """Migration 0004 hashes rows written before the chain existed, in id order."""
    from django.db.migrations.executor import MigrationExecutor

    MigrationExecutor(connection).migrate([("audit", "0003_alter_auditevent_action")])
    try:
        with connection.cursor() as cursor:
            for i, ip in enumerate(["127.0.0.1", "2001:DB8::1", None]):
                cursor.execute(
                    "INSERT INTO audit_auditevent (at, user_id, username, user_display, roles,"
                    " agency, partnership_id, request_id, action, object_type, object_id, outcome,"
                    " ip, changed_fields, detail) VALUES (%s, 7, 'old', 'Old User', 'analyst', '',"
                    " 3, 'abc', 'change', 'cases.case', %s, 'success', %s, %s, 'before')",
                    [timezone.now(), str(i), ip, json.dumps(["title", "stage"])],
                )
    finally:
        MigrationExecutor(connection).migrate([("audit", "0004_hash_chain")])
    rows = list(AuditEvent.objects.order_by("id"))
    assert len(rows) == 3 and rows[0].prev_hash == chain.GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert chain.verify().events == 3
    event = audit_event_record(action=AuditAction.VIEW, object_type="x.y")
    assert event.prev_hash == rows[-1].hash and chain.verify().events == 4
    with pytest.raises(DatabaseError), transaction.atomic():  # the guard survived the migration
        AuditEvent.objects.filter(pk=rows[0].pk).update(detail="x")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL here"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_keep_one_chain():
    per_thread, threads = 60, 3
    barrier = threading.Barrier(threads)
    errors = []

    def writer(n):
        try:
            barrier.wait()
            for i in range(per_thread):
                audit_event_record(action=AuditAction.VIEW, object_type="t.t", object_id=f"{n}-{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors
    report = chain.verify()
    assert report.events == per_thread * threads
    hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(set(hashes)) == len(hashes), "two events follow the same one: the chain forked"


def _copy(folder):
    from io import StringIO

    out = StringIO()
    call_command("audit", "copy", str(folder), stdout=out)
    return out.getvalue()


def _lines(folder):
    return [
        json.loads(line)
        for path in sorted(folder.glob("audit-*.jsonl"))
        for line in path.read_text().splitlines()
    ]


def test_copy_is_incremental_and_idempotent(world, tmp_path):
    folder = tmp_path / "offsite"
    events = _events(3, user=world.users["analyst"])
    total = AuditEvent.objects.count()
    assert f"Copied {total} events" in _copy(folder)
    copied = _lines(folder)
    assert [r["id"] for r in copied] == list(
        AuditEvent.objects.order_by("id").values_list("id", flat=True)
    )
    last = copied[-1]
    assert last["id"] == events[-1].pk and last["hash"] == events[-1].hash
    assert last["username"] == "analyst-user" and last["at"].endswith("Z")
    today = f"audit-{timezone.now().astimezone(UTC).date()}.jsonl"
    assert (folder / today).exists()
    assert (folder / today).stat().st_mode & 0o077 == 0
    state = json.loads((folder / STATE).read_text())
    assert state["last_id"] == events[-1].pk and state["last_hash"] == events[-1].hash

    assert "Nothing new to copy" in _copy(folder)
    assert _lines(folder) == copied

    more = _events(2)
    assert "Copied 2 events" in _copy(folder)
    assert [r["id"] for r in _lines(folder)] == [r["id"] for r in copied] + [e.pk for e in more]
    assert "Copy matches" in _verify("--copy", str(folder))


def test_verify_copy_detects_an_event_changed_after_it_was_copied(world, tmp_path):
    folder = tmp_path / "offsite"
    events = _events(4)
    _copy(folder)
    _update(events[1].pk, object_id="999")
    _rehash_from(events[1].pk)  # the database's own chain now verifies again...
    assert "Audit chain intact" in _verify()
    message = _broken_at("--copy", str(folder))  # ...but not against the copy
    assert f"event {events[1].pk}:" in message and "after it was copied" in message


def test_verify_copy_detects_deleted_and_purged_events(world, tmp_path, monkeypatch):
    from reviewhub.ops.retention import purge

    folder = tmp_path / "offsite"
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() - timedelta(days=365 * 8))
    _events(2)
    monkeypatch.setattr(timezone, "now", real_now)
    events = _events(4)
    _copy(folder)
    purge()
    assert "since purged from the database" in _verify("--copy", str(folder))
    with audit_maintenance(), transaction.atomic():
        AuditEvent.objects.filter(pk=events[2].pk).delete()
    _rehash_from(events[3].pk)
    message = _broken_at("--copy", str(folder))
    assert f"event {events[2].pk}:" in message and "missing from the database" in message


def test_copy_refuses_when_the_chain_is_broken(world, tmp_path):
    folder = tmp_path / "offsite"
    _events(2)
    _copy(folder)
    before = _lines(folder)
    state = (folder / STATE).read_text()
    events = _events(3)
    _update(events[1].pk, detail="altered before copying")
    with pytest.raises(CommandError) as caught:
        _copy(folder)
    assert f"event {events[1].pk}:" in str(caught.value) and "nothing copied" in str(caught.value)
    assert _lines(folder) == before
    assert (folder / STATE).read_text() == state


def test_copy_recovers_from_an_interrupted_run(world, tmp_path):
    folder = tmp_path / "offsite"
    _events(2)
    _copy(folder)
    before = _lines(folder)
    (path,) = folder.glob("audit-*.jsonl")
    # A run that died after recording the file's size and appending half a line.
    state = json.loads((folder / STATE).read_text())
    state["pending"] = {path.name: path.stat().st_size}
    (folder / STATE).write_text(json.dumps(state))
    with path.open("a") as fh:
        fh.write('{"id": 99999, "half a line')
    assert "Copy matches" in _verify("--copy", str(folder))  # unconfirmed lines are ignored
    more = _events(1)
    _copy(folder)
    assert [r["id"] for r in _lines(folder)] == [r["id"] for r in before] + [more[0].pk]


def test_verify_copy_detects_an_altered_copy(world, tmp_path):
    folder = tmp_path / "offsite"
    _events(3)
    _copy(folder)
    (path,) = folder.glob("audit-*.jsonl")
    lines = path.read_text().splitlines()
    record = json.loads(lines[-1])
    record["detail"] = "rewritten"
    lines[-1] = json.dumps(record, sort_keys=True)
    path.write_text("\n".join(lines) + "\n")
    message = _broken_at("--copy", str(folder))
    assert f"copied event {record['id']} does not match its hash" in message


def test_a_batch_writes_its_events_chained_when_it_ends_and_nothing_if_it_fails(world):
    from reviewhub.audit.services import audit_batch

    before = AuditEvent.objects.count()
    with transaction.atomic(), audit_batch():
        _events(3)
        assert AuditEvent.objects.count() == before  # held back until the block ends
    assert AuditEvent.objects.count() == before + 3
    assert chain.verify().events == before + 3
    with pytest.raises(RuntimeError), transaction.atomic(), audit_batch():
        _events(2)
        raise RuntimeError("the import failed")
    assert AuditEvent.objects.count() == before + 3


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL here"
)
@pytest.mark.django_db(transaction=True)
def test_a_long_batch_does_not_hold_the_chain_lock_while_it_works():
    """Another request's audited read is written while a long import is still running."""
    from reviewhub.audit.services import audit_batch

    inside, other_done = threading.Event(), threading.Event()
    errors = []

    def other():
        try:
            inside.wait(10)
            audit_event_record(action=AuditAction.VIEW, object_type="cases.case", object_id="1")
            other_done.set()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    worker = threading.Thread(target=other)
    worker.start()
    with transaction.atomic(), audit_batch():
        _events(5)
        inside.set()
        # Without the batch this transaction would hold the lock and the other writer would wait.
        assert other_done.wait(10), "the other audited request waited for the import"
    worker.join()
    assert not errors
    assert chain.verify().events == 6


def test_verify_copy_refuses_young_copied_events_passed_off_as_purged(world, tmp_path):
    """Deleting recent copied events and forging a purge anchor fools the chain, not the copy."""
    folder = tmp_path / "offsite"
    events = _events(4)
    _copy(folder)
    with audit_maintenance(), transaction.atomic():
        removed, anchor = chain.purge_events_before(events[2].at)  # as a forger would
        audit_event_record(action=AuditAction.PURGE, object_type="audit.auditevent", detail=anchor)
    assert removed == 2
    _verify()  # the chain alone accepts the forged anchor
    message = _broken_at("--copy", str(folder))
    assert f"event {events[0].pk}:" in message and "missing from the database" in message


def test_copy_into_a_file_instead_of_a_folder_is_a_clear_error(world, tmp_path):
    _events(1)
    target = tmp_path / "not-a-folder"
    target.write_text("x")
    with pytest.raises(CommandError, match="not-a-folder"):
        _copy(target)
