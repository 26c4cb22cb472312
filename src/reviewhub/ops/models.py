"""Legal holds: records that must not be destroyed while an inquiry, litigation or criminal
proceedings may need them, whatever their retention period says."""

from django.conf import settings
from django.db import models


class LegalHold(models.Model):
    """A hold on one record; it suspends destruction until lifted."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="legal_holds"
    )
    object_type = models.CharField(max_length=60)  # e.g. "cases.case"
    object_id = models.CharField(max_length=64)
    reason = models.CharField(max_length=500)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="hold_object_idx")]

    def __str__(self) -> str:
        return f"Hold on {self.object_type} {self.object_id}"
