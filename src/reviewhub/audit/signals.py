"""Audit sign-in events (ASVS 16.3.1): success, failure, lockout and sign-out."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .choices import AuditAction, Outcome
from .services import audit_event_record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit_event_record(action=AuditAction.LOGIN, obj=user, user=user, partnership_id=None)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_event_record(action=AuditAction.LOGOUT, obj=user, user=user, partnership_id=None)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Record the username tried (never the password) so failures against one account show up.
    username = str(credentials.get("username", ""))[:150]
    known = get_user_model().objects.filter(username=username).first()
    audit_event_record(
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_id=str(known.pk) if known else "",
        outcome=Outcome.FAILURE,
        detail=f"username tried: {username}",
    )


@receiver(user_locked_out)
def on_lockout(sender, request, username=None, ip_address=None, **kwargs):
    audit_event_record(
        action=AuditAction.LOCKOUT,
        object_type="accounts.user",
        outcome=Outcome.DENIED,
        detail=f"username locked out from this address: {str(username)[:150]}",
    )
