"""reviewhub audit verify [--copy DIR] | copy DIR: check the hash chain; copy events elsewhere."""

from django.core.management.base import BaseCommand, CommandError

from reviewhub.audit import chain, copies


class Command(BaseCommand):
    help = (
        "audit verify [--copy DIR]: recompute the audit log's hash chain (and compare it with the "
        "copy in DIR), exit 1 naming the first event that does not match; audit copy DIR: append "
        "the events written since the last copy to DIR/audit-YYYY-MM-DD.jsonl (run daily)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check the hash chain")
        verify.add_argument("--copy", metavar="DIR", help="also compare with the copy in DIR")
        copy = sub.add_parser("copy", help="copy new events to separate storage")
        copy.add_argument("dir", metavar="DIR")

    def handle(self, *args, action, **options):
        try:
            if action == "copy":
                return self._copy(options["dir"])
            return self._verify(options["copy"])
        except (chain.ChainBroken, copies.CopyError) as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:  # DIR is a file, unreadable or not writable
            raise CommandError(f"{exc.filename or options.get('dir')}: {exc.strerror}") from exc

    def _verify(self, folder):
        report = chain.verify()
        if report.events == 0:
            self.stdout.write("Audit chain: no events.")
        else:
            self.stdout.write(
                f"Audit chain intact: {report.events} events, ids {report.first_id} to "
                f"{report.last_id}; the chain {report.anchor}."
            )
        if folder:
            compared, purged = copies.verify_against_copy(folder)
            self.stdout.write(
                f"Copy matches: {compared} events compared with {folder}"
                + (f"; {purged} copied events since purged from the database." if purged else ".")
            )

    def _copy(self, folder):
        report = copies.copy_events(folder)
        if not report.copied:
            self.stdout.write(f"Nothing new to copy (last copied event {report.last_id}).")
            return
        files = report.files
        where = files[0] if len(files) == 1 else f"{len(files)} files, {files[0]} to {files[-1]}"
        self.stdout.write(
            f"Copied {report.copied} events ({report.first_id} to {report.last_id}) into {where}."
        )
