"""Build small PDF, DOCX and text documents in memory for tests and benchmarks.

The PDF writer is deliberately minimal (standard Helvetica, one text stream per page) so tests
need neither a browser engine nor font files, and so a scanned PDF (an image, no text layer)
can be produced exactly.
"""

from __future__ import annotations

import io
import zlib


def _pdf_escape(line: str) -> bytes:
    raw = line.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _assemble_pdf(objects: list[bytes]) -> bytes:
    """Join numbered objects (1-based, in order) into a PDF with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def make_text_pdf(pages: list[str], *, compress: bool = True) -> bytes:
    """Return a PDF whose pages carry the given texts as a real text layer (one line per line)."""
    n = len(pages)
    # Objects: 1 catalog, 2 pages tree, 3 font, then (page, content) pairs.
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, text in enumerate(pages):
        ops = [b"BT /F1 10 Tf 12 TL 56 790 Td"]
        for line in text.split("\n"):
            ops.append(b"(" + _pdf_escape(line) + b") Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        if compress:
            data = zlib.compress(stream)
            header = b"<< /Length %d /Filter /FlateDecode >>" % len(data)
        else:
            data = stream
            header = b"<< /Length %d >>" % len(data)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(header + b"\nstream\n" + data + b"\nendstream")
    return _assemble_pdf(objects)


def make_scanned_pdf(page_count: int = 2) -> bytes:
    """Return a PDF whose pages are only an image, as a scanner produces: no text layer."""
    width = height = 64
    pixels = bytes((x * 4 + y) % 256 for y in range(height) for x in range(width))
    image = zlib.compress(pixels)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(page_count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % page_count,
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (width, height, len(image))
        + image
        + b"\nendstream",
    ]
    content = b"q 500 0 0 700 40 60 cm /Im1 Do Q"
    for i in range(page_count):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    return _assemble_pdf(objects)


def make_docx(pages: list[list[tuple[str, str]]]) -> bytes:
    """Return a DOCX with explicit page breaks between pages.

    Each page is a list of (style, text) pairs, style being "heading" or "text".
    """
    import docx

    document = docx.Document()
    for index, page in enumerate(pages):
        if index:
            document.add_page_break()
        for style, text in page:
            if style == "heading":
                document.add_heading(text, level=1)
            else:
                document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_report_pages(page_count: int, *, lines_per_page: int = 45) -> list[str]:
    """Return plausible review-report pages (fictional, pseudonymised) for speed measurements."""
    body = (
        "Practitioners from Children's Social Care, Health and the Police met to discuss Child A. "
        "The Health Visitor recorded concerns about home conditions and missed appointments. "
        "Information was shared late between agencies and the risk was not escalated. "
        "The GP was not invited to the strategy discussion, which limited the picture of need. "
        "Early Help support ended when the family moved, and the case was closed without a plan."
    )
    words = body.split()
    pages = []
    for p in range(page_count):
        lines = [f"{p + 1}. Findings section {p + 1}"]
        cursor = p
        while len(lines) < lines_per_page:
            line = " ".join(words[(cursor + k) % len(words)] for k in range(14))
            lines.append(line)
            cursor += 7
        pages.append("\n".join(lines))
    return pages
