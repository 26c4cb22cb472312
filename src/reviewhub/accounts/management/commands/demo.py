"""Load the fictional demo partnership: people, then each app's demo records."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand

from reviewhub.accounts.demo import DEMO_PASSWORD, PEOPLE, load_people
from reviewhub.accounts.otp_demo import demo_code, demo_secret, load_devices


class Command(BaseCommand):
    help = (
        "Load the demo partnership (Northshire): agencies, one user per role and example records "
        "for every part of ReviewHub. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--code",
            action="store_true",
            help="Only print the demo users' current two-factor code (it changes every 30 s).",
        )

    def handle(self, *args, **options):
        if options["code"]:
            self.stdout.write(demo_code())
            return
        from django.test.utils import override_settings

        # Demo briefings are "sent" to fictional people: keep those e-mails off the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._load()

    def _load(self):
        partnership, users = load_people()
        load_devices(users)
        # Each app may offer a demo.load(partnership, users); they run in INSTALLED_APPS order.
        for config in apps.get_app_configs():
            if not config.name.startswith("reviewhub.") or config.name == "reviewhub.accounts":
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.load(partnership, users)
        self.stdout.write(self.style.SUCCESS(f"Demo partnership ready: {partnership.name}"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, first, last, role, _ in PEOPLE:
            self.stdout.write(f"  {username:<14} {first} {last}, {role.label}")
        self.stdout.write(
            "Two-factor sign-in: every demo user except the practitioner has the same demo\n"
            "authenticator key,\n"
            f"  {demo_secret()}\n"
            "  Add it to an authenticator app, or run `reviewhub demo --code` for the current\n"
            f"  code (now: {demo_code()}; a code works once, and changes every 30 seconds)."
        )
