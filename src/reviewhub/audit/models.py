"""Append-only audit events: who did what to which record, when, from where, and whether it worked.

Rows are never updated or deleted; the database refuses it (triggers installed by migration 0002).
Each row carries the hash of the one before it and its own, a chain that shows any change
(``chain.py``; ``reviewhub audit verify``).
Events hold references and field names, never the content of case records (ASVS 16.2.5).
"""

from django.db import models
from django.utils import timezone

from .choices import AuditAction, Outcome


class AuditEvent(models.Model):
    """One audited event."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Plain ids, not foreign keys: an event must outlive what it refers to, and a cascade would be
    # an update the database refuses.
    user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    username = models.CharField(max_length=150, blank=True)
    user_display = models.CharField(max_length=300, blank=True)
    roles = models.CharField(max_length=300, blank=True)
    agency = models.CharField(max_length=300, blank=True)
    partnership_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    request_id = models.CharField(max_length=64, blank=True, db_index=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    ip = models.GenericIPAddressField(null=True, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    # The hash chain (chain.py): SHA-256 hex of the previous event, and of this one's fields plus
    # prev_hash. The database default lets raw inserts through; the verifier flags them.
    prev_hash = models.CharField(max_length=64, blank=True, default="", db_default="")
    hash = models.CharField(max_length=64, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.object_type}"
