"""Expose a plain ``main(argv) -> int`` command line as a ``reviewhub`` subcommand.

Several parts of ReviewHub (themes, pii, calendar) have their own argparse command line with an
exact output contract; this bridge hands them the rest of the arguments untouched, so the
contract lives in one place and works the same with or without Django around it.
"""

import sys

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class ArgvCommand(BaseCommand):
    """A management command that passes its arguments to ``main_path`` (a dotted path)."""

    main_path = ""
    requires_system_checks = []

    def run_from_argv(self, argv):
        # argv is ["reviewhub", "<command>", ...]; the plain CLI gets what follows.
        main = import_string(self.main_path)
        sys.exit(main(argv[2:]))

    def print_help(self, prog_name, subcommand):
        import_string(self.main_path)(["--help"])
