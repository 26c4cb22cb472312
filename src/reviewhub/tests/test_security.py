"""Project-wide security checks, generic over the policy table so new URLs are covered too.

- CSRF (reliability plan C6): every URL that accepts POST refuses one without a token (403), even
  from a role allowed to POST there.
- Hostile input (C2, C3): NUL bytes, lone surrogates, right-to-left overrides, 1 MB strings,
  spreadsheet formulas, markup and SQL fragments in every field of every form give field errors
  (200) or 400, never a server error, and write nothing.
- Headers (D8): every page sends a CSP with object-src 'none', base-uri 'none' and
  frame-ancestors, nosniff, a Referrer-Policy, and no-store when signed in.
"""

from urllib.parse import quote_from_bytes

import pytest
from axes.utils import reset as axes_reset
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import Membership, User
from reviewhub.audit.models import AuditEvent

from .policy import POLICY, policy_url
from .twofactor import otp_device_for

pytestmark = pytest.mark.django_db


def _url(name, world):
    return policy_url(name, world)


# --- CSRF -----------------------------------------------------------------------------------------


def is_api(rule) -> bool:
    """API rules authenticate by bearer token, never by cookie: CSRF cannot apply to them."""
    return getattr(rule, "api", False)


POST_URLS = sorted(name for name, rule in POLICY.items() if rule.post and not is_api(rule))


def test_the_policy_table_has_state_changing_urls_to_check():
    assert {"accounts:login", "accounts:logout", "accounts:user_create"} <= set(POST_URLS)


@pytest.mark.parametrize("name", POST_URLS)
def test_post_without_csrf_token_is_refused_for_an_allowed_role(world, login, name):
    rule = POLICY[name]
    role = sorted(rule.post)[0]
    client = login(world.users[role], enforce_csrf_checks=True)
    url = _url(name, world)  # builds any records the URL needs before counting
    before = AuditEvent.objects.exclude(action="view").count(), User.objects.count()
    response = client.post(url, {"anything": "1"})
    assert response.status_code == 403, (name, role, response.status_code)
    assert b"CSRF" in response.content
    assert (AuditEvent.objects.exclude(action="view").count(), User.objects.count()) == before


@pytest.mark.parametrize("name", sorted(n for n in POST_URLS if POLICY[n].public))
def test_public_post_without_csrf_token_is_refused_anonymously(world, name):
    response = Client(enforce_csrf_checks=True).post(_url(name, world), {"username": "x"})
    assert response.status_code == 403


def test_post_with_a_csrf_token_is_accepted(world, login):
    """The refusals above are CSRF's doing: the same request with the token goes through."""
    client = login(world.users[Role.ADMINISTRATOR], enforce_csrf_checks=True)
    client.get(reverse("accounts:user_create"))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("accounts:user_create"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 200  # the form, with field errors


# --- Hostile input --------------------------------------------------------------------------------

PAYLOADS = [
    "a\x00b",
    "\x00",
    "\ud800",
    "x\udfffy",
    "\u202egnp.exe",
    "admin\u202e\u2066",
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1' --",
    "a\r\nSet-Cookie: pwned=1",
    "../../etc/passwd",
    "x" * 1_000_000,
]
hostile = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=300),
    st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=5),
    st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS[:6]), st.text(max_size=20)),
)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def form_body(fields: dict) -> bytes:
    """URL-encode like a browser would, but keep lone surrogates as the raw (invalid) UTF-8 an
    attacker can send: Django must cope with bytes no real form produces."""
    return "&".join(
        f"{key}={quote_from_bytes(str(value).encode('utf-8', 'surrogatepass'))}"
        for key, value in fields.items()
    ).encode("ascii")


def post_form(client, url, fields):
    return client.post(url, form_body(fields), content_type="application/x-www-form-urlencoded")


def written():
    return (
        User.objects.count(),
        Membership.objects.count(),
        TOTPDevice.objects.filter(confirmed=True).count(),
        StaticDevice.objects.count(),
        AuditEvent.objects.filter(action__in=["create", "change", "role_change", "login"]).count(),
    )


def _ok(response):
    assert response.status_code in {200, 400}, response.status_code


def test_hostile_input_to_sign_in_gives_errors_not_crashes(world):
    url = reverse("accounts:login")
    before = written()

    @FUZZ
    @given(username=hostile, password=hostile)
    def check(username, password):
        axes_reset()  # each example is a fresh attempt, not the sixth from one address
        client = Client()
        response = post_form(client, url, {"username": username, "password": password})
        _ok(response)
        assert "_auth_user_id" not in client.session
        assert written() == before

    check()


