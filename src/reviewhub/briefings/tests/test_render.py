"""Rendering: GOV.UK HTML with all text escaped, and PDF text that rejoins across breaks."""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser

import pytest

from reviewhub.briefings.document import (
    BriefingDocument,
    BulletList,
    Paragraph,
    Theme,
    parse_bytes,
    parse_file,
    render_html,
    render_markdown,
    render_pdf,
    seven_minute_briefing,
)
from reviewhub.briefings.document.model import join_wrapped
from reviewhub.briefings.document.pdftext import pdf_lines

from .helpers import REFERENCE_PATH, REFERENCE_TITLES, tiny_png

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" \'single\''


class _Collector(HTMLParser):
    """Collect tags with their classes and the text of the page, as a browser would parse it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs).get("class") or ""))

    def handle_data(self, data):
        self.text.append(data)


def collect(html: str) -> _Collector:
    parser = _Collector()
    parser.feed(html)
    return parser


def hostile_document() -> BriefingDocument:
    return BriefingDocument(
        title=f"Title {HOSTILE}",
        subtitle=HOSTILE,
        partnership_name=f"Partnership {HOSTILE}",
        background=[Paragraph(HOSTILE)],
        themes=[
            Theme(
                1,
                HOSTILE,
                learned=[Paragraph(HOSTILE)],
                actions=[BulletList((HOSTILE, "plain"))],
                sources=[HOSTILE],
            )
        ],
        further_information=[Paragraph(HOSTILE)],
    )


@pytest.mark.parametrize("standalone", [True, False])
def test_hostile_text_is_escaped_in_html(standalone):
    html = render_html(hostile_document(), standalone=standalone, show_sources=True)
    page = collect(html)
    tags = {tag for tag, _ in page.tags}
    assert "script" not in tags
    assert "img" not in tags  # no logo was set, so any <img> would be injected
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    # The hostile string reads back literally wherever it was placed.
    text = "".join(page.text)
    assert text.count(HOSTILE) >= 6


def test_html_uses_govuk_classes_for_the_outline():
    html = render_html(parse_file(REFERENCE_PATH), standalone=False)
    page = collect(html)
    classes = [(tag, cls) for tag, cls in page.tags]
    assert classes.count(("h1", "govuk-heading-xl")) == 1
    assert classes.count(("h2", "govuk-heading-l")) == 16  # background, 14 themes, further
    assert classes.count(("h3", "govuk-heading-m")) == 28
    assert classes.count(("ul", "govuk-list govuk-list--bullet")) == 1
    assert all(cls == "govuk-body" for tag, cls in classes if tag == "p")
    for number, title in enumerate(REFERENCE_TITLES, start=1):
        assert (
            f'<h2 class="govuk-heading-l">Theme {number}: {title.replace("&", "&amp;")}</h2>'
            in html
        )
    assert "<html" not in html


def test_standalone_html_has_print_css_partnership_and_logo():
    doc = parse_file(REFERENCE_PATH)
    doc.partnership_name = "Telford and Wrekin Safeguarding Partnership"
    doc.logo = tiny_png()
    html = render_html(doc)
    assert html.startswith("<!DOCTYPE html>")
    assert "@page" in html and "size: A4" in html
    assert '<meta name="author" content="Telford and Wrekin Safeguarding Partnership">' in html
    assert 'src="data:image/png;base64,' in html


def test_logo_that_is_not_an_image_is_refused(tmp_path):
    path = tmp_path / "logo.png"
    path.write_bytes(b"not an image")
    doc = BriefingDocument(title="T", logo=path)
    with pytest.raises(ValueError, match="logo must be"):
        render_html(doc)


def test_sources_are_hidden_unless_asked_for():
    doc = hostile_document()
    doc.themes[0].sources = ["RR-2020-07"]
    assert "RR-2020-07" not in render_html(doc)
    assert "Sources: RR-2020-07" in render_html(doc, show_sources=True)


def test_seven_minute_briefing_renders_its_seven_numbered_sections():
    doc = seven_minute_briefing(
        "7-minute briefing", background=[Paragraph("B")], reflection=[Paragraph("R")]
    )
    headings = re.findall(r'<h2 class="govuk-heading-l">(.*?)</h2>', render_html(doc))
    assert headings == [
        "1. Background",
        "2. Why it matters",
        "3. The information",
        "4. What we found",
        "5. What you should do",
        "6. Questions for reflection",
        "7. Further reading",
    ]
    assert "## 6. Questions for reflection" in render_markdown(doc)


@pytest.mark.parametrize(
    ("before", "after", "joined"),
    [
        ("the", "child", "the child"),
        ("co-", "ordinate", "co-ordinate"),
        ("child/", "family", "child/family"),
        ("assess\u00ad", "ment", "assessment"),
        ("neglect \u2013", "including", "neglect \u2013 including"),
        (
            "https://example.org/file/",
            "870033/x.pdf",
            "https://example.org/file/870033/x.pdf",
        ),
        ("https://example.org/a_b_", "c.pdf", "https://example.org/a_b_c.pdf"),
        ("aged 3-", "4", "aged 3- 4"),
        ("assess\u2010", "ment", "assessment"),
    ],
)
def test_wrapped_lines_rejoin_as_written(before, after, joined):
    assert join_wrapped(before, after) == joined


@pytest.mark.parametrize(
    ("before", "after", "joined"),
    [
        ("an assess-", "ment of risk", "an assessment of risk"),
        ("to co-", "ordinate", "to co-ordinate"),
        ("non-", "accidental", "non-accidental"),
        ("a well-", "known fact", "a well-known fact"),
    ],
)
def test_line_end_hyphens_are_judged_by_the_documents_own_words(before, after, joined):
    words = {"assessment", "co-ordinate", "non-accidental", "coordinate"}
    assert join_wrapped(before, after, words) == joined


def _long_paragraphs(count: int) -> list[str]:
    words = [
        "practitioners",
        "should",
        "record",
        "the",
        "child's",
        "lived",
        "experience",
        "and",
        "co-ordinate",
        "with",
        "partners",
        "across",
        "the",
        "child/family",
        "network",
        "while",
        "escalating",
        "concerns",
        "early",
        "–",
        "“was",
        "not",
        "brought”",
        "matters",
        "&",
        "so",
        "does",
        "professional",
        "curiosity",
    ]
    rng = random.Random(7)
    paragraphs = []
    for index in range(count):
        sentence_count = rng.randint(4, 9)
        sentences = []
        for _ in range(sentence_count):
            chosen = rng.choices(words, k=rng.randint(8, 18))
            sentences.append(" ".join(chosen).capitalize() + ".")
        paragraphs.append(f"Paragraph {index + 1}. " + " ".join(sentences))
    return paragraphs


def test_pdf_paragraphs_cut_by_page_breaks_and_hyphenation_rejoin_exactly():
    """Render with automatic hyphenation on A5, as another producer might, and import again.

    Our own PDFs never hyphenate, so this is the harder case: words split at line ends with
    U+2010 and with plain hyphens ("co-" / "ordinate"), and paragraphs cut by page breaks.
    """
    from weasyprint import CSS, HTML

    paragraphs = _long_paragraphs(14)
    doc = BriefingDocument(
        title="Page break check",
        partnership_name="Example Safeguarding Children Partnership",
        background=[Paragraph(p) for p in paragraphs[:6]],
        themes=[
            Theme(
                1,
                "A theme whose title is long enough to wrap onto a second line in the PDF layout",
                learned=[Paragraph(p) for p in paragraphs[6:11]],
                actions=[
                    Paragraph(paragraphs[11]),
                    BulletList((paragraphs[12], "Short item")),
                ],
            )
        ],
        further_information=[Paragraph(paragraphs[13])],
    )
    # Let paragraphs break across pages too, and drop the generator mark so the importer
    # treats the file as anyone's PDF.
    html = (
        render_html(doc)
        .replace("hyphens: manual", "hyphens: auto")
        .replace("break-inside: avoid", "break-inside: auto")
        .replace('<meta name="generator"', '<meta name="x-generator"')
    )
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(string="@page { size: A5 }")])

    # Make sure the layout really did cut a paragraph at a page end and hyphenate words, or
    # the test proves nothing.
    pages, _ = pdf_lines(pdf)
    ends = {p[-1].text for p in pages[:-1]}
    assert any(not any(text.endswith(end) for text in paragraphs) for end in ends)
    line_ends = [line.text[-1] for lines in pages for line in lines]
    assert "\u2010" in line_ends

    again = parse_bytes(pdf)
    assert again.content_dict() == doc.content_dict()


def test_single_page_pdf_drops_header_and_page_number():
    doc = BriefingDocument(
        title="One page",
        partnership_name="Example Partnership",
        logo=tiny_png(),
        themes=[Theme(1, "Short", [Paragraph("Learned.")], [Paragraph("Do this.")])],
    )
    again = parse_bytes(render_pdf(doc))
    assert again.title == "One page"
    assert again.subtitle == ""
    assert again.content_dict() == doc.content_dict()
