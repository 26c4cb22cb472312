"""Key journeys in real headless Chromium, with screenshots for people to look at."""

import os

import pytest

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
    assert page.locator(".govuk-error-summary").is_visible()
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
    assert summary.is_visible()
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
