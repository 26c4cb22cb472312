"""Two-factor sign-in (ASVS 6.3.2, 6.5.1): TOTP authenticators and single-use recovery codes.

Every role that can see case records (``CASE_ROLES``) must use a second factor; practitioners and
national analysts may enrol. django-otp keeps the devices: ``TOTPDevice`` records the last time
step used (``last_t``), so a code is accepted once, and both device kinds throttle wrong codes with
exponential back-off. Every success and failure is audited; codes and secrets never are.
"""

import re

import django_otp
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reviewhub.audit.choices import AuditAction, Outcome
from reviewhub.audit.services import audit_event_record

from .access import role_map
from .choices import CASE_ROLES
from .services import user_sessions_end

TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
TOTP_PATTERN = re.compile(r"^\d{6}$")
RECOVERY_PATTERN = re.compile(r"^[a-z2-7]{8}$")


def otp_required(user) -> bool:
    """Tell whether the user must use a second factor: they hold a role that sees case records."""
    return any(roles & CASE_ROLES for roles in role_map(user).values())


def otp_has_device(user) -> bool:
    """Tell whether the user has a confirmed authenticator (so must enter a code to continue)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def normalise_code(raw: str) -> str:
    """Drop the spaces and dashes people type; lower-case recovery codes."""
    return re.sub(r"[\s-]", "", str(raw or "")).lower()


@transaction.atomic
def otp_setup_start(*, user) -> TOTPDevice:
    """Start enrolment with a fresh secret, discarding any unconfirmed one (shown once)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def otp_pending_device(*, user) -> TOTPDevice | None:
    """Return the authenticator being enrolled, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def otp_setup_confirm(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm an authenticator with a code from it; return new recovery codes, or None.

    On success the session is verified with the new device and ten recovery codes replace any
    earlier ones. A wrong code is throttled and audited like any other failed code; raises
    ``Throttled`` (after auditing) while the device is backing off.
    """
    user = request.user
    code = normalise_code(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        wait = _throttle_wait(device)
        if wait:
            _audit_failure(user, throttled=True)
        elif not TOTP_PATTERN.match(code) or not device.verify_token(code):
            if not TOTP_PATTERN.match(code):
                device.throttle_increment()
            _audit_failure(user)
            return None
        else:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _recovery_codes_replace(user)
            django_otp.login(request, device)
            request.session.cycle_key()  # a new session id for the raised privilege
            audit_event_record(
                action=AuditAction.CHANGE,
                obj=user,
                user=user,
                changed_fields=["otp_device"],
                detail="two-factor authenticator enrolled",
            )
            audit_event_record(action=AuditAction.LOGIN, obj=user, user=user, detail="otp")
            return codes
    raise Throttled(wait)


def _throttle_wait(device) -> int:
    """Seconds the device still refuses codes after earlier wrong ones (0: it accepts codes)."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (info or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = []
    while len(codes) < settings.OTP_RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=static, token=t) for t in codes)
    return codes


class Throttled(Exception):
    """Too many wrong codes in a row: the user must wait before trying again."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def otp_verify(*, request, code: str):
    """Verify the signed-in user's session with a TOTP code or a recovery code.

    Returns the device that accepted the code, or None. Raises ``Throttled`` (after auditing the
    attempt) while the device is backing off. The failure audit and the throttle counter commit
    even though the sign-in fails.
    """
    user = request.user
    code = normalise_code(code)
    model = StaticDevice if RECOVERY_PATTERN.match(code) else TOTPDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            # No recovery codes (e.g. all used): count the attempt against the authenticator.
            model = None
            device = (
                TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            )
            if device is None:
                _audit_failure(user)
                return None
        wait = _throttle_wait(device)
        if wait:
            _audit_failure(user, throttled=True)
        else:
            valid_shape = model is StaticDevice or (
                model is TOTPDevice and TOTP_PATTERN.match(code)
            )
            if not valid_shape or not device.verify_token(code):
                if not valid_shape:
                    device.throttle_increment()
                _audit_failure(user)
                return None
            django_otp.login(request, device)
            request.session.cycle_key()  # a new session id for the raised privilege
            detail = "otp" if model is TOTPDevice else "otp recovery code"
            audit_event_record(action=AuditAction.LOGIN, obj=user, user=user, detail=detail)
            return device
    raise Throttled(wait)


def recovery_codes_left(user) -> int:
    """Count the unused recovery codes."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _audit_failure(user, *, throttled: bool = False):
    audit_event_record(
        action=AuditAction.LOGIN_FAILED,
        obj=user,
        user=user,
        outcome=Outcome.DENIED if throttled else Outcome.FAILURE,
        detail="otp throttled" if throttled else "otp",
    )


@transaction.atomic
def otp_reset(*, user, partnership) -> int:
    """Remove a person's authenticator and recovery codes and end their sessions (administrators).

    They set up a new authenticator at their next sign-in. Returns how many records were removed.
    """
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    user_sessions_end(user=user)
    audit_event_record(
        action=AuditAction.CHANGE,
        obj=user,
        partnership_id=partnership.pk,
        changed_fields=["otp_device"],
        detail="two-factor reset by an administrator",
    )
    return removed
