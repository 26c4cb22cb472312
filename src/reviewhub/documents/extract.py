"""Check uploaded review documents and extract their text with page numbers.

Types are decided by content, never by the name the browser sent: a PDF starts with its magic,
a DOCX is a zip holding ``word/document.xml`` (checked against zip bombs before anything is
decompressed), and plain text is UTF-8 (or Windows-1252) without NUL bytes. A scanned PDF with
no text layer raises :class:`ScannedPDFError` so it is reported rather than imported empty.
"""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Literal

DocType = Literal["pdf", "docx", "txt"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# A DOCX of several hundred pages decompresses to tens of megabytes; anything far beyond that is
# a decompression bomb, not a review report.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 100
# Below this size a high ratio is harmless (an empty XML part compresses 100:1 legitimately).
RATIO_CHECK_MIN_BYTES = 1024 * 1024
# A page with fewer visible characters than this is treated as having no text (page numbers,
# a scanner's footer stamp).
MIN_PAGE_TEXT_CHARS = 20

EXTENSIONS: dict[str, DocType] = {".pdf": "pdf", ".docx": "docx", ".txt": "txt"}

# Magic numbers of formats that must never be accepted as text even if they decode.
_BINARY_MAGICS = (
    b"PK\x03\x04",
    b"%PDF",
    b"\x7fELF",
    b"MZ",
    b"GIF8",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"\xd0\xcf\x11\xe0",  # OLE2: .doc, .xls, .msg
    b"{\\rtf",
)


class UnsupportedDocument(ValueError):
    """Raise when a file cannot be accepted; the message is shown to the uploader as is."""


class UploadRejected(UnsupportedDocument):
    """Raise when an upload fails a safety check (size, name, type by content)."""


class ScannedPDFError(UnsupportedDocument):
    """Raise when a PDF has pages but no text layer (a scan), so it is not imported empty."""

    def __init__(self, page_count: int):
        self.page_count = page_count
        super().__init__(
            f"This PDF has {page_count} page(s) but no text layer: it looks like a scan. "
            "Run it through OCR (or upload the original document) and try again."
        )


@dataclass(frozen=True)
class ExtractedDocument:
    """Hold a document's text page by page.

    ``pages`` are (page_number, text) with page numbers from 1. ``text`` joins the pages with a
    form feed, and character offsets elsewhere (personal-data findings) refer to that string.
    """

    doc_type: DocType
    pages: list[tuple[int, str]]
    has_text_layer: bool = True
    empty_pages: list[int] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\f".join(text for _, text in self.pages)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def page_at(self, offset: int) -> int:
        """Return the page number holding character ``offset`` of :attr:`text`."""
        position = 0
        for number, text in self.pages:
            position += len(text) + 1
            if offset < position:
                return number
        return self.pages[-1][0] if self.pages else 1


# --- names and limits -------------------------------------------------------------------------

_UNSAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._ ()-]+")


def safe_filename(name: str, *, max_length: int = 100) -> str:
    """Return a display-safe version of an uploaded file name.

    Keep only the last path component, drop control and shell-special characters and leading
    dots, so the name can be shown and offered for download without surprises. Files are never
    stored under this name (see :func:`storage_name`).
    """
    name = unicodedata.normalize("NFKC", name or "")
    name = name.replace("\x00", "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip(" ._")
    name = re.sub(r"_+", "_", name)
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: max_length - len(ext) - 1].rstrip(" ._") + "." + ext
        else:
            name = name[:max_length]
    return name or "document"


def storage_name(doc_type: DocType) -> str:
    """Return a fresh, unguessable name to store an upload under."""
    return f"{uuid.uuid4().hex}.{doc_type}"


def _has_path_tricks(name: str) -> bool:
    if "\x00" in name or "/" in name or "\\" in name:
        return True
    if re.match(r"^[A-Za-z]:", name):
        return True
    return name.strip() in {".", ".."} or name.startswith("..")


