"""reviewhub briefing import|render|build: briefings from the command line."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviewhub.accounts.commands import partnership_from_option
from reviewhub.accounts.models import User
from reviewhub.briefings.document import BriefingParseError, parse_file


class Command(BaseCommand):
    help = "Briefings: import FILE [--json] | render ID --format pdf|docx|md|html --out FILE"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a briefing file (TXT, DOCX or PDF) as a draft")
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--json",
            action="store_true",
            help="print the parsed structure as JSON and write nothing (a preview)",
        )
        imp.add_argument("--partnership", help="partnership slug (needed if there are several)")
        imp.add_argument("--user", help="username recorded as the importer")
        build = sub.add_parser(
            "build", help="draft a thematic briefing from the records and render it"
        )
        build.add_argument("--from", dest="date_from", required=True, type=_date)
        build.add_argument("--to", dest="date_to", required=True, type=_date)
        build.add_argument("--format", required=True, choices=["pdf", "docx", "md", "html"])
        build.add_argument("--out", required=True, type=Path)
        build.add_argument("--partnership", help="partnership slug (needed if there are several)")
        build.add_argument("--title", default="")
        ren = sub.add_parser("render", help="render a briefing to a file")
        ren.add_argument("id", type=int)
        ren.add_argument("--format", required=True, choices=["pdf", "docx", "md", "html"])
        ren.add_argument("--out", required=True, type=Path)

    def handle(self, *args, action, **o):
        if action == "import":
            return self._import(o)
        if action == "build":
            return self._build(o)
        return self._render(o)

    def _build(self, o):
        from reviewhub.briefings.services import briefing_build_thematic

        if o["date_to"] < o["date_from"]:
            raise CommandError("--to is before --from.")
        partnership = partnership_from_option(o["partnership"])
        briefing = briefing_build_thematic(
            partnership=partnership,
            date_from=o["date_from"],
            date_to=o["date_to"],
            title=o["title"],
        )
        self.stdout.write(
            f"Drafted briefing {briefing.pk} with {len(briefing.current.content['themes'])} "
            "theme(s) (a draft: edit and publish it in ReviewHub)."
        )
        self._render({"id": briefing.pk, "format": o["format"], "out": o["out"]})

    def _import(self, o):
        path: Path = o["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            doc = parse_file(path)
        except BriefingParseError as exc:
            raise CommandError(str(exc))
        if o["json"]:
            data = doc.to_dict()
            data.pop("logo", None)
            json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
            return
        from reviewhub.briefings.services import briefing_create

        partnership = partnership_from_option(o["partnership"])
        user = User.objects.filter(username=o["user"]).first() if o["user"] else None
        doc.partnership_name = ""
        doc.logo = None
        briefing = briefing_create(
            partnership=partnership, doc=doc, user=user, note=f"imported from {path.name}"
        )
        self.stdout.write(
            f"Imported “{briefing.title}” as draft briefing {briefing.pk} "
            f"({len(doc.themes)} themes) into {partnership}."
        )

    def _render(self, o):
        from reviewhub.briefings.models import Briefing
        from reviewhub.briefings.services import document_of
        from reviewhub.briefings.views import RENDERERS

        briefing = Briefing.objects.filter(pk=o["id"]).first()
        if briefing is None:
            raise CommandError(f"No briefing {o['id']}.")
        body = RENDERERS[o["format"]][0](document_of(briefing))
        out: Path = o["out"]
        out.write_bytes(body if isinstance(body, bytes) else body.encode())
        self.stdout.write(f"Wrote {out} ({out.stat().st_size:,} bytes).")


def _date(value):
    import argparse
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date: use YYYY-MM-DD.")
