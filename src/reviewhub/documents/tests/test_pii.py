import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewhub.documents import cli, pii, testing
from reviewhub.documents.pii import Finding, Override

# A fictional report: every person, place, school and number in it is invented. Phone numbers
# are from Ofcom's drama ranges; the NHS number has a valid check digit but belongs to no one.
REPORT = """Rapid Review: Child A
Northshire Safeguarding Children Partnership

1. Background
Jayden Okafor, aged 4, lived with his mother Chantelle Okafor at 27 Larkspur Crescent, Dunmore DN4 7QT.
Jayden was born on 14 February 2020. Chantelle's date of birth is 03/11/1996.
His NHS number is 943 476 5919 and his mother's national insurance number is JK 12 34 56 C.
Mrs Okafor could be reached on 07700 900461 or by email at c.okafor88@example.org.
Jayden attended Little Acorns Day Nursery and his brother attended Brambleside Primary School.
On 2 March 2022 the Health Visitor visited the family. The family later moved to Flat 6, 19 Holloway Road.
Their new neighbour, Mr Denholm, raised concerns with the Police.

2. Findings
Child A was seen by the GP. Mother told Children's Social Care that Adult B had left.
The ICB, CAMHS and Early Help were involved. Working Together 2018 applies.
In March 2022 the case was closed. The Health Visitor and the Police shared information.
Baby B was born in 2021.
"""

# (text, kind, which occurrence of the text in REPORT: 0 = first)
EXPECTED = [
    ("Jayden Okafor", pii.NAME, 0),
    ("aged 4", pii.AGE, 0),
    ("Chantelle Okafor", pii.NAME, 0),
    ("27 Larkspur Crescent, Dunmore", pii.ADDRESS, 0),
    ("DN4 7QT", pii.POSTCODE, 0),
    ("Jayden", pii.NAME, 1),
    ("14 February 2020", pii.DATE_OF_BIRTH, 0),
    ("Chantelle", pii.NAME, 1),
    ("03/11/1996", pii.DATE_OF_BIRTH, 0),
    ("943 476 5919", pii.NHS_NUMBER, 0),
    ("JK 12 34 56 C", pii.NI_NUMBER, 0),
    ("Mrs Okafor", pii.NAME, 0),
    ("07700 900461", pii.PHONE, 0),
    ("c.okafor88@example.org", pii.EMAIL, 0),
    ("Jayden", pii.NAME, 2),
    ("Little Acorns Day Nursery", pii.SCHOOL, 0),
    ("Brambleside Primary School", pii.SCHOOL, 0),
    ("2 March 2022", pii.DATE, 0),
    ("Flat 6, 19 Holloway Road", pii.ADDRESS, 0),
    ("Mr Denholm", pii.NAME, 0),
]


def _offset(text: str, needle: str, occurrence: int) -> int:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start


def test_fictional_report_each_kind_is_found_with_exact_offsets(analyzer):
    findings = pii.check_text(REPORT, analyzer=analyzer)

    expected = []
    for needle, kind, occurrence in EXPECTED:
        start = _offset(REPORT, needle, occurrence)
        expected.append((start, start + len(needle), needle, kind))
    assert [(f.start, f.end, f.text, f.kind) for f in findings] == expected
    assert {kind for *_, kind in expected} == set(pii.KINDS)


def test_pseudonyms_agencies_roles_months_and_years_are_not_flagged(analyzer):
    clean = REPORT[REPORT.index("2. Findings") :]
    clean += (
        "Sibling D attended nursery. The Designated Safeguarding Lead referred Child C to the "
        "MASH. The Independent Reviewer met the Virtual School Head in June 2023. Child A, aged 4, "
        "was seen in the Emergency Department. Leeds City Council and the Child Safeguarding "
        "Practice Review Panel were told. Paragraph 3.2 lists 14 contacts in 18 months.\n"
    )

    assert pii.check_text(clean, analyzer=analyzer) == []


def test_names_the_model_tags_as_organisations_are_still_found(analyzer):
    text = "The social worker phoned Tia Gallagher twice that week."

    findings = pii.check_text(text, analyzer=analyzer)

    assert [(f.text, f.kind) for f in findings] == [("Tia Gallagher", pii.NAME)]


def test_town_inside_an_organisation_name_is_not_a_person(analyzer):
    text = "Northshire Safeguarding Children Partnership and Riverside Surgery took part."

    assert pii.check_text(text, analyzer=analyzer) == []


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("9434765919", True),
        ("4010232137", True),
        ("9434765918", False),
        ("1111111111", False),
    ],
)
def test_nhs_number_check_digit(digits, valid):
    assert pii.nhs_number_is_valid(digits) is valid


