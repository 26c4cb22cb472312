"""Versions of a partnership's theme model, trained from its own confirmed codes."""

from django.db import models


class ModelVersion(models.Model):
    """One trained state of the theme engine for a partnership, with the figures of that version.

    The packaged default model serves until a partnership has confirmed codes of its own; each
    retraining adds a version (never overwrites one), so suggestions can be traced to the model
    that made them.
    """

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="theme_models"
    )
    version = models.CharField(max_length=40)
    state = models.BinaryField()
    figures = models.JSONField(default=dict, blank=True)
    taxonomy_fingerprint = models.CharField(max_length=20)
    examples = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.version} ({self.examples} examples)"
