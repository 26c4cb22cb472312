from reviewhub.commands import ArgvCommand


class Command(ArgvCommand):
    help = "Check a document for personal data: reviewhub pii check FILE [--json]."
    main_path = "reviewhub.documents.cli.main"
