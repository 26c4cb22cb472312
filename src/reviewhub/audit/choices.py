"""Choices for audit events."""

from django.db import models


class AuditAction(models.TextChoices):
    """What happened."""

    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    DELETE = "delete", "Deleted"
    TRANSITION = "transition", "Moved to a new stage"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded"
    SEARCH = "search", "Searched"
    DENIED = "denied", "Refused access"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Failed to sign in"
    LOCKOUT = "lockout", "Locked out"
    LOGOUT = "logout", "Signed out"
    ROLE_CHANGE = "role_change", "Changed roles"
    PURGE = "purge", "Deleted under retention"
    BACKUP = "backup", "Backed up"
    RESTORE = "restore", "Restored from backup"


class Outcome(models.TextChoices):
    """Whether it succeeded."""

    SUCCESS = "success", "Success"
    DENIED = "denied", "Denied"
    FAILURE = "failure", "Failure"
