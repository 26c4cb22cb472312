"""The briefing document core: a plain data model, parsers and renderers, free of Django."""

from .model import (
    ACTION_HEADING,
    LEARNED_HEADING,
    SEVEN_MINUTE,
    SEVEN_MINUTE_SECTIONS,
    THEMATIC,
    BriefingDocument,
    BulletList,
    Paragraph,
    Section,
    Theme,
    iter_learning_points,
    seven_minute_briefing,
)
from .parse import BriefingParseError, parse_bytes, parse_file, parse_text
from .render import render_docx, render_html, render_markdown, render_pdf

__all__ = [
    "ACTION_HEADING",
    "LEARNED_HEADING",
    "SEVEN_MINUTE",
    "SEVEN_MINUTE_SECTIONS",
    "THEMATIC",
    "BriefingDocument",
    "BriefingParseError",
    "BulletList",
    "Paragraph",
    "Section",
    "Theme",
    "iter_learning_points",
    "parse_bytes",
    "parse_file",
    "parse_text",
    "render_docx",
    "render_html",
    "render_markdown",
    "render_pdf",
    "seven_minute_briefing",
]
