"""The document core's command line prints the parsed structure and names errors."""

from __future__ import annotations

import json

from reviewhub.briefings.document import BriefingDocument, parse_file
from reviewhub.briefings.document.__main__ import main

from .helpers import REFERENCE_PATH, REFERENCE_TITLES


def test_import_json_prints_the_fourteen_themes(capsys):
    assert main(["import", str(REFERENCE_PATH), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [t["title"] for t in data["themes"]] == REFERENCE_TITLES
    assert BriefingDocument.from_dict(data) == parse_file(REFERENCE_PATH)


def test_import_summary_lists_each_theme(capsys):
    assert main(["import", str(REFERENCE_PATH)]) == 0
    out = capsys.readouterr().out
    assert "Theme 4: Families moving to Telford and Wrekin (2 learned, 3 actions)" in out
    assert "Theme 14: Professional curiosity (1 learned, 6 actions)" in out


def test_import_of_a_malformed_file_exits_1_naming_the_line(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text(
        "Title\n\nTheme 1: A\n\nWhat we have learned: x\n\nWhat you should do: y\n\nTheme 1: B\n"
    )
    assert main(["import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err == f"error: {bad}: line 9: Theme 1 appears twice (first at line 3)\n"


def test_render_to_docx_then_import_again(tmp_path, capsys):
    out = tmp_path / "briefing.docx"
    assert main(["render", str(REFERENCE_PATH), "--to", "docx", "-o", str(out)]) == 0
    assert parse_file(out).content_dict() == parse_file(REFERENCE_PATH).content_dict()
