"""Choices for review documents."""

from django.db import models


class DocType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    TXT = "txt", "Text"


class CandidateKind(models.TextChoices):
    LEARNING_POINT = "learning_point", "Learning point"
    RECOMMENDATION = "recommendation", "Recommendation"


class CandidateStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class FindingStatus(models.TextChoices):
    OPEN = "open", "Needs a decision"
    PSEUDONYMISED = "pseudonymised", "Replaced with a pseudonym"
    OVERRIDDEN = "overridden", "Kept, with a reason"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"
