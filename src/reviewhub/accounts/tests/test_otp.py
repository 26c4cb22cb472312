"""Two-factor sign-in: who must use it, set-up, codes that work once, throttling and auditing."""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reviewhub.accounts.choices import CASE_ROLES, Role
from reviewhub.audit.choices import AuditAction, Outcome
from reviewhub.audit.models import AuditEvent
from reviewhub.tests.factories import PASSWORD
from reviewhub.tests.twofactor import otp_code, otp_device_for

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/setup/"


def password_login(user, client=None) -> Client:
    """Sign in with the password only, through the real sign-in form."""
    client = client or Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    return client


def otp_events(user, action):
    return AuditEvent.objects.filter(user_id=user.pk, action=action, detail__startswith="otp")


@pytest.mark.parametrize("role", sorted(CASE_ROLES))
def test_case_roles_without_a_device_are_sent_to_set_up_before_any_page(world, role):
    client = password_login(world.users[role])
    for url in ("/", "/audit/", "/accounts/users/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP)


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.NATIONAL_ANALYST])
def test_roles_that_never_see_cases_sign_in_without_a_second_factor(world, role):
    client = password_login(world.users[role])
    assert client.get("/").status_code == 200


def test_practitioner_may_enrol_and_is_then_asked_for_a_code(world):
    user = world.users[Role.PRACTITIONER]
    client = password_login(user)
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": f"{hotp(device.bin_key, _t(device)):06d}"})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    fresh = password_login(user)
    response = fresh.get("/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def _t(device):
    from django_otp.oath import TOTP

    return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()


def test_set_up_shows_qr_and_key_once_then_ten_single_use_recovery_codes(world):
    user = world.users[Role.REVIEWER]
    client = password_login(user)
    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200
    # The QR code is an <img> with a data: URI (CSP img-src allows data:); no inline script/style.
    assert re.search(r'<img src="data:image/svg\+xml', html)
    assert "<script>" not in html and "style=" not in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = page.context["secret"].replace(" ", "")
    assert b32decode(secret) == device.bin_key
    # A second visit makes a new secret: the first one is never shown again.
    client.get(SETUP)
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(SETUP, {"code": "000000" if otp_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()

    done = client.post(SETUP, {"code": otp_code(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code in done.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == 10
    # The session is now verified: case pages open.
    assert client.get("/").status_code == 200
    assert otp_events(user, AuditAction.LOGIN).filter(outcome=Outcome.SUCCESS).count() == 1
    assert AuditEvent.objects.filter(
        user_id=user.pk, action=AuditAction.CHANGE, detail="two-factor authenticator enrolled"
    ).exists()


def test_user_with_a_device_must_enter_a_code_before_any_page(world):
    user = world.users[Role.ANALYST]
    device = otp_device_for(user)
    client = password_login(user)
    response = client.get("/audit/?user=x")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert "next=" in response["Location"]
    # Only the two-factor pages, sign-out and static files answer before the code.
    page = client.get(VERIFY)
    assert page.status_code == 200
    assert b"govuk-service-navigation" not in page.content  # no menu until the code is in
    assert client.get("/static/reviewhub/app.css").status_code == 200
    key_before = client.session.session_key
    response = client.post(VERIFY, {"code": otp_code(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session.session_key != key_before  # new session id once verified
    assert client.get("/").status_code == 200
    event = otp_events(user, AuditAction.LOGIN).get()
    assert event.outcome == Outcome.SUCCESS and event.detail == "otp"


def test_unverified_user_can_sign_out(world):
    user = world.users[Role.BUSINESS_UNIT]
    otp_device_for(user)
    client = password_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_a_totp_code_works_only_once_even_in_another_session(world):
    user = world.users[Role.BUSINESS_UNIT]
    device = otp_device_for(user)
    code = otp_code(device)
    first = password_login(user)
    assert first.post(VERIFY, {"code": code})["Location"] == "/"
    device.refresh_from_db()
    assert device.last_t >= 0
    device.throttling_failure_count = 0
    device.save()
    second = password_login(user)
    replay = second.post(VERIFY, {"code": code})
    assert replay.status_code == 200
    assert "used already" in replay.content.decode()
    assert second.get("/").status_code == 302
    failed = otp_events(user, AuditAction.LOGIN_FAILED).get()
    assert failed.detail == "otp" and failed.outcome == Outcome.FAILURE


def test_a_recovery_code_works_once(world):
    user = world.users[Role.PARTNER_LEAD]
    otp_device_for(user)
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    static.token_set.create(token="abcd2345")
    client = password_login(user)
    assert client.post(VERIFY, {"code": "ABCD-2345"})["Location"] == "/"
    assert not StaticToken.objects.filter(device=static).exists()
    again = password_login(user)
    assert again.post(VERIFY, {"code": "abcd2345"}).status_code == 200
    assert again.get("/").status_code == 302
    assert otp_events(user, AuditAction.LOGIN).get().detail == "otp recovery code"


def test_wrong_codes_are_throttled_and_audited(world):
    user = world.users[Role.ADMINISTRATOR]
    device = otp_device_for(user)
    client = password_login(user)
    good = otp_code(device)
    bad = "123456" if good != "123456" else "654321"
    assert client.post(VERIFY, {"code": bad}).status_code == 200
    # The next attempt comes too soon: even the right code is refused until the back-off ends.
    response = client.post(VERIFY, {"code": good})
    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    failures = otp_events(user, AuditAction.LOGIN_FAILED)
    assert failures.count() == 2
    assert {e.detail for e in failures} == {"otp", "otp throttled"}
    # No code, secret or token ever goes into the audit log.
    assert not AuditEvent.objects.filter(detail__contains=good).exists()
    assert not AuditEvent.objects.filter(detail__contains=bad).exists()


def test_malformed_codes_get_a_field_error(world):
    user = world.users[Role.REVIEWER]
    otp_device_for(user)
    client = password_login(user)
    for code in ("", "12345", "abc", "1234567", "<script>"):
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 200
        assert response.context["form"].errors["code"]


def test_hostile_next_is_ignored_after_the_code(world):
    user = world.users[Role.REVIEWER]
    device = otp_device_for(user)
    client = password_login(user)
    response = client.post(VERIFY, {"code": otp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_administrator_resets_two_factor_and_ends_sessions(world, login):
    admin = world.users[Role.ADMINISTRATOR]
    person = world.users[Role.REVIEWER]
    person_client = login(person)
    assert person_client.get("/").status_code == 200
    StaticDevice.objects.create(user=person, name="Recovery codes", confirmed=True)
    admin_client = login(admin)
    page = admin_client.get(reverse("accounts:user_list")).content.decode()
    assert reverse("accounts:user_otp_reset", kwargs={"pk": person.pk}) in page
    response = admin_client.post(reverse("accounts:user_otp_reset", kwargs={"pk": person.pk}))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    # Their session ended; at the next sign-in they must set up a new authenticator.
    assert person_client.get("/").status_code == 302
    fresh = password_login(person)
    assert fresh.get("/")["Location"].startswith(SETUP)
    event = AuditEvent.objects.get(
        action=AuditAction.CHANGE, object_id=str(person.pk), detail__contains="two-factor reset"
    )
    assert event.user_id == admin.pk and event.changed_fields == ["otp_device"]


def test_administrator_cannot_reset_someone_in_another_partnership(world, login):
    outsider = world.outsider_admin
    otp_device_for(outsider)
    client = login(world.users[Role.ADMINISTRATOR])
    response = client.post(reverse("accounts:user_otp_reset", kwargs={"pk": outsider.pk}))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=outsider).exists()


def test_only_administrators_may_reset_two_factor(world, login):
    target = world.users[Role.ANALYST]
    otp_device_for(target)
    client = login(world.users[Role.BUSINESS_UNIT])
    response = client.post(reverse("accounts:user_otp_reset", kwargs={"pk": target.pk}))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=target).exists()


def test_login_fixture_gives_a_verified_session(world, login):
    for role in Role.values:
        assert login(world.users[role]).get("/").status_code == 200


def test_demo_users_sign_in_with_the_printed_demo_code(db):
    from io import StringIO

    from django.core.management import call_command

    from reviewhub.accounts.models import User
    from reviewhub.accounts.otp_demo import demo_code, demo_secret

    out = StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=StringIO())  # idempotent: still one device each
    assert demo_secret() in out.getvalue()
    manager = User.objects.get(username="manager")
    assert TOTPDevice.objects.filter(user=manager).count() == 1
    assert not TOTPDevice.objects.filter(user__username="practitioner").exists()
    client = Client()
    client.post(
        reverse("accounts:login"), {"username": "manager", "password": "demo-Reviewhub-2026"}
    )
    code = StringIO()
    call_command("demo", "--code", stdout=code)
    assert code.getvalue().strip() == demo_code()
    assert client.post(VERIFY, {"code": code.getvalue().strip()})["Location"] == "/"
