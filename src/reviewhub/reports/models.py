"""The analyst's narrative for a yearly report, kept per partnership and period."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from reviewhub.accounts.access import RestrictedQuerySet, in_partnerships
from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import Partnership

#: Roles that read and write yearly reports.
REPORT_AUTHORS = frozenset({Role.BUSINESS_UNIT, Role.ADMINISTRATOR, Role.ANALYST})


class YearlyReportDraft(models.Model):
    """Narrative paragraphs by section key; the figures are always counted afresh."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="yearly_reports"
    )
    period_from = models.DateField()
    period_to = models.DateField()
    narrative = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Publishing freezes the narrative: later edits are refused.
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period_from", "period_to"], name="yearly_report_period"
            )
        ]

    def __str__(self) -> str:
        return f"Yearly report {self.period_from} to {self.period_to}"

    @classmethod
    def access_rule(cls, user, action):
        return in_partnerships(user, REPORT_AUTHORS)

    def clean(self) -> None:
        if self.period_from and self.period_to and self.period_to < self.period_from:
            raise ValidationError({"period_to": "The end of the period is before its start."})
        if not isinstance(self.narrative, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.narrative.items()
        ):
            raise ValidationError({"narrative": "Narrative must map section keys to text."})
