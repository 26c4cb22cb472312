"""``reviewhub restore IN``: restore a backup into an empty database, then verify it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviewhub.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a `reviewhub backup` archive into the configured database and MEDIA_ROOT, which "
        "must both be empty, then verify it: integrity check (SQLite), row counts against the "
        "manifest, the backup's marker event and every file's checksum. Exits non-zero on any "
        "mismatch."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a .tar.gz written by `reviewhub backup`")

    def handle(self, *args, **options):
        try:
            report = restore(Path(options["archive"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        m = report.manifest
        self.stdout.write(
            f"Backup made {m.get('created_utc')} by ReviewHub {m.get('reviewhub_version')} "
            f"({m['database'].get('vendor')})\n"
            f"  restored: {report.tables} tables, {report.rows:,} rows, "
            f"{report.media_files} uploaded files"
        )
        for check in report.checks:
            self.stdout.write(f"  ok: {check}")
        for problem in report.problems:
            self.stderr.write(f"  MISMATCH: {problem}")
        if not report.ok:
            raise CommandError(
                "The restore did not verify: do not use this database. "
                f"{len(report.problems)} problem(s) listed above."
            )
        self.stdout.write(self.style.SUCCESS("Restore verified."))
