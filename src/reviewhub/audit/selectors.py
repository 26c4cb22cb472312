"""Reads of the audit log: administrators of a partnership see that partnership's events."""

from reviewhub.accounts.access import partnerships_with
from reviewhub.accounts.choices import Role

from .models import AuditEvent


def audit_event_list(*, user, object_type="", object_id="", username="", action=""):
    """Return the events an administrator may read, narrowed by record, user and action."""
    ids = partnerships_with(user, [Role.ADMINISTRATOR])
    if not ids:
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.filter(partnership_id__in=ids)
    if username:
        # Sign-in events belong to no partnership; show them for the partnership's own people.
        from reviewhub.accounts.models import User

        person = User.objects.filter(username=username, memberships__partnership__in=ids).first()
        qs = AuditEvent.objects.filter(username=username)
        if person is None:
            return AuditEvent.objects.none()
        qs = qs.filter(partnership_id__in=ids) | qs.filter(partnership_id=None)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("-at", "-id")
