"""Create and list partnerships from the command line (the instance's tenants)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reviewhub.accounts.choices import PartnershipKind
from reviewhub.accounts.models import Partnership
from reviewhub.accounts.services import partnership_create


class Command(BaseCommand):
    help = (
        "Partnerships: `partnership create NAME [--slug SLUG] [--kind KIND]` adds one; "
        "`partnership list` shows them."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        create = sub.add_parser("create", help="Add a partnership.")
        create.add_argument("name")
        create.add_argument("--slug", default="", help="short id (default: made from the name)")
        create.add_argument(
            "--kind", default=PartnershipKind.CHILDREN, choices=PartnershipKind.values
        )
        sub.add_parser("list", help="Show the partnerships (slug, kind, name).")

    def handle(self, *args, what, **o):
        if what == "list":
            for p in Partnership.objects.order_by("slug"):
                self.stdout.write(f"{p.slug}\t{p.kind}\t{p.name}")
            return
        try:
            p = partnership_create(name=o["name"], slug=o["slug"], kind=o["kind"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages))
        self.stdout.write(
            self.style.SUCCESS(f"Created {p.name} (slug {p.slug}).")
            + " Add its first user with `reviewhub createuser NAME --partnership "
            + f"{p.slug} --role business_unit`."
        )
