"""Import a folder of review reports: reviewhub import DIR."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviewhub.accounts.models import Partnership, User
from reviewhub.documents import extract as extraction
from reviewhub.documents.services import document_import


class Command(BaseCommand):
    help = (
        "Import every PDF, DOCX and TXT file in DIR (and its subfolders) into the document "
        "library. Files already held (same content) are skipped, so an interrupted import "
        "resumes where it stopped. Failures are listed at the end; the exit status is 1 if any."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--partnership", help="partnership slug (needed if there are several)")
        parser.add_argument("--user", help="username recorded as the importer")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, directory: Path, partnership, user, no_progress, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        target = _partnership(partnership)
        importer = None
        if user:
            importer = User.objects.filter(username=user, is_active=True).first()
            if importer is None:
                raise CommandError(f"No active user '{user}'.")
        files = sorted(
            p
            for p in directory.rglob("*")
            if p.is_file() and p.suffix.lower() in {".pdf", ".docx", ".txt"}
        )
        if not files:
            raise CommandError(f"No PDF, DOCX or TXT files in {directory}.")
        from tqdm import tqdm

        imported = skipped = 0
        failures: list[tuple[Path, str]] = []
        bar = tqdm(files, unit="file", disable=no_progress, file=self.stderr._out)
        for path in bar:
            bar.set_postfix_str(path.name[:30])
            try:
                result = document_import(
                    partnership=target, name=path.name, data=path.read_bytes(), user=importer
                )
            except extraction.UnsupportedDocument as exc:
                failures.append((path, str(exc)))
                continue
            except OSError as exc:
                failures.append((path, f"could not be read ({exc.strerror})"))
                continue
            if result.created:
                imported += 1
            else:
                skipped += 1
        self.stdout.write(
            f"Imported {imported}, skipped {skipped} already held, {len(failures)} failed "
            f"(of {len(files)} files)."
        )
        for path, reason in failures:
            self.stdout.write(f"  FAILED {path.relative_to(directory)}: {reason}")
        if failures:
            raise SystemExit(1)


def _partnership(slug):
    if slug:
        found = Partnership.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"No partnership '{slug}'.")
        return found
    partnerships = list(Partnership.objects.all()[:2])
    if len(partnerships) != 1:
        raise CommandError("Say which partnership with --partnership SLUG.")
    return partnerships[0]
