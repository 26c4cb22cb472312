import io
import zipfile

import pytest

from reviewhub.documents import extract, testing
from reviewhub.documents.extract import ScannedPDFError, UnsupportedDocument


def test_pdf_text_is_extracted_page_by_page_with_page_numbers():
    pdf = testing.make_text_pdf(["Introduction\nFirst page text.", "Findings\nSecond page (B)."])

    doc = extract.extract(pdf)

    assert doc.doc_type == "pdf"
    assert doc.pages == [
        (1, "Introduction\nFirst page text."),
        (2, "Findings\nSecond page (B)."),
    ]
    assert doc.has_text_layer
    assert doc.text == "Introduction\nFirst page text.\fFindings\nSecond page (B)."
    assert doc.page_at(doc.text.index("Second")) == 2
    assert doc.page_at(0) == 1


def test_scanned_pdf_without_text_layer_is_reported_not_imported_empty():
    with pytest.raises(ScannedPDFError) as raised:
        extract.extract(testing.make_scanned_pdf(page_count=3))

    assert raised.value.page_count == 3
    assert "no text layer" in str(raised.value)


def test_pdf_with_some_image_only_pages_lists_them_as_empty():
    text_pdf = testing.make_text_pdf(
        ["A page of real text for the review.", "", "More text here on the third page."]
    )

    doc = extract.extract(text_pdf)

    assert doc.empty_pages == [2]
    assert [n for n, _ in doc.pages] == [1, 2, 3]


def test_damaged_pdf_gives_a_clear_error():
    with pytest.raises(UnsupportedDocument, match="damaged"):
        extract.extract(b"%PDF-1.4\nthis is not really a pdf at all")


def test_docx_page_breaks_become_pages_and_styled_headings_are_kept():
    docx = testing.make_docx(
        [
            [("heading", "Introduction"), ("text", "Why the review was held.")],
            [("heading", "Findings"), ("text", "Information was not shared.")],
        ]
    )

    doc = extract.extract(docx)

    assert doc.doc_type == "docx"
    assert doc.pages == [
        (1, "Introduction\nWhy the review was held."),
        (2, "Findings\nInformation was not shared."),
    ]
    assert doc.headings == ["Introduction", "Findings"]


def test_docx_without_page_breaks_is_one_logical_page():
    doc = extract.extract(testing.make_docx([[("text", "One."), ("text", "Two.")]]))

    assert doc.pages == [(1, "One.\nTwo.")]


def test_text_file_keeps_its_exact_text_and_splits_pages_on_form_feeds():
    data = b"Page one.\r\nStill one.\fPage two."

    doc = extract.extract(data)

    assert doc.pages == [(1, "Page one.\nStill one."), (2, "Page two.")]


def test_windows_1252_text_is_accepted():
    doc = extract.extract("Children’s Social Care – review".encode("cp1252"))

    assert doc.text == "Children’s Social Care – review"


def test_sniff_type_goes_by_content_not_name():
    assert extract.sniff_type(testing.make_text_pdf(["x"])) == "pdf"
    assert extract.sniff_type(testing.make_docx([[("text", "x")]])) == "docx"
    assert extract.sniff_type(b"plain words") == "txt"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,
        b"MZ\x90\x00\x03" + b"\x00" * 50,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50,  # old binary .doc
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"text with a NUL \x00 inside",
    ],
    ids=["png", "exe", "ole-doc", "html", "nul"],
)
def test_binary_and_markup_content_is_not_accepted_as_any_type(data):
    with pytest.raises(UnsupportedDocument):
        extract.sniff_type(data)


def test_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")

    with pytest.raises(UnsupportedDocument, match="not a Word document"):
        extract.sniff_type(buffer.getvalue())
