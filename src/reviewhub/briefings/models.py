"""Briefings: versioned documents built from learning, published to practitioners, and the
record of who received, opened and acknowledged each one."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from reviewhub.accounts.access import RestrictedQuerySet, any_of, in_partnerships
from reviewhub.accounts.choices import Role

from .choices import BriefingKind, BriefingStatus

AUTHORS = (Role.ANALYST, Role.BUSINESS_UNIT, Role.ADMINISTRATOR)


class Briefing(models.Model):
    """A thematic or 7-minute briefing. Its content lives in versions; the latest is current."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="briefings"
    )
    kind = models.CharField(max_length=20, choices=BriefingKind.choices)
    title = models.CharField(max_length=300)
    status = models.CharField(
        max_length=12, choices=BriefingStatus.choices, default=BriefingStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Decisions to keep text the personal-data check flagged: [{"text", "kind", "reason"}].
    pii_overrides = models.JSONField(default=list, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_rule(cls, user, action):
        """Authors see and change all of their partnership's briefings; everyone in the
        partnership reads published ones."""
        if action == "view":
            members = in_partnerships(user, Role.values)
            return any_of(
                in_partnerships(user, AUTHORS),
                None if members is None else members & Q(status=BriefingStatus.PUBLISHED),
            )
        return in_partnerships(user, AUTHORS)

    @property
    def current(self):
        return self.versions.order_by("-number").first()


class BriefingVersion(models.Model):
    """One saved state of a briefing's content (the document model's JSON)."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "number"], name="briefing_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.briefing} v{self.number}"


class BriefingDelivery(models.Model):
    """A briefing sent to one person: when it was sent, opened and acknowledged."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="briefing_deliveries"
    )
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    reflection = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["briefing", "user"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "user"], name="delivery_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.briefing} to {self.user}"
