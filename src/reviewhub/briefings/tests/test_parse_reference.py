"""The reference briefing imports as exactly 14 themes with every paragraph and bullet intact."""

from __future__ import annotations

import json

import pytest

from reviewhub.briefings.document import (
    BriefingDocument,
    BulletList,
    Paragraph,
    iter_learning_points,
    parse_file,
    parse_text,
)

from .helpers import (
    REFERENCE_PATH,
    REFERENCE_TEXT,
    REFERENCE_TITLES,
    document_texts,
    expected_reference_texts,
)


@pytest.fixture(scope="module")
def reference() -> BriefingDocument:
    return parse_file(REFERENCE_PATH)


def test_reference_has_exactly_fourteen_themes_numbered_in_order(reference):
    assert [t.number for t in reference.themes] == list(range(1, 15))


def test_reference_theme_titles_match_the_document(reference):
    assert [t.title for t in reference.themes] == REFERENCE_TITLES


def test_reference_title_block(reference):
    assert reference.title == "Learning from Local Reviews 2021 Thematic Briefing Note 3"
    assert reference.subtitle == ""
    assert reference.kind == "thematic"


def test_every_paragraph_and_bullet_of_the_reference_comes_through_exactly(reference):
    expected = expected_reference_texts()
    # Counted by hand: background 2, learned 18, actions 17, Theme 14 bullets 5, further 2.
    assert len(expected) == 44
    assert document_texts(reference) == expected


def test_every_text_is_a_verbatim_substring_of_the_reference(reference):
    # Guards against the parser and the expectation helper sharing the same mistake.
    for text in document_texts(reference):
        assert text in REFERENCE_TEXT


def test_theme_four_keeps_two_learned_and_three_action_paragraphs(reference):
    theme = reference.themes[3]
    assert theme.learned == [
        Paragraph(
            "Families who move to Telford & Wrekin may have relocated as a result of safeguarding"
            " risks such as child exploitation in the previous area."
        ),
        Paragraph(
            "For other families who have moved to Telford & Wrekin there may be vulnerabilities"
            " that are not recognised in the relocation process e.g. through the National"
            " Housing Scheme."
        ),
    ]
    assert len(theme.actions) == 3
    assert theme.actions[0].text.startswith(
        "When local safeguarding partners, including children\u2019s services"
    )
    assert theme.actions[1].text.endswith(
        "co-ordinate work across a range of partners without travelling."
    )
    assert theme.actions[2].text.endswith("this may be a particular issue.")


def test_theme_four_keeps_the_what_should_you_do_variant_heading(reference):
    assert reference.themes[3].action_heading == "What should you do"
    others = {t.action_heading for i, t in enumerate(reference.themes) if i != 3}
    assert others == {"What you should do"}
    assert {t.learned_heading for t in reference.themes} == {"What we have learned"}


def test_theme_fourteen_ends_with_its_five_bullets(reference):
    actions = reference.themes[13].actions
    assert isinstance(actions[0], Paragraph)
    assert actions[0].text.endswith("It means you should:")
    assert actions[1] == BulletList(
        (
            "Gather, share and record information",
            "Don't take a snapshot, be inquisitive and professionally curious",
            "Get the whole picture including the family history, to inform assessments and"
            " decision making",
            "Challenge and escalate where appropriate",
            "Think the unthinkable",
        )
    )
    assert len(actions) == 2


def test_typographic_characters_survive(reference):
    assert "\u201cpressure cooker effect\u201d" in reference.themes[0].actions[0].text
    assert "neglect \u2013 including" in reference.themes[10].learned[0].text


def test_further_information_keeps_the_link(reference):
    assert reference.further_information[-1].text.startswith("https://assets.publishing.service")
    assert reference.further_information[-1].text.endswith("_2018_2019.pdf")


def test_parsed_structure_is_json_and_round_trips_through_to_dict(reference):
    data = json.loads(json.dumps(reference.to_dict()))
    assert BriefingDocument.from_dict(data) == reference


def test_learning_points_are_one_per_theme_with_both_sections(reference):
    points = iter_learning_points(reference)
    assert [p["title"] for p in points] == REFERENCE_TITLES
    assert points[13]["actions"].endswith("Think the unthinkable")
    assert points[3]["learned"].count("\n\n") == 1


def test_windows_line_endings_and_hard_wrapping_parse_the_same(reference):
    wrapped = []
    for line in REFERENCE_TEXT.split("\n"):
        # Re-wrap long paragraphs at about 70 columns, as an email client would.
        while len(line) > 70 and " " in line[60:]:
            cut = line.index(" ", 60)
            wrapped.append(line[:cut])
            line = "   " + line[cut + 1 :] if line.startswith("- ") else line[cut + 1 :]
        wrapped.append(line)
    doc = parse_text("\r\n".join(wrapped))
    assert doc.content_dict() == reference.content_dict()


def test_text_copied_from_word_with_no_blank_lines_parses_the_same(reference):
    compact = "\n".join(line for line in REFERENCE_TEXT.split("\n") if line.strip())
    assert parse_text(compact).content_dict() == reference.content_dict()


def test_wrapped_dash_inside_a_paragraph_is_not_a_bullet():
    text = (
        "T\n\nTheme 1: Neglect\n\nWhat we have learned: Cases of neglect\n"
        "- including the daily lived experience -\ncan present in many ways.\n\n"
        "What you should do:\n\n- Share it\n- Escalate it\n"
    )
    theme = parse_text(text).themes[0]
    assert theme.learned == [
        Paragraph(
            "Cases of neglect - including the daily lived experience - can present in many ways."
        )
    ]
    assert theme.actions == [BulletList(("Share it", "Escalate it"))]
