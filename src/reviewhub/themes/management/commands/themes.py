import argparse
import sys

from reviewhub.commands import ArgvCommand


class Command(ArgvCommand):
    help = (
        "The theme engine: themes suggest --in IN.jsonl --out OUT.jsonl | "
        "themes evaluate --in IN.jsonl --labels LABELS.jsonl (no database needed) | "
        "themes retrain --partnership SLUG (train a new model version from confirmed codes)."
    )
    main_path = "reviewhub.themes.cli.main"

    def run_from_argv(self, argv):
        if argv[2:3] == ["retrain"]:
            sys.exit(retrain(argv[3:]))
        super().run_from_argv(argv)


def retrain(argv) -> int:
    """Train a partnership's model now (the product also does this in the background)."""
    from django.core.management.base import CommandError

    from reviewhub.accounts.commands import partnership_from_option
    from reviewhub.themes.services import model_version_train

    parser = argparse.ArgumentParser(prog="reviewhub themes retrain")
    parser.add_argument(
        "--partnership", help="partnership slug (default: the only partnership there is)"
    )
    args = parser.parse_args(argv)
    try:
        partnership = partnership_from_option(args.partnership)
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return 2
    version = model_version_train(partnership=partnership)
    print(f"Trained {version.version} on {version.examples} coded points.")
    for key, value in sorted(version.figures.items()):
        print(f"  {key}: {value}")
    return 0
