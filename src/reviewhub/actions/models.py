"""Actions under a recommendation: owner, milestones, evidence of impact and completion.

RAG is never stored: ``Action.rag()`` derives it from the stored dates, progress, milestones
and evidence with :func:`reviewhub.actions.rag.derive_rag` on every read.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from reviewhub.accounts.access import (
    Action as AccessAction,
)
from reviewhub.accounts.access import (
    RestrictedQuerySet,
    agency_ids,
    any_of,
    in_partnerships,
)
from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import Agency, Partnership

from . import rag
from .choices import ActionStatus, EvidenceKind, RagOverride

#: Roles that see every action of their partnership.
ACTION_READERS = frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST})
#: Roles that create and edit any action of their partnership.
ACTION_EDITORS = frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR})
#: Only the business unit signs off completion (and reopens).
SIGN_OFF_ROLES = frozenset({Role.BUSINESS_UNIT})


def action_rule(user, action: str, prefix: str = "") -> Q | None:
    """Who may do what with an action (``prefix`` reaches an action through a relation).

    Business unit and administrators see and edit every action of their partnership; analysts
    see them all; partner leads see and edit the actions their agency leads, and see every
    action of the reviews they may see. Practitioners, reviewers and other partnerships: none.
    """
    from reviewhub.cases.models import Review

    field = f"{prefix}partnership"
    editors = in_partnerships(user, ACTION_EDITORS, field=field)
    leads = in_partnerships(user, (Role.PARTNER_LEAD,), field=field)
    own = None
    agencies = agency_ids(user)
    if leads is not None and agencies:
        own = leads & Q(**{f"{prefix}lead_agency__in": agencies})
    if action != AccessAction.VIEW and action != AccessAction.EXPORT:
        return any_of(editors, own)
    readers = in_partnerships(user, ACTION_READERS, field=field)
    reviews = None
    if leads is not None:
        visible = Review.objects.restrict(user, AccessAction.VIEW).values("pk")
        reviews = leads & Q(**{f"{prefix}recommendation__source__review__in": visible})
    return any_of(readers, own, reviews)


class Action(models.Model):
    """One action an agency takes to answer a recommendation."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="actions")
    recommendation = models.ForeignKey(
        "learning.Recommendation", on_delete=models.PROTECT, related_name="actions"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    lead_officer = models.CharField(max_length=200, blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    progress_percent = models.PositiveSmallIntegerField("progress (%)", default=0)
    agency_response = models.TextField(blank=True)
    rag_override = models.CharField(
        "RAG set by hand", max_length=10, choices=RagOverride.choices, blank=True
    )
    rag_override_reason = models.TextField("reason for setting the RAG by hand", blank=True)
    completed_on = models.DateField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    reopened_reason = models.TextField(blank=True)
    #: Optimistic concurrency: every save through the service bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["target_date", "pk"]
        indexes = [models.Index(fields=["partnership", "status", "target_date"])]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_rule(cls, user, action: str) -> Q | None:
        return action_rule(user, action)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if not (self.title or "").strip():
            errors.setdefault("title", []).append("Enter what the action is.")
        if self.progress_percent is not None and not 0 <= self.progress_percent <= 100:
            errors.setdefault("progress_percent", []).append("Progress must be between 0 and 100.")
        if self.rag_override and not (self.rag_override_reason or "").strip():
            errors.setdefault("rag_override_reason", []).append(
                "Give a reason for setting the RAG status by hand."
            )
        if (
            self.recommendation_id
            and self.partnership_id
            and self.recommendation.partnership_id != self.partnership_id
        ):
            errors.setdefault("recommendation", []).append(
                "The recommendation belongs to another partnership."
            )
        if (
            self.lead_agency_id
            and self.partnership_id
            and self.lead_agency.partnership_id != self.partnership_id
        ):
            errors.setdefault("lead_agency", []).append("Choose an agency of this partnership.")
        if self.status == ActionStatus.COMPLETE and self.signed_off_by_id is None:
            errors.setdefault("status", []).append("Completion needs the business unit's sign-off.")
        if errors:
            raise ValidationError(errors)

    def evidence_count(self) -> int:
        cached = getattr(self, "_prefetched_objects_cache", {}).get("evidence")
        if cached is not None:
            return len(cached)
        annotated = getattr(self, "n_evidence", None)
        if annotated is not None:
            return annotated
        return self.evidence.count()

    def rag(self, today: date | None = None) -> rag.RagResult:
        """Derive the RAG status now (or on ``today``) from the stored facts."""
        return rag.derive_rag(
            target_date=self.target_date,
            today=today or timezone.localdate(),
            status=self.status,
            progress_percent=self.progress_percent,
            milestones=list(self.milestones.all()),
            completed_date=self.completed_on,
            evidence_count=self.evidence_count(),
            override=self.rag_override or None,
            override_reason=self.rag_override_reason,
        )

    @property
    def is_open(self) -> bool:
        return self.status != ActionStatus.COMPLETE


class Milestone(models.Model):
    """A dated step of an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def completed_date(self) -> date | None:
        """The name :mod:`reviewhub.actions.rag` reads."""
        return self.completed_on

    @property
    def partnership_id(self):
        return self.action.partnership_id


class Evidence(models.Model):
    """Evidence of an action's impact: a summary and, optionally, a stored attachment."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    summary = models.TextField()
    original_name = models.CharField(max_length=200, blank=True)
    stored_name = models.CharField(max_length=100, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.get_kind_display()

    @classmethod
    def access_rule(cls, user, action: str) -> Q | None:
        return action_rule(user, action, prefix="action__")

    @property
    def partnership_id(self):
        return self.action.partnership_id

    def clean(self) -> None:
        if not (self.summary or "").strip():
            raise ValidationError({"summary": "Describe the evidence of impact."})
