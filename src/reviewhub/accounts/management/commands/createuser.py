"""Create a user with roles in a partnership from the command line."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import Agency, Partnership, User
from reviewhub.accounts.services import user_create


class Command(BaseCommand):
    help = (
        "Create a user: reviewhub createuser USERNAME --partnership SLUG --role ROLE [--role ...]. "
        "The password is asked for, or read from REVIEWHUB_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--partnership", required=True, help="partnership slug")
        parser.add_argument("--role", action="append", required=True, choices=Role.values)
        parser.add_argument("--agency", help="agency name (required for partner_lead)")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, **o):
        partnership = Partnership.objects.filter(slug=o["partnership"]).first()
        if partnership is None:
            known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No partnership '{o['partnership']}' (known: {known}).")
        if User.objects.filter(username__iexact=o["username"]).exists():
            raise CommandError(f"A user '{o['username']}' exists already.")
        agency = None
        if o["agency"]:
            agency = Agency.objects.filter(partnership=partnership, name=o["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency '{o['agency']}' in {partnership}.")
        password = os.environ.get("REVIEWHUB_PASSWORD") or getpass.getpass("Password: ")
        from django.contrib.auth import password_validation

        try:
            password_validation.validate_password(password, User(username=o["username"]))
            user = user_create(
                partnership=partnership,
                username=o["username"],
                password=password,
                roles=o["role"],
                first_name=o["first_name"],
                last_name=o["last_name"],
                email=o["email"],
                agency=agency,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages))
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} in {partnership}."))
