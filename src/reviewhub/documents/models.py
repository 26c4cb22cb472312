"""Review documents held by a partnership: the file, its text page by page, its sections, the
learning points and recommendations proposed from it, and the personal-data findings that stand
between it and publication."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from reviewhub.accounts.access import RestrictedQuerySet, any_of, in_partnerships
from reviewhub.accounts.choices import Role

from .choices import CandidateKind, CandidateStatus, DocType, FindingStatus, JobStatus

# Roles that may read every document of their partnership, published or not.
LIBRARY_STAFF = (Role.BUSINESS_UNIT, Role.ANALYST, Role.ADMINISTRATOR)


class Document(models.Model):
    """An uploaded or imported review document, stored under a generated name."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(max_length=300)
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=100, unique=True)
    doc_type = models.CharField(max_length=10, choices=DocType.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    pii_checked_at = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # The review the document belongs to (report, agency summary, chronology), if any.
    review = models.ForeignKey(
        "cases.Review", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "sha256"], name="document_unique_content"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_rule(cls, user, action):
        """Library staff see their partnership's documents; reviewers and partner leads those of
        reviews they may see (the review's own rule); everyone else published ones only.

        Practitioners read published reports; unpublished documents are case material.
        """
        if action == "view":
            from reviewhub.cases.models import Review

            return any_of(
                in_partnerships(user, LIBRARY_STAFF),
                _published(in_partnerships(user, Role.values)),
                Q(review__in=Review.objects.restrict(user, "view").values("pk")),
            )
        return in_partnerships(user, (Role.BUSINESS_UNIT, Role.ANALYST, Role.ADMINISTRATOR))

    @property
    def text(self) -> str:
        """The whole text, pages joined by form feeds (finding offsets refer to this)."""
        return "\f".join(self.pages.order_by("number").values_list("text", flat=True))


def _published(q):
    return None if q is None else q & Q(published=True)


class DocumentPage(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="page_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.document} p.{self.number}"


class DocumentSection(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=40, blank=True)
    level = models.PositiveSmallIntegerField(default=1)
    page = models.PositiveIntegerField()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class DocumentCandidate(models.Model):
    """A learning point or recommendation proposed from a document, for an analyst to decide."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="candidates")
    kind = models.CharField(max_length=20, choices=CandidateKind.choices)
    title = models.CharField(max_length=300)
    text = models.TextField()
    page = models.PositiveIntegerField()
    section = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["page", "id"]

    def __str__(self) -> str:
        return self.title


class PiiFinding(models.Model):
    """Personal data found in a document's text, and what the author decided about it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="findings")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=500)
    kind = models.CharField(max_length=30)
    page = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=15, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    replacement = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.start}"


class ImportJob(models.Model):
    """A bulk import run in the background, with its progress and failures."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failures = models.JSONField(default=list, blank=True)
    # Uploaded files wait here (generated names) until the task imports them.
    staged = models.JSONField(default=list, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.total} file(s)"

    @classmethod
    def access_rule(cls, user, action):
        return in_partnerships(user, (Role.BUSINESS_UNIT, Role.ANALYST, Role.ADMINISTRATOR))

    @property
    def percent(self) -> int:
        return (
            int(100 * (self.done + self.skipped + len(self.failures)) / self.total)
            if self.total
            else 0
        )
