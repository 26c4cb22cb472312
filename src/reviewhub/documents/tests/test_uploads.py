import io
import zipfile

import pytest

from reviewhub.documents import extract, testing
from reviewhub.documents.extract import UploadRejected, check_upload, safe_filename


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_accepted_upload_returns_its_type_by_content():
    assert check_upload("report.pdf", testing.make_text_pdf(["Findings"])) == "pdf"
    assert check_upload("notes", b"Plain text without an extension") == "txt"


def test_file_whose_content_contradicts_its_extension_is_rejected():
    with pytest.raises(UploadRejected, match="named .pdf but its content is TXT"):
        check_upload("report.pdf", b"just some text")


def test_executable_renamed_to_pdf_is_rejected():
    with pytest.raises(extract.UnsupportedDocument):
        check_upload("report.pdf", b"MZ\x90\x00" + b"\x00" * 100)


def test_unaccepted_extension_is_rejected():
    with pytest.raises(UploadRejected, match=".exe"):
        check_upload("report.exe", b"text")


def test_pdf_zip_polyglot_is_rejected():
    polyglot = testing.make_text_pdf(["Findings"]) + _zip({"word/document.xml": b"<w/>"})

    with pytest.raises(UploadRejected, match="both a PDF and a zip"):
        check_upload("report.pdf", polyglot)


def test_zip_bomb_disguised_as_docx_is_rejected_before_decompression():
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/media/padding.bin": b"\x00" * (20 * 1024 * 1024),
        }
    )
    assert len(bomb) < 100_000

    with pytest.raises(UploadRejected, match="zip bomb"):
        check_upload("report.docx", bomb)


def test_docx_declaring_too_much_uncompressed_data_is_rejected(monkeypatch):
    monkeypatch.setattr(extract, "MAX_UNCOMPRESSED_BYTES", 1000)
    docx = testing.make_docx([[("text", "A short report.")]])

    with pytest.raises(UploadRejected, match="size limit"):
        check_upload("report.docx", docx)


def test_macro_enabled_word_document_is_rejected():
    docm = _zip({"word/document.xml": b"<w:document/>", "word/vbaProject.bin": b"\x01\x02"})

    with pytest.raises(UploadRejected, match="Macro"):
        check_upload("report.docx", docm)


def test_oversized_upload_is_rejected():
    with pytest.raises(UploadRejected, match="limit"):
        check_upload("report.txt", b"x" * 2000, max_bytes=1000)


def test_empty_upload_is_rejected():
    with pytest.raises(UploadRejected, match="empty"):
        check_upload("report.txt", b"")


@pytest.mark.parametrize(
    "name",
    [
        "../report.pdf",
        "..\\..\\report.pdf",
        "/etc/passwd",
        "C:report.pdf",
        "a/b.pdf",
        "..",
    ],
)
def test_names_with_paths_are_rejected(name):
    with pytest.raises(UploadRejected, match="folder path"):
        check_upload(name, testing.make_text_pdf(["Findings"]))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\evil\\report.pdf", "report.pdf"),
        ("Review\x00.pdf", "Review.pdf"),
        ("rapid review; rm -rf *.docx", "rapid review_ rm -rf _.docx"),
        (".hidden", "hidden"),
        ("", "document"),
    ],
)
def test_safe_filename_keeps_only_a_harmless_last_component(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_shortens_long_names_but_keeps_the_extension():
    name = safe_filename("x" * 300 + ".pdf")

    assert len(name) == 100 and name.endswith(".pdf")


def test_storage_names_are_generated_and_unique():
    first, second = extract.storage_name("pdf"), extract.storage_name("pdf")

    assert first != second
    assert first.endswith(".pdf") and "/" not in first
