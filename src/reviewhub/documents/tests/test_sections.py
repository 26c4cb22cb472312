import pytest

from reviewhub.documents import extract, testing
from reviewhub.documents.sections import (
    classify_heading,
    propose_candidates,
    split_sections,
)

PAGE_1 = """Rapid Review: Child A
Northshire Safeguarding Children Partnership

1. Introduction
This review considers the circumstances of Child A.

2. Background
Child A lived with Mother and Adult B."""

PAGE_2 = """3. Findings
Agencies knew different parts of the picture.
3.1 Information sharing between agencies
Health and Children's Social Care did not share what they knew.
The GP was not told of the referral.
3.2 Professional curiosity
Practitioners accepted explanations without question."""

PAGE_3 = """WHAT WE HAVE LEARNED
- Practitioners should ask about every adult in the household.
- Escalation should be used when concerns are not acted on.
Recommendations
1. The partnership should audit multi-agency referrals
within six months.
2. Health should review its information-sharing protocol.
Recommendation 3: Schools should receive training on neglect.
Conclusion
The review found missed opportunities to protect Child A."""

PAGES = [(1, PAGE_1), (2, PAGE_2), (3, PAGE_3)]


def test_sections_are_found_with_their_kind_and_start_page():
    sections = split_sections(PAGES)

    summary = [(s.title, s.kind, s.page, s.level) for s in sections]
    assert summary == [
        ("", "front", 1, 0),
        ("1. Introduction", "introduction", 1, 1),
        ("2. Background", "background", 1, 1),
        ("3. Findings", "findings", 2, 1),
        ("3.1 Information sharing between agencies", "findings", 2, 2),
        ("3.2 Professional curiosity", "findings", 2, 2),
        ("WHAT WE HAVE LEARNED", "learning", 3, 1),
        ("Recommendations", "recommendations", 3, 1),
        ("Conclusion", "conclusion", 3, 1),
    ]
    assert sections[2].text == "Child A lived with Mother and Adult B."


def test_numbered_subsection_inherits_the_kind_of_its_parent():
    sections = split_sections(PAGES)

    sub = next(s for s in sections if s.title.startswith("3.1"))
    assert sections[sub.parent].title == "3. Findings"
    assert sub.kind == "findings"


def test_sentences_and_long_numbered_items_are_not_headings():
    assert classify_heading("1. The partnership should audit referrals within six months.") is None
    assert classify_heading("Child A lived with Mother.") is None
    assert classify_heading("What we have learned") == (1, "What we have learned")
    assert classify_heading("2.3 Information sharing") == (2, "2.3 Information sharing")
    assert classify_heading("KEY PRACTICE EPISODES") == (1, "KEY PRACTICE EPISODES")


def test_candidates_are_proposed_with_their_pages():
    candidates = propose_candidates(split_sections(PAGES))

    learning = [(c.title, c.text, c.page) for c in candidates if c.kind == "learning_point"]
    recommendations = [(c.text, c.page) for c in candidates if c.kind == "recommendation"]
    assert learning == [
        (
            "3.1 Information sharing between agencies",
            (
                "Health and Children's Social Care did not share what they knew.\n"
                "The GP was not told of the referral."
            ),
            2,
        ),
        (
            "3.2 Professional curiosity",
            "Practitioners accepted explanations without question.",
            2,
        ),
        (
            "WHAT WE HAVE LEARNED",
            "Practitioners should ask about every adult in the household.",
            3,
        ),
        (
            "WHAT WE HAVE LEARNED",
            "Escalation should be used when concerns are not acted on.",
            3,
        ),
    ]
    assert recommendations == [
        ("The partnership should audit multi-agency referrals within six months.", 3),
        ("Health should review its information-sharing protocol.", 3),
        ("Schools should receive training on neglect.", 3),
    ]


def test_recommendation_items_keep_the_page_they_start_on():
    pages = [
        (4, "Recommendations\n1. Agencies should share chronologies."),
        (5, "2. Use escalation."),
    ]

    candidates = propose_candidates(split_sections(pages))

    assert [(c.text, c.page) for c in candidates] == [
        ("Agencies should share chronologies.", 4),
        ("Use escalation.", 5),
    ]


def test_docx_styled_headings_are_used_as_section_breaks():
    docx = testing.make_docx(
        [
            [
                ("heading", "The response to the referral"),
                ("text", "Nobody visited for a week."),
            ],
            [("heading", "Recommendations"), ("text", "1. Visit within 24 hours.")],
        ]
    )
    doc = extract.extract(docx)

    sections = split_sections(doc.pages, headings=doc.headings)

    assert [(s.title, s.page) for s in sections] == [
        ("The response to the referral", 1),
        ("Recommendations", 2),
    ]
    assert [c.text for c in propose_candidates(sections)] == ["Visit within 24 hours."]


def test_prose_learning_section_is_one_candidate():
    pages = [(1, "Learning\nAgencies must talk to each other.\nThis did not happen here.")]

    candidates = propose_candidates(split_sections(pages))

    assert [(c.kind, c.text) for c in candidates] == [
        (
            "learning_point",
            "Agencies must talk to each other.\nThis did not happen here.",
        )
    ]


def test_report_rendered_by_a_real_pdf_engine_is_split_and_proposed():
    weasyprint = pytest.importorskip("weasyprint")
    episodes = "".join(
        f"<h2>{i}. Findings on practice episode {i}</h2>"
        + "<p>The Health Visitor shared information late, and the ﬁrst referral was slow.</p>" * 3
        for i in (1, 2)
    )
    html = (
        "<h1>Rapid Review: Child A</h1><h2>Recommendations</h2>"
        "<ol><li>Agencies should share chronologies.</li><li>Health should review its protocol."
        "</li></ol>" + episodes
    )
    doc = extract.extract(weasyprint.HTML(string=html).write_pdf())

    sections = split_sections(doc.pages)
    candidates = propose_candidates(sections)

    assert [(s.title, s.kind) for s in sections[1:]] == [
        ("Recommendations", "recommendations"),
        ("1. Findings on practice episode 1", "findings"),
        ("2. Findings on practice episode 2", "findings"),
    ]
    # List numbers are not in the PDF's text layer; each sentence is still one recommendation.
    assert [c.text for c in candidates if c.kind == "recommendation"] == [
        "Agencies should share chronologies.",
        "Health should review its protocol.",
    ]
    learning = [c for c in candidates if c.kind == "learning_point"]
    assert [c.title for c in learning] == [
        "1. Findings on practice episode 1",
        "2. Findings on practice episode 2",
    ]
    assert "first referral" in learning[0].text  # the ﬁ ligature comes back as two letters
