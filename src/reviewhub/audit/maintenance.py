"""Guard the audit table against updates and deletes, with one audited way round for maintenance.

SQLite: the triggers call ``reviewhub_audit_locked()``, a function ReviewHub registers on each of
its own connections. Any other client (the sqlite3 shell, a script) lacks the function, so its
UPDATE or DELETE fails too. PostgreSQL: the trigger function allows a change only when the session
has set ``reviewhub.audit_maintenance`` to ``on``.

Maintenance (the retention purge of old events, and the test runner's flush) runs inside
``audit_maintenance()``; nothing else may.
"""

import threading
from contextlib import contextmanager

from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver

_state = threading.local()

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
       WHEN reviewhub_audit_locked() BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
       WHEN reviewhub_audit_locked() BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION reviewhub_audit_guard() RETURNS trigger AS $$
       BEGIN
         IF coalesce(current_setting('reviewhub.audit_maintenance', true), '') = 'on' THEN
           IF TG_OP = 'TRUNCATE' THEN RETURN NULL; END IF;
           IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
           RETURN NEW;
         END IF;
         RAISE EXCEPTION 'audit events are append-only';
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_auditevent_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION reviewhub_audit_guard()""",
    """CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION reviewhub_audit_guard()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_change ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP FUNCTION IF EXISTS reviewhub_audit_guard()",
]


def _locked() -> int:
    return 0 if getattr(_state, "maintenance", False) else 1


@receiver(connection_created)
def register_sqlite_function(sender, connection, **kwargs):
    """Give each of ReviewHub's SQLite connections the function the guard triggers call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("reviewhub_audit_locked", 0, _locked)


@contextmanager
def audit_maintenance():
    """Allow changes to audit rows in this block only (retention purge, test flush)."""
    _state.maintenance = True
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET reviewhub.audit_maintenance = 'on'")
        yield
    finally:
        _state.maintenance = False
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET reviewhub.audit_maintenance")


def install_guards(schema_editor) -> None:
    """Create the guard triggers for the database in use."""
    statements = (
        POSTGRES_TRIGGERS if schema_editor.connection.vendor == "postgresql" else SQLITE_TRIGGERS
    )
    for sql in statements:
        schema_editor.execute(sql)


def remove_guards(schema_editor) -> None:
    """Drop the guard triggers (migration rollback)."""
    statements = POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    for sql in statements:
        schema_editor.execute(sql)
