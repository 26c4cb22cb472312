"""Command line for the personal-data check: ``reviewhub pii check FILE [--json]``.

Exit status: 0 when the file holds no personal data, 1 when it does (so scripts and CI can
refuse to publish), 2 when the file cannot be checked.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reviewhub.documents import extract as extraction
from reviewhub.documents import pii


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reviewhub pii",
        description="Check a document for personal data before publishing.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check", help="List personal data in a PDF, DOCX or text file (exit 1 if any)."
    )
    check.add_argument("file", type=Path)
    check.add_argument(
        "--json",
        action="store_true",
        help='Print a JSON list of {"start", "end", "text", "kind"} (offsets into the text).',
    )
    check.add_argument(
        "--max-bytes",
        type=int,
        default=extraction.DEFAULT_MAX_BYTES,
        help=argparse.SUPPRESS,
    )
    return parser


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + text.count("\f", 0, offset) + 1
    start = max(text.rfind("\n", 0, offset), text.rfind("\f", 0, offset)) + 1
    return line, offset - start + 1


def load_text(path: Path, *, max_bytes: int = extraction.DEFAULT_MAX_BYTES) -> str:
    """Return the text of a PDF, DOCX or text file as the check sees it (pages joined by \\f)."""
    data = path.read_bytes()
    if len(data) > max_bytes:
        raise extraction.UploadRejected(
            f"The file is larger than the {max_bytes / 1048576:.0f} MB limit."
        )
    return extraction.extract(data).text


def check_file(path: Path, *, as_json: bool, out=None, max_bytes: int | None = None) -> int:
    """Check one file, print the findings, and return the exit status."""
    out = out or sys.stdout
    text = load_text(path, max_bytes=max_bytes or extraction.DEFAULT_MAX_BYTES)
    findings = pii.check_text(text)
    if as_json:
        json.dump([f.as_dict() for f in findings], out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        for finding in findings:
            line, col = _line_col(text, finding.start)
            before, match, after = pii.in_context(text, finding, width=30)
            out.write(
                f"{path}:{line}:{col}: [{finding.start}-{finding.end}] {finding.kind}: "
                f"{match!r}  …{before}>>{match}<<{after}…\n"
            )
        kinds = sorted({f.kind for f in findings})
        if findings:
            out.write(f"{len(findings)} finding(s) of personal data ({', '.join(kinds)}).\n")
        else:
            out.write("No personal data found.\n")
    return 1 if findings else 0


def main(argv: list[str] | None = None) -> int:
    """Run ``pii check FILE [--json]``; return 0 (clean), 1 (findings) or 2 (error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["pii"]:
        argv = argv[1:]
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return check_file(args.file, as_json=args.json, max_bytes=args.max_bytes)
    except FileNotFoundError:
        print(f"reviewhub pii: {args.file}: no such file.", file=sys.stderr)
    except IsADirectoryError:
        print(f"reviewhub pii: {args.file}: is a folder, not a file.", file=sys.stderr)
    except PermissionError:
        print(f"reviewhub pii: {args.file}: permission denied.", file=sys.stderr)
    except extraction.UnsupportedDocument as exc:
        print(f"reviewhub pii: {args.file}: {exc}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
