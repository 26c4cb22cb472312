"""Choices for actions and their evidence."""

from django.db import models

from . import rag


class ActionStatus(models.TextChoices):
    NOT_STARTED = rag.NOT_STARTED, "Not started"
    IN_PROGRESS = rag.IN_PROGRESS, "In progress"
    COMPLETE = rag.COMPLETE, "Complete"
    REOPENED = rag.REOPENED, "Reopened"


#: Statuses an editor may set by hand; completion and reopening have their own services.
EDITABLE_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class RagOverride(models.TextChoices):
    RED = rag.RED, "Red (off track)"
    AMBER = rag.AMBER, "Amber (at risk)"
    GREEN = rag.GREEN, "Green (on track)"


class EvidenceKind(models.TextChoices):
    AUDIT = "audit", "Audit result"
    TRAINING = "training", "Training figures"
    PROCEDURE = "procedure", "Changed procedure"
    OTHER = "other", "Other"
