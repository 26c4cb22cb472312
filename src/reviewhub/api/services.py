"""Create and revoke API tokens, audited."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from .models import ApiToken

TOKEN_PREFIX = "rh_"  # noqa: S105  (a label, not a secret)
MAX_DAYS = 365


def token_hash(secret: str) -> str:
    """Hash a token. Tokens are 256-bit random values, so one SHA-256 round suffices."""
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """Make a token for ``user``; return it with its plain text, shown to the user once only."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A token lasts between 1 and {MAX_DAYS} days.")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValueError("Give the token a name of 1 to 100 characters.")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    plain = f"{TOKEN_PREFIX}{prefix}_{secret}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        hashed=token_hash(plain),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_event_record(action=AuditAction.CREATE, obj=token, detail="api token created")
    return token, plain


@transaction.atomic
def api_token_revoke(*, user, token_id: int) -> ApiToken | None:
    """Revoke one of the user's own tokens; None if it is not theirs."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        return None
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_event_record(
            action=AuditAction.CHANGE,
            obj=token,
            changed_fields=["revoked_at"],
            detail="api token revoked",
        )
    return token


def api_token_authenticate(plain: str):
    """Return the live token matching ``plain``, or None. Compares hashes in constant time."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    try:
        prefix = plain[len(TOKEN_PREFIX) :].split("_", 1)[0]
    except IndexError:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not secrets.compare_digest(token.hashed, token_hash(plain)):
        return None
    if not token.is_live or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
