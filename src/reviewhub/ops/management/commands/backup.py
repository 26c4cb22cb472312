"""``reviewhub backup OUT``: one consistent archive of the database and the uploaded files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviewhub.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup API, or pg_dump -Fc on PostgreSQL) and the "
        "uploaded files into one .tar.gz with a manifest, while ReviewHub keeps running. OUT is a "
        "new file, or an existing folder to write a dated file into. The archive holds case "
        "records: store it encrypted and access-controlled."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="new archive file, or a folder")

    def handle(self, *args, **options):
        try:
            path, manifest = backup_create(Path(options["out"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        db = manifest["database"]
        self.stdout.write(
            self.style.SUCCESS(f"Backup written: {path} ({path.stat().st_size:,} bytes)")
        )
        self.stdout.write(
            f"  database: {db['vendor']}, {len(db['tables'])} tables, {db['rows']:,} rows\n"
            f"  uploaded files: {manifest['media']['files']}\n"
            f"  marker: audit event {manifest['marker']['audit_event_id']} at "
            f"{manifest['marker']['at']}\n"
            f"  made {manifest['created_utc']} by ReviewHub {manifest['reviewhub_version']}"
        )
