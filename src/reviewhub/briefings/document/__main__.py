"""Command line for the document core, without Django: check an import or render a file.

    python -m reviewhub.briefings.document import FILE [--json]
    python -m reviewhub.briefings.document render FILE --to pdf|docx|html|md -o OUT
        [--partnership NAME] [--logo IMAGE]

``reviewhub briefing import`` (the Django command) does the same parsing and then stores the
draft; this entry point lets a partnership check a file, and lets tests run the real thing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .model import SEVEN_MINUTE, blocks_text
from .parse import BriefingParseError, parse_file
from .render import render_docx, render_html, render_markdown, render_pdf

RENDERERS = {
    "pdf": render_pdf,
    "docx": render_docx,
    "html": render_html,
    "md": render_markdown,
}


def summary(doc) -> str:
    """Describe a parsed briefing in a few lines, for a person checking an import."""
    lines = [f"{doc.kind} briefing: {doc.title}"]
    if doc.kind == SEVEN_MINUTE:
        for section in doc.sections:
            lines.append(
                f"  {section.heading}: {len(blocks_text(section.blocks))} paragraphs/bullets"
            )
        return "\n".join(lines)
    lines.append(f"  background: {len(blocks_text(doc.background))} paragraphs/bullets")
    for theme in doc.themes:
        lines.append(
            f"  Theme {theme.number}: {theme.title} "
            f"({len(blocks_text(theme.learned))} learned, {len(blocks_text(theme.actions))} actions)"
        )
    lines.append(f"  further information: {len(blocks_text(doc.further_information))}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reviewhub.briefings.document")
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="parse a TXT, Markdown, DOCX or PDF briefing")
    imp.add_argument("file", type=Path)
    imp.add_argument("--json", action="store_true", help="print the parsed structure as JSON")
    ren = commands.add_parser("render", help="parse a briefing and render it to another format")
    ren.add_argument("file", type=Path)
    ren.add_argument("--to", choices=sorted(RENDERERS), required=True)
    ren.add_argument("-o", "--output", type=Path, required=True)
    ren.add_argument("--partnership", default="")
    ren.add_argument("--logo", type=Path)
    args = parser.parse_args(argv)

    try:
        doc = parse_file(args.file)
    except BriefingParseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    if args.command == "import":
        if args.json:
            print(json.dumps(doc.to_dict(), indent=2, ensure_ascii=False))
        else:
            print(summary(doc))
        return 0

    if args.partnership:
        doc.partnership_name = args.partnership
    if args.logo:
        doc.logo = args.logo.read_bytes()
    out = RENDERERS[args.to](doc)
    if isinstance(out, str):
        args.output.write_text(out, encoding="utf-8")
    else:
        args.output.write_bytes(out)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
