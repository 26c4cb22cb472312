"""Shared test data: the reference briefing and expectations derived from it independently."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from reviewhub.briefings.document import (
    BriefingDocument,
    BulletList,
    Paragraph,
    seven_minute_briefing,
)

REFERENCE_PATH = Path(__file__).parent / "data" / "reference-briefing.txt"
REFERENCE_TEXT = REFERENCE_PATH.read_text(encoding="utf-8")

REFERENCE_TITLES = [
    "Support for families with young children during the COVID-19 pandemic",
    "Parental mental health issues and Child Protection meetings",
    "Voice and experience of the child",
    "Families moving to Telford and Wrekin",
    "Recording of detailed information on information systems",
    "Lack of family engagement with Early Help & Support, and closure of cases",
    "Child Criminal Exploitation",
    "Diagnosis of non-accidental injury to a child",
    "Lack of engagement by a young person in their mental health assessment",
    "Safeguarding concerns when a family is away from home in a different local authority area",
    "Recognition of neglect",
    "Availability of the Emergency Duty Team to respond to urgent safeguarding inquiries",
    "Use of advocates",
    "Professional curiosity",
]


def expected_reference_texts() -> list[str]:
    """List every paragraph and bullet of the reference in order, by plain string splitting.

    Deliberately shares no code with the parser: chunks between blank lines, heading chunks
    dropped, the inline "What ...: " prefixes cut off, bullet lines split into items.
    """
    chunks = [c.strip() for c in REFERENCE_TEXT.split("\n\n") if c.strip()]
    texts: list[str] = []
    for chunk in chunks[1:]:  # the first chunk is the title
        if chunk in ("Background", "Further information") or chunk.startswith("Theme "):
            continue
        for prefix in (
            "What we have learned: ",
            "What you should do: ",
            "What should you do: ",
        ):
            if chunk.startswith(prefix):
                chunk = chunk[len(prefix) :]
        if chunk.startswith("- "):
            texts.extend(line[2:].strip() for line in chunk.split("\n"))
        else:
            texts.append(chunk)
    return texts


def document_texts(doc: BriefingDocument) -> list[str]:
    """Flatten a thematic document's paragraphs and bullet items in reading order."""
    blocks = list(doc.background)
    for theme in doc.themes:
        blocks += theme.learned + theme.actions
    blocks += doc.further_information
    out: list[str] = []
    for block in blocks:
        out.extend([block.text] if isinstance(block, Paragraph) else list(block.items))
    return out


def tiny_png(width: int = 40, height: int = 20, rgb: tuple[int, int, int] = (0, 94, 165)) -> bytes:
    """Return a solid-colour PNG, built by hand so tests need no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def bullets_of(blocks) -> list[tuple[str, ...]]:
    return [b.items for b in blocks if isinstance(b, BulletList)]


def seven_minute_sample() -> BriefingDocument:
    """Return a small 7-minute briefing with every section filled."""
    return seven_minute_briefing(
        "7-minute briefing: Child A",
        subtitle="Rapid review, March 2025",
        partnership_name="Example Safeguarding Children Partnership",
        sources=["RR-2025-03"],
        background=[Paragraph("Child A was 8 months old.")],
        why_it_matters=[Paragraph("Non-mobile babies rarely bruise.")],
        information=[Paragraph("Agencies saw the family 14 times in 3 months.")],
        findings=[BulletList(("Bruising was not escalated", "Fathers were not seen"))],
        actions=[Paragraph("Follow the bruising protocol.")],
        reflection=[
            BulletList(
                (
                    "What are your key thoughts and reflections?",
                    "How will the learning be embedded, and how will we know?",
                    "How can it go into team or service plans?",
                )
            )
        ],
        further_reading=[Paragraph("Bruising in non-mobile infants protocol.")],
    )