def test_nhs_number_with_a_wrong_check_digit_is_not_flagged_but_valid_forms_are():
    text = "Numbers: 943 476 5918, 9434765919 and 943-476-5919."

    found = [text[start:end] for start, end, *_ in pii.find_nhs_numbers(text)]

    assert found == ["9434765919", "943-476-5919"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("JK 12 34 56 C", True),
        ("AB123456A", True),
        ("QQ 12 34 56 C", False),
        ("GB 12 34 56 A", False),
        ("JK 12 34 56 E", False),
    ],
)
def test_national_insurance_prefixes_and_suffixes_are_validated(text, found):
    assert bool(pii.find_ni_numbers(f"Number {text}.")) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("LS6 2AB", True),
        ("SW1A 1AA", True),
        ("M14 6HL", True),
        ("EC1A1BB", True),
        ("AB1 2CD", False),
        ("QS6 2AB", False),
        ("ls6 2ab", False),
    ],
)
def test_postcodes_must_have_the_full_valid_format(text, found):
    assert bool(pii.find_postcodes(f"Postcode {text} here")) is found


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("12/03/2019", pii.DATE),
        ("12 March 2019", pii.DATE),
        ("12th March", pii.DATE),
        ("March 12, 2019", pii.DATE),
        ("2019-03-12", pii.DATE),
        ("born on 12 March 2019", pii.DATE_OF_BIRTH),
        ("DOB: 12/03/2019", pii.DATE_OF_BIRTH),
    ],
)
def test_exact_dates_in_uk_formats_and_dates_of_birth(text, kind):
    hits = pii.find_dates(text)

    assert [(h[2] == "UK_DATE_OF_BIRTH") for h in hits] == [kind == pii.DATE_OF_BIRTH]


@pytest.mark.parametrize("text", ["March 2019", "in 2019", "31/02/2019", "section 3.1.2", "1/2"])
def test_months_years_impossible_dates_and_section_numbers_are_not_dates(text):
    assert pii.find_dates(text) == []


def test_uk_phone_numbers_in_common_forms():
    text = "Call 07700 900461, +44 7700 900982, (0161) 496 0755 or 0113 496 0321; not 12345."

    assert [text[s:e] for s, e, *_ in pii.find_phone_numbers(text)] == [
        "07700 900461",
        "+44 7700 900982",
        "(0161) 496 0755",
        "0113 496 0321",
    ]


def test_pseudonymise_replaces_each_person_consistently(analyzer):
    findings = pii.check_text(REPORT, analyzer=analyzer)

    new_text, mapping = pii.pseudonymise(REPORT, findings)

    assert mapping["Jayden Okafor"] == mapping["Jayden"] == "Child A"
    assert mapping["Chantelle Okafor"] == mapping["Chantelle"] == "Child B"
    # "Okafor" is shared by two people, so "Mrs Okafor" cannot be attributed and gets her own.
    assert mapping["Mrs Okafor"] == "Child C"
    assert mapping["Mr Denholm"] == "Child D"
    assert "Jayden" not in new_text and "Okafor" not in new_text and "DN4" not in new_text
    assert "Child A, [age], lived with his mother Child B at [address] [postcode]." in new_text
    assert "Child A was born on [date of birth]." in new_text
    assert pii.check_text(new_text, analyzer=analyzer) == []


def test_pseudonymise_links_first_name_and_title_to_the_full_name():
    text = "Tia Gallagher met Mrs Gallagher. Later Tia left. Mr Brennan stayed."
    findings = [
        Finding(0, 13, "Tia Gallagher", pii.NAME),
        Finding(18, 31, "Mrs Gallagher", pii.NAME),
        Finding(39, 42, "Tia", pii.NAME),
        Finding(49, 59, "Mr Brennan", pii.NAME),
    ]

    new_text, _ = pii.pseudonymise(text, findings)

    assert new_text == "Child A met Child A. Later Child A left. Child B stayed."


def test_pseudonymise_continues_an_earlier_mapping():
    text = "Kyle Brennan and Leah Osei."
    findings = [
        Finding(0, 12, "Kyle Brennan", pii.NAME),
        Finding(17, 26, "Leah Osei", pii.NAME),
    ]

    new_text, mapping = pii.pseudonymise(text, findings, mapping={"Leah Osei": "Child A"})

    assert new_text == "Child B and Child A."
    assert mapping == {"Leah Osei": "Child A", "Kyle Brennan": "Child B"}


def test_overridden_findings_are_dropped_and_need_a_reason():
    findings = [
        Finding(0, 5, "Tia G", pii.NAME),
        Finding(10, 17, "LS6 2AB", pii.POSTCODE),
    ]

    kept = pii.apply_overrides(
        findings, [Override("Tia G", pii.NAME, "Name of a fictional case study")]
    )

    assert kept == [findings[1]]
    with pytest.raises(ValueError):
        Override("Tia G", pii.NAME, "  ")


def test_merge_keeps_the_more_specific_kind_and_unions_the_same_kind():
    merged = pii.merge_findings(
        [
            Finding(0, 12, "943 476 5919", pii.PHONE),
            Finding(0, 12, "943 476 5919", pii.NHS_NUMBER),
            Finding(20, 25, "", pii.NAME),
            Finding(22, 30, "", pii.NAME),
        ]
    )

    assert [(f.start, f.end, f.kind) for f in merged] == [
        (0, 12, pii.NHS_NUMBER),
        (20, 30, pii.NAME),
    ]


