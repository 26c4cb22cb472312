"""``reviewhub learning``: import and export learning points and the theme taxonomy.

reviewhub learning import FILE.jsonl [--labels LABELS.jsonl] [--partnership SLUG]
reviewhub learning export [--partnership SLUG]                 (JSONL on standard output)
reviewhub learning taxonomy export [--partnership SLUG]        (YAML on standard output)
reviewhub learning taxonomy import FILE.yaml [--partnership SLUG] [--note TEXT]
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviewhub.accounts.commands import partnership_from_option
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from ... import jsonl, services
from ... import taxonomy as taxonomy_yaml
from ...models import LearningPoint

MAX_FILE_BYTES = 50_000_000


def _read(path: str, limit: int = MAX_FILE_BYTES) -> str:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file.")
    if file.stat().st_size > limit:
        raise CommandError(f"{path}: larger than {limit // 1_000_000} MB.")
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text.")


class Command(BaseCommand):
    help = "Import and export learning points (JSONL) and the theme taxonomy (YAML)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        imp = sub.add_parser("import", help="Load learning points from a JSONL file.")
        imp.add_argument("file")
        imp.add_argument("--labels", help="JSONL of codes per point id (confirmed on import).")
        imp.add_argument("--partnership")
        exp = sub.add_parser("export", help="Write learning points and confirmed codes as JSONL.")
        exp.add_argument("--partnership")
        tax = sub.add_parser("taxonomy", help="Export or import the theme taxonomy as YAML.")
        tax.add_argument("direction", choices=["export", "import"])
        tax.add_argument("file", nargs="?")
        tax.add_argument("--partnership")
        tax.add_argument("--note", default="")

    def handle(self, *args, **options):
        what = options["what"]
        partnership = partnership_from_option(options.get("partnership"))
        if what == "import":
            text = _read(options["file"])
            labels = _read(options["labels"]) if options.get("labels") else None
            try:
                result = jsonl.learning_import(
                    partnership=partnership, text=text, labels_text=labels
                )
            except jsonl.LearningImportError as exc:
                raise CommandError(f"{options['file']}: {exc} Nothing was imported.")
            self.stderr.write(
                f"{result['added']} learning points added ({result['coded']} with confirmed codes), "
                f"{result['skipped']} already present."
            )
        elif what == "export":
            points = LearningPoint.objects.filter(partnership=partnership).order_by("pk")
            self.stdout.write(jsonl.export_jsonl(points), ending="")
            audit_event_record(
                action=AuditAction.EXPORT,
                object_type="learning.learningpoint",
                partnership_id=partnership.pk,
                detail="learning exported (command line)",
            )
        elif options["direction"] == "export":
            taxonomy = services.taxonomy_load_default(partnership=partnership)
            self.stdout.write(
                taxonomy_yaml.dump(taxonomy.meta, list(taxonomy.themes.all())), ending=""
            )
        else:
            if not options.get("file"):
                raise CommandError("Name the YAML file to import.")
            text = _read(options["file"], taxonomy_yaml.MAX_YAML_BYTES)
            try:
                result = services.taxonomy_import(
                    partnership=partnership, text=text, note=options["note"]
                )
            except taxonomy_yaml.TaxonomyFormatError as exc:
                raise CommandError(f"{options['file']}: {exc} Nothing was imported.")
            self.stderr.write(
                f"Taxonomy version {result['version']}: {result['added']} themes added, "
                f"{result['updated']} changed."
            )
