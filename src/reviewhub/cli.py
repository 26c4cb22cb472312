"""The ``reviewhub`` command: Django's management commands under the product's name.

``reviewhub serve``, ``reviewhub migrate``, ``reviewhub demo``, ``reviewhub themes suggest`` ... are
all management commands; this wrapper only fixes the settings module and keeps models offline.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a ReviewHub command (``reviewhub help`` lists them)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reviewhub.settings")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        args = ["help"]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["reviewhub", *args])


if __name__ == "__main__":
    main()
