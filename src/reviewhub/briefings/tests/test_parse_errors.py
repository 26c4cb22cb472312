"""Malformed briefings fail with a BriefingParseError that names the file and the line."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from reviewhub.briefings.document import (
    BriefingParseError,
    parse_bytes,
    parse_file,
    parse_text,
)

from .helpers import REFERENCE_TEXT

GOOD = """Briefing

Background

Some background.

Theme 1: First

What we have learned: One.

What you should do: Two.

Theme 2: Second

What we have learned: Three.

What you should do: Four.
"""


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def error_for(text: str) -> BriefingParseError:
    with pytest.raises(BriefingParseError) as info:
        parse_text(text, source="brief.txt")
    return info.value


def test_good_sample_parses():
    assert len(parse_text(GOOD).themes) == 2


def test_action_heading_before_any_theme_names_its_line():
    text = GOOD.replace("Some background.", "Some background.\n\nWhat you should do: act.")
    err = error_for(text)
    assert str(err) == (
        "brief.txt: line 7: 'What you should do' found before any 'Theme N:' heading"
    )
    assert err.where == "line 7"


def test_action_heading_before_any_theme_in_the_reference_names_its_line():
    # Blank out every heading above line 55, so Theme 6's "What you should do" has no theme.
    lines = lines_of(REFERENCE_TEXT)
    assert lines[54].startswith("What you should do:")
    kept = ["" if line.startswith(("Theme ", "What ")) else line for line in lines[:54]]
    err = error_for("\n".join(kept + lines[54:]))
    assert str(err) == (
        "brief.txt: line 55: 'What you should do' found before any 'Theme N:' heading"
    )


def test_duplicated_theme_number_names_both_lines():
    err = error_for(GOOD.replace("Theme 2: Second", "Theme 1: Second"))
    assert str(err) == "brief.txt: line 13: Theme 1 appears twice (first at line 7)"


def test_skipped_theme_number_names_the_line():
    err = error_for(GOOD.replace("Theme 2: Second", "Theme 3: Second"))
    assert str(err) == (
        "brief.txt: line 13: expected Theme 2 but found Theme 3 (a theme number was skipped)"
    )


def test_no_themes_is_an_error():
    err = error_for("A title\n\nBackground\n\nJust background.\n")
    assert "no 'Theme N: title' headings found" in str(err)
    assert "line 5" in str(err)


def test_theme_without_action_section_names_the_theme_line():
    err = error_for(GOOD.replace("What you should do: Four.", ""))
    assert str(err) == "brief.txt: line 13: Theme 2 has no 'What you should do' section"


def test_text_between_theme_heading_and_first_subheading_is_an_error():
    err = error_for(GOOD.replace("Theme 2: Second\n", "Theme 2: Second\n\nStray text.\n"))
    assert str(err) == "brief.txt: line 15: text in Theme 2 before 'What we have learned'"


def test_subheadings_out_of_order_are_an_error():
    text = GOOD.replace(
        "What we have learned: Three.\n\nWhat you should do: Four.",
        "What you should do: Four.\n\nWhat we have learned: Three.",
    )
    err = error_for(text)
    assert str(err) == (
        "brief.txt: line 15: 'What you should do' in Theme 2 comes before 'What we have learned'"
    )


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n")
    with pytest.raises(BriefingParseError, match=r"empty\.txt: empty file"):
        parse_file(path)


def test_binary_file_is_rejected_by_content_whatever_its_name(tmp_path):
    path = tmp_path / "briefing.txt"
    path.write_bytes(b"\x00\x01\x02binary\x00" * 10)
    with pytest.raises(BriefingParseError, match="not a TXT, DOCX or PDF file"):
        parse_file(path)


def test_zip_that_is_not_a_word_document_is_rejected(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    path = tmp_path / "briefing.docx"
    path.write_bytes(out.getvalue())
    with pytest.raises(BriefingParseError, match="ZIP archive but not a Word"):
        parse_file(path)


def test_legacy_word_doc_is_rejected_with_advice():
    with pytest.raises(BriefingParseError, match=r"save it as \.docx"):
        parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)


def test_truncated_pdf_is_rejected():
    with pytest.raises(BriefingParseError, match="not a readable PDF"):
        parse_bytes(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", source="bad.pdf")


def test_format_is_chosen_by_content_not_extension(tmp_path):
    word = docx.Document()
    for line in GOOD.split("\n"):
        if line:
            word.add_paragraph(line)
    out = io.BytesIO()
    word.save(out)
    path = tmp_path / "really-a-docx.txt"
    path.write_bytes(out.getvalue())
    assert len(parse_file(path).themes) == 2


def test_docx_errors_name_the_paragraph():
    word = docx.Document()
    word.add_paragraph("Briefing", style="Title")
    word.add_paragraph("What you should do", style="Heading 2")
    out = io.BytesIO()
    word.save(out)
    with pytest.raises(BriefingParseError) as info:
        parse_bytes(out.getvalue(), source="x.docx")
    assert str(info.value) == (
        "x.docx: paragraph 2: 'What you should do' found before any 'Theme N:' heading"
    )


def test_cp1252_text_decodes():
    text = GOOD.replace("One.", "Children\u2019s services.")
    doc = parse_bytes(text.encode("cp1252"))
    assert doc.themes[0].learned[0].text == "Children\u2019s services."
