"""Load the fictional demo partnership: people, then each app's demo records."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand

from reviewhub.accounts.demo import DEMO_PASSWORD, PEOPLE, load_people


class Command(BaseCommand):
    help = (
        "Load the demo partnership (Northshire): agencies, one user per role and example records "
        "for every part of ReviewHub. Safe to run again: nothing is duplicated."
    )

    def handle(self, *args, **options):
        from django.test.utils import override_settings

        # Demo briefings are "sent" to fictional people: keep those e-mails off the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._load()

    def _load(self):
        partnership, users = load_people()
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
