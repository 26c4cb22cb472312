"""Key journeys in real headless Chromium, with screenshots for people to look at."""

import os

import pytest
from playwright.sync_api import expect

from reviewhub.accounts.choices import Role
from reviewhub.tests.twofactor import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_and_form_errors_look_like_a_govuk_service(
    browser_page, live_server, artifacts_dir
):
    from reviewhub.tests.factories import World

    world = World()
    page = browser_page
    base = live_server.url

    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/accounts/login/")
    page.click("button:has-text('Sign in')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    # GOV.UK Frontend moves focus to the error summary when its script runs.
    page.wait_for_function(
        "() => document.activeElement"
        " && document.activeElement.classList.contains('govuk-error-summary')"
    )
    page.screenshot(path=os.path.join(artifacts_dir, "login-errors.png"), full_page=True)

    sign_in(page, base, world.users[Role.ADMINISTRATOR])
    page.wait_for_url(f"{base}/")
    assert page.locator("h1").inner_text() == world.partnership.name
    assert page.locator(".govuk-header").is_visible()
    assert page.locator(".govuk-service-navigation__link", has_text="Audit").is_visible()
    assert page.locator("body.govuk-frontend-supported").count() == 1
    page.screenshot(path=os.path.join(artifacts_dir, "home-admin.png"), full_page=True)

    page.goto(f"{base}/accounts/users/new/")
    page.fill("#id_username", "x")
    page.click("button:has-text('Add user')")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "Use 3 to 150 letters" in summary.inner_text()
    page.screenshot(path=os.path.join(artifacts_dir, "user-form-errors.png"), full_page=True)
    assert errors == []


def test_practitioner_menu_has_no_admin_pages(browser_page, live_server):
    from reviewhub.tests.factories import World

    world = World()
    page = browser_page
    sign_in(page, live_server.url, world.users[Role.PRACTITIONER])
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".govuk-service-navigation__link", has_text="Audit").count() == 0
    response = page.goto(f"{live_server.url}/audit/")
    assert response.status == 403


def test_reviewer_sets_up_two_factor_then_signs_in_with_a_code(
    browser_page, live_server, artifacts_dir
):
    import time
    from base64 import b32decode

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from reviewhub.tests.factories import PASSWORD, World
    from reviewhub.tests.twofactor import otp_code

    world = World()
    reviewer = world.users[Role.REVIEWER]
    page = browser_page
    base = live_server.url
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/accounts/two-factor/setup/**")
    qr = page.locator("img.rh-otp-qr")
    assert qr.is_visible()
    # The QR code really rendered (the CSP allows data: images but no inline script or style).
    assert page.evaluate("() => document.querySelector('img.rh-otp-qr').naturalWidth") > 0
    page.screenshot(path=os.path.join(artifacts_dir, "otp-setup.png"), full_page=True)
    key = b32decode(page.locator(".rh-otp-secret").inner_text().replace(" ", ""))
    used = f"{totp(key):06d}"
    page.fill("#id_code", used)
    page.click("button:has-text('Confirm and continue')")
    expect(page.locator(".rh-recovery-codes li")).to_have_count(10)
    page.screenshot(path=os.path.join(artifacts_dir, "otp-recovery-codes.png"), full_page=True)
    page.click("a:has-text('I have saved my codes')")
    page.wait_for_url(f"{base}/")

    # Sign out and in again: now a code is asked for; the code just used is refused (replay).
    page.click("button:has-text('Sign out')")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/accounts/two-factor/verify/**")
    page.fill("#id_code", used)
    page.click("button:has-text('Continue')")
    # Refused however the clock moved: the device only takes steps after the one used.
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert "used already" in page.locator(".govuk-error-summary").inner_text()
    page.screenshot(path=os.path.join(artifacts_dir, "otp-replay-refused.png"), full_page=True)
    time.sleep(1.5)  # the back-off after one wrong code is 1 second
    page.fill("#id_code", otp_code(TOTPDevice.objects.get(user=reviewer)))
    page.click("button:has-text('Continue')")
    page.wait_for_url(f"{base}/")
    assert page.locator("h1").inner_text() == world.partnership.name
    assert errors == []
