"""Make the audit table append-only in the database itself (trigger on SQLite and PostgreSQL)."""

from django.db import migrations


def install(apps, schema_editor):
    from reviewhub.audit.maintenance import install_guards

    install_guards(schema_editor)


def remove(apps, schema_editor):
    from reviewhub.audit.maintenance import remove_guards

    remove_guards(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
