"""Two-factor sign-in for the demo: the demo users who need it share one published key.

Decision (README, SECURITY.md): the demo must stay usable by a newcomer with nothing but
``./scripts/run``, and its password is printed on the console anyway, so its second factor is a
published demo key too. ``reviewhub demo`` prints the key (add it to any authenticator app) and a
current code; ``reviewhub demo --code`` prints a fresh code whenever one is needed. Never load the
demo into an instance holding real data: its logins are public by design.
"""

from base64 import b32encode

from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .otp import otp_required

# 20 bytes, hex; demo data only.
DEMO_OTP_KEY = "5265766965774875622044656d6f204b65792031"  # noqa: S105
DEMO_DEVICE_NAME = "Demo authenticator"


def demo_secret() -> str:
    """The demo key in base32, as authenticator apps take it."""
    return b32encode(bytes.fromhex(DEMO_OTP_KEY)).decode("ascii")


def demo_code() -> str:
    """The demo key's code for the current 30-second step."""
    totp = TOTP(bytes.fromhex(DEMO_OTP_KEY))
    return f"{totp.token():06d}"


@transaction.atomic
def load_devices(users) -> None:
    """Give each demo user who needs one a confirmed authenticator with the demo key (idempotent).

    The practitioner gets none: practitioners never see case records, so they sign in with the
    password alone (they may still enrol an app of their own).
    """
    for user in users.values():
        if otp_required(user) and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(
                user=user, name=DEMO_DEVICE_NAME, key=DEMO_OTP_KEY, confirmed=True
            )