def check_upload(name: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DocType:
    """Check an upload before storing it and return its type decided by content.

    Reject empty or oversized files, names that carry a path, and files whose content is not one
    of the accepted types or contradicts the name's extension.
    """
    if not data:
        raise UploadRejected("The file is empty.")
    if len(data) > max_bytes:
        raise UploadRejected(
            f"The file is {len(data) / 1048576:.1f} MB; the limit is {max_bytes / 1048576:.0f} MB."
        )
    if _has_path_tricks(name or ""):
        raise UploadRejected("The file name must not contain a folder path.")
    doc_type = sniff_type(data)
    ext = "." + name.rpartition(".")[2].lower() if "." in name else ""
    declared = EXTENSIONS.get(ext)
    if ext and declared is None:
        raise UploadRejected(
            f"Files ending {ext} are not accepted; upload a PDF, Word (.docx) or text file."
        )
    if declared and declared != doc_type:
        raise UploadRejected(
            f"The file is named {ext} but its content is {doc_type.upper()}; "
            "rename it or upload the right file."
        )
    return doc_type


# --- type sniffing ----------------------------------------------------------------------------


def _check_zip_limits(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise UploadRejected("The Word document has too many parts to be a report.")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_CHECK_MIN_BYTES and (
            info.compress_size == 0 or info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
        ):
            raise UploadRejected(
                "The Word document expands to far more than its size (a possible zip bomb)."
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UploadRejected("The Word document expands to more than the size limit.")


def _open_docx_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnsupportedDocument("The file looks like a zip archive but is damaged.") from exc
    _check_zip_limits(archive)
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        raise UnsupportedDocument(
            "The file is a zip archive but not a Word document; upload a PDF, .docx or text file."
        )
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UploadRejected("Macro-enabled Word documents are not accepted; save it as .docx.")
    if any(".." in n.split("/") or n.startswith("/") for n in names):
        raise UploadRejected("The Word document contains parts with path tricks.")
    return archive


def _decode_text(data: bytes) -> str | None:
    if any(data.startswith(magic) for magic in _BINARY_MAGICS) or b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return None
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 1000):
        return None
    head = text.lstrip()[:100].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml", "<svg", "<script")):
        return None
    return text


def sniff_type(data: bytes) -> DocType:
    """Return the document type by content, or raise :class:`UnsupportedDocument`.

    Polyglots are refused: a file that starts like a PDF but is also a valid zip archive is
    neither, as far as this library is concerned.
    """
    if data.startswith(b"%PDF-"):
        if zipfile.is_zipfile(io.BytesIO(data)):
            raise UploadRejected("The file is both a PDF and a zip archive; it is not accepted.")
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        _open_docx_zip(data).close()
        return "docx"
    if _decode_text(data) is not None:
        return "txt"
    raise UnsupportedDocument(
        "The file is not a PDF, Word (.docx) or plain-text document (judged by its content)."
    )


# --- extraction -------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    # A form feed separates pages in ExtractedDocument.text, so none may occur inside a page.
    text = text.replace("\f", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def _visible_chars(text: str) -> int:
    return len("".join(text.split()))


def _extract_pdf(data: bytes) -> ExtractedDocument:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise UnsupportedDocument(
                "The PDF is password-protected; remove the password and upload it again."
            ) from exc
        raise UnsupportedDocument("The PDF is damaged and cannot be read.") from exc
    try:
        pages: list[tuple[int, str]] = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_bounded()
            finally:
                textpage.close()
                page.close()
            pages.append((index + 1, _normalise(text)))
    finally:
        pdf.close()
    if not pages:
        raise UnsupportedDocument("The PDF has no pages.")
    empty = [n for n, t in pages if _visible_chars(t) < MIN_PAGE_TEXT_CHARS]
    if len(empty) == len(pages):
        raise ScannedPDFError(len(pages))
    return ExtractedDocument("pdf", pages, has_text_layer=True, empty_pages=empty)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_runs(paragraph) -> list[tuple[str, bool]]:
    """Return (text, page_break_before) pieces of a paragraph element in document order."""
    pieces: list[tuple[str, bool]] = []
    buffer: list[str] = []
    ppr = paragraph.find(f"{_W}pPr")
    if ppr is not None and ppr.find(f"{_W}pageBreakBefore") is not None:
        pieces.append(("", True))
    for node in paragraph.iter():
        tag = node.tag
        if tag == f"{_W}t":
            buffer.append(node.text or "")
        elif tag == f"{_W}tab":
            buffer.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            if node.get(f"{_W}type") == "page":
                pieces.append(("".join(buffer), False))
                buffer = []
                pieces.append(("", True))
            else:
                buffer.append("\n")
    pieces.append(("".join(buffer), False))
    return pieces


def _extract_docx(data: bytes) -> ExtractedDocument:
    import docx

    _open_docx_zip(data).close()
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types on bad packages
        raise UnsupportedDocument("The Word document is damaged and cannot be read.") from exc
    pages: list[list[str]] = [[]]
    headings: list[str] = []
    body = document.element.body
    for block in body.iterchildren():
        if block.tag == f"{_W}p":
            paragraphs = [block]
        elif block.tag == f"{_W}tbl":
            paragraphs = list(block.iter(f"{_W}p"))
        else:
            continue
        for paragraph in paragraphs:
            line_parts: list[str] = []
            for text, page_break in _paragraph_runs(paragraph):
                if page_break:
                    if line_parts and "".join(line_parts).strip():
                        pages[-1].append("".join(line_parts))
                    line_parts = []
                    pages.append([])
                else:
                    line_parts.append(text)
            line = "".join(line_parts)
            pages[-1].append(line)
            style = paragraph.find(f"{_W}pPr/{_W}pStyle")
            if style is not None and line.strip():
                style_id = (style.get(f"{_W}val") or "").lower()
                if style_id.startswith(("heading", "title")):
                    headings.append(line.strip())
    texts = [_normalise("\n".join(lines)) for lines in pages]
    # A trailing page break leaves an empty last page that the reader never sees.
    while len(texts) > 1 and not texts[-1].strip():
        texts.pop()
    numbered = [(i + 1, t) for i, t in enumerate(texts)]
    if not any(_visible_chars(t) for t in texts):
        raise UnsupportedDocument("The Word document contains no text.")
    empty = [n for n, t in numbered if not t.strip()]
    return ExtractedDocument("docx", numbered, empty_pages=empty, headings=headings)


def _extract_txt(data: bytes) -> ExtractedDocument:
    text = _decode_text(data)
    if text is None:
        raise UnsupportedDocument("The file is not readable text.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Form feeds are the conventional page separator in plain-text exports (pdftotext).
    # Pages are kept verbatim so that offsets into ``ExtractedDocument.text`` are offsets into
    # the file's own text (with universal newlines), which the personal-data check reports.
    pages = [(i + 1, t) for i, t in enumerate(text.split("\f"))]
    if not any(_visible_chars(t) for _, t in pages):
        raise UnsupportedDocument("The text file is empty.")
    return ExtractedDocument("txt", pages)


def extract(data: bytes) -> ExtractedDocument:
    """Return the text of a PDF, DOCX or TXT document page by page, judged by content."""
    doc_type = sniff_type(data)
    if doc_type == "pdf":
        return _extract_pdf(data)
    if doc_type == "docx":
        return _extract_docx(data)
    return _extract_txt(data)
