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
    from reviewhub.accounts.models import Partnership
    from reviewhub.themes.services import model_version_train

    parser = argparse.ArgumentParser(prog="reviewhub themes retrain")
    parser.add_argument("--partnership", required=True, help="partnership slug")
    args = parser.parse_args(argv)
    partnership = Partnership.objects.filter(slug=args.partnership).first()
    if partnership is None:
        print(f"No partnership '{args.partnership}'.", file=sys.stderr)
        return 2
    version = model_version_train(partnership=partnership)
    print(f"Trained {version.version} on {version.examples} coded points.")
    for key, value in sorted(version.figures.items()):
        print(f"  {key}: {value}")
    return 0
