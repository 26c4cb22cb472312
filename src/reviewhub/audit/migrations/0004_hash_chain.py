"""Add the hash chain (audit/chain.py) and back-fill it over the events already written.

Existing rows are hashed in id order, inside the migration, past the append-only guard the same
way the retention purge passes it (``audit_maintenance``), so every event is covered and the
verifier has one rule for all of them. On SQLite, adding a NOT NULL column rebuilds the table,
which drops its triggers; they are put back here.
"""

from django.db import migrations, models


def _reguard_sqlite(schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from reviewhub.audit.maintenance import install_guards

        install_guards(schema_editor)  # CREATE TRIGGER IF NOT EXISTS


def backfill(apps, schema_editor):
    from reviewhub.audit.chain import GENESIS, event_hash, iter_rows
    from reviewhub.audit.maintenance import audit_maintenance

    _reguard_sqlite(schema_editor)
    AuditEvent = apps.get_model("audit", "AuditEvent")
    prev = GENESIS
    pending = []
    with audit_maintenance():
        for row in iter_rows(model=AuditEvent):
            digest = event_hash(row, prev)
            pending.append(AuditEvent(id=row["id"], prev_hash=prev, hash=digest))
            prev = digest
            if len(pending) >= 1000:
                AuditEvent.objects.bulk_update(pending, ["prev_hash", "hash"])
                pending = []
        if pending:
            AuditEvent.objects.bulk_update(pending, ["prev_hash", "hash"])


def reguard(apps, schema_editor):
    _reguard_sqlite(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_alter_auditevent_action"),
    ]

    operations = [
        # Reversing: removing the columns rebuilds the SQLite table too; this runs last and
        # restores the guards.
        migrations.RunPython(migrations.RunPython.noop, reguard),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
