from django.db import models


class BriefingKind(models.TextChoices):
    THEMATIC = "thematic", "Thematic briefing"
    SEVEN_MINUTE = "seven_minute", "7-minute briefing"


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class RenderFormat(models.TextChoices):
    HTML = "html", "Web page (HTML)"
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    MARKDOWN = "md", "Markdown"
