"""Test helpers for two-factor sign-in: devices with a known key, codes, and browser sign-in.

Other apps' tests use these through the ``login`` fixture (a verified test client) and
``sign_in(page, base, user)`` (a browser that signs in and enters a real TOTP code).
"""

import time

from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from reviewhub.accounts.otp import otp_required

from .factories import PASSWORD

TEST_OTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, hex


def otp_device_for(user) -> TOTPDevice:
    """Return the user's confirmed authenticator, giving them one with the test key if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Test authenticator", key=TEST_OTP_KEY, confirmed=True
        )
    return device


def otp_code(device: TOTPDevice) -> str:
    """Return a code the device will accept now: never one already used (TOTP replay is refused).

    Uses the current time step, or the next one (inside the device's tolerance) when this step's
    code was used already; waits for the clock when even that one is used.
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    counter = max(totp.t(), device.last_t + 1)
    while counter > totp.t() + device.tolerance:
        time.sleep(1)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{hotp(device.bin_key, counter, device.digits):0{device.digits}d}"


def otp_verify_client(client, user) -> None:
    """Mark a signed-in test client's session as verified, as django_otp.login would."""
    device = otp_device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def sign_in(page, base: str, user) -> None:
    """Sign in through the browser: password, then (when the user needs it) a real TOTP code.

    ``user`` is a User or a username. A user who needs two-factor sign-in and has no authenticator
    gets one with the test key first, so the browser lands on the code page, not the set-up page.
    Returns when the browser has left the sign-in pages.
    """
    if isinstance(user, str):
        user = get_user_model().objects.get(username=user)
    device = otp_device_for(user) if otp_required(user) or _has_device(user) else None
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    if device is not None:
        page.wait_for_url(f"{base}/accounts/two-factor/verify/**")
        page.fill("#id_code", otp_code(device))
        page.click("button:has-text('Continue')")
    page.wait_for_url(lambda url: "/accounts/login/" not in url and "/two-factor/" not in url)


def _has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