def test_in_context_shows_the_surrounding_words():
    text = "The family moved to 19 Holloway Road in the spring."
    finding = Finding(20, 36, "19 Holloway Road", pii.ADDRESS)

    assert pii.in_context(text, finding, width=10) == (
        " moved to ",
        "19 Holloway Road",
        " in the sp",
    )


def test_cli_json_lists_findings_with_offsets_into_the_file_text(tmp_path, capsys, analyzer):
    path = tmp_path / "briefing.txt"
    path.write_text("Briefing\r\nTia Gallagher lives at 19 Holloway Road, LS6 2AB.\n", newline="")

    status = cli.main(["check", str(path), "--json"])

    text = path.read_text()
    findings = json.loads(capsys.readouterr().out)
    assert status == 1
    assert findings == [
        {"start": 9, "end": 22, "text": "Tia Gallagher", "kind": "name"},
        {"start": 32, "end": 48, "text": "19 Holloway Road", "kind": "address"},
        {"start": 50, "end": 57, "text": "LS6 2AB", "kind": "postcode"},
    ]
    assert all(text[f["start"] : f["end"]] == f["text"] for f in findings)


def test_cli_prints_positions_and_exits_zero_when_clean(tmp_path, capsys, analyzer):
    dirty = tmp_path / "dirty.pdf"
    dirty.write_bytes(testing.make_text_pdf(["Introduction", "Mr Denholm called the Police."]))
    clean = tmp_path / "clean.docx"
    clean.write_bytes(testing.make_docx([[("text", "Child A was seen by the Health Visitor.")]]))

    assert cli.main(["pii", "check", str(dirty)]) == 1
    out = capsys.readouterr().out
    assert "dirty.pdf:2:1: [13-23] name: 'Mr Denholm'" in out
    assert cli.main(["check", str(clean)]) == 0
    assert "No personal data found." in capsys.readouterr().out


def test_cli_reports_unreadable_files_with_exit_status_two(tmp_path, capsys):
    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(testing.make_scanned_pdf())

    assert cli.main(["check", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert cli.main(["check", str(scanned)]) == 2
    assert "no text layer" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text",
    [
        "Prevention of Sudden Unexpected Death in Infancy",
        "Resolving Professional Differences",
        "The distinction between ‘Did Not Attend’ (DNA) and ‘Was Not Brought’ (WNB) matters.",
        "Following Mr C’s death, concerns were raised.",
        "Key Findings",
        "Trauma-informed practice was not used.",
    ],
)
def test_title_case_headings_and_initial_pseudonyms_are_not_names(text, analyzer):
    assert pii.check_text(text, analyzer=analyzer) == []


def test_sentence_words_are_trimmed_from_a_name(analyzer):
    text = "Whilst Alison was deemed to have capacity, nobody asked her."

    assert [f.text for f in pii.check_text(text, analyzer=analyzer)] == ["Alison"]


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Harvey, aged 4, was at home.", "aged 4"),
        ("Harvey (aged 4) was at home.", "aged 4"),
        ("Harvey, then aged 4, was at home.", "aged 4"),
        ("Harvey, a 4-year-old boy, was at home.", "a 4-year-old"),
        ("Harvey (4) was at home.", "4"),
    ],
)
def test_ages_given_with_a_name_are_found(text, age):
    hits = [(text[s:e], entity) for s, e, entity, _ in pii.find_ages_with_names(text)]

    assert hits == [(age, "UK_AGE_WITH_NAME"), ("Harvey", "UK_PERSON")]


def test_ages_given_with_a_pseudonym_are_not_found():
    assert pii.find_ages_with_names("Child A, aged 4, and Mother, aged 23, were at home.") == []


_FRAGMENTS = [
    "Child A",
    "Tia Gallagher",
    "Mrs Okafor",
    "visited",
    "Children's Social Care",
    "on 2 March 2022",
    "at 19 Holloway Road,",
    "LS6 2AB",
    "943 476 5919",
    "07700 900461",
    "the Health Visitor",
    "Brambleside Primary School",
    "aged 4",
    ".",
    ",",
    "\n",
]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=25))
def test_findings_are_ordered_disjoint_slices_and_pseudonymising_removes_them(analyzer, parts):
    text = " ".join(parts)

    findings = pii.check_text(text, analyzer=analyzer)

    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
        assert finding.kind in pii.KINDS
    for before, after in itertools.pairwise(findings):
        assert before.end <= after.start
    new_text, mapping = pii.pseudonymise(text, findings)
    for original in mapping:
        assert original not in new_text or original in "".join(mapping.values())


def test_review_acronyms_before_a_pseudonym_are_not_names(analyzer):
    assert (
        pii.check_text("7-minute briefing: LCSPR Child A and SCR Baby B", analyzer=analyzer) == []
    )