def test_hostile_input_to_user_create_gives_field_errors_and_writes_nothing(world, login):
    client = login(world.users[Role.ADMINISTRATOR])
    url = reverse("accounts:user_create")
    before = written()

    @FUZZ
    @given(value=hostile, other=hostile)
    def check(value, other):
        fields = {
            "username": value,
            "first_name": other,
            "last_name": value,
            "email": other,
            "roles": value,
            "agency": other,
            "password": value,
        }
        response = post_form(client, url, fields)
        _ok(response)
        if response.status_code == 200:
            assert response.context["form"].errors
            # Whatever was typed comes back escaped, never as live markup.
            assert b"<script>alert(1)</script>" not in response.content
        assert written() == before

    check()


def test_hostile_input_to_audit_search_gives_field_errors_not_crashes(world, login):
    client = login(world.users[Role.ADMINISTRATOR])
    url = reverse("audit:search")
    before = written()

    @FUZZ
    @given(value=hostile, other=hostile)
    def check(value, other):
        query = form_body(
            {"object_type": value, "object_id": other, "username": value, "action": other}
        )
        response = client.get(url + "?" + query.decode("ascii"))
        _ok(response)
        assert b"<script>alert(1)</script>" not in response.content
        assert written() == before

    check()


def test_hostile_input_to_the_code_pages_gives_field_errors_not_crashes(world):
    needs_code = world.users[Role.REVIEWER]
    otp_device_for(needs_code)
    verify = Client()
    verify.force_login(needs_code, backend="django.contrib.auth.backends.ModelBackend")
    enrolling = Client()
    enrolling.force_login(
        world.users[Role.PRACTITIONER], backend="django.contrib.auth.backends.ModelBackend"
    )
    assert enrolling.get(reverse("accounts:otp_setup")).status_code == 200
    before = written()

    @FUZZ
    @given(code=hostile, nxt=hostile)
    def check(code, nxt):
        for client, name in ((verify, "accounts:otp_verify"), (enrolling, "accounts:otp_setup")):
            response = post_form(client, reverse(name), {"code": code, "next": nxt})
            _ok(response)
        assert written() == before
        # Neither session became verified.
        assert verify.get("/").status_code == 302

    check()


# --- Security headers -----------------------------------------------------------------------------

GET_URLS = sorted(name for name, rule in POLICY.items() if rule.get)


def csp_directives(response) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    parts = (d.strip().split(None, 1) for d in policy.split(";") if d.strip())
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


def assert_security_headers(response, *, signed_in: bool):
    csp = csp_directives(response)
    assert csp.get("object-src") == "'none'"
    assert csp.get("base-uri") == "'none'"
    assert csp.get("frame-ancestors") in {"'none'", "'self'"}
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in {
        "same-origin",
        "no-referrer",
        "strict-origin",
    }
    if signed_in:
        assert "no-store" in response.headers.get("Cache-Control", "")


def client_for(rule, user, login):
    if is_api(rule):
        from reviewhub.api.services import api_token_create

        _, token = api_token_create(user=user, name="headers")
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    return login(user)


@pytest.mark.parametrize("name", GET_URLS)
def test_every_page_sends_the_security_headers_to_an_allowed_role(world, login, name):
    rule = POLICY[name]
    role = sorted(rule.get)[0]
    response = client_for(rule, world.users[role], login).get(_url(name, world))
    assert response.status_code in rule.ok, (name, role, response.status_code)
    assert_security_headers(response, signed_in=True)


@pytest.mark.parametrize("name", sorted(n for n in GET_URLS if POLICY[n].public))
def test_public_pages_send_the_security_headers_anonymously(world, client, name):
    assert_security_headers(client.get(_url(name, world)), signed_in=False)


def test_requests_with_credentials_in_a_header_are_never_cached(client):
    """API clients sign each request with a token instead of a session: still no-store."""
    response = client.get(reverse("health"), HTTP_AUTHORIZATION="Bearer anything")
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_redirects_to_the_code_page_carry_the_headers_too(world):
    user = world.users[Role.ANALYST]
    otp_device_for(user)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/")
    assert response.status_code == 302
    assert_security_headers(response, signed_in=True)
