"""A partner lead updates their agency's action and the business unit signs it off, in real
headless Chromium; then the business unit sees the reports dashboard with its charts."""

import os

import pytest
from playwright.sync_api import expect

from reviewhub.accounts.choices import Role
from reviewhub.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_updates_an_action_and_the_business_unit_signs_it_off(
    browser_page, live_server, artifacts_dir
):
    from reviewhub.tests.factories import World

    from .factories import action, recommendation

    world = World()
    a = action(recommendation(world.partnership), world.agency, title="Audit referrals")
    page = browser_page
    base = live_server.url
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, world.users[Role.PARTNER_LEAD].username)
    page.wait_for_url(f"{base}/")
    page.click(".govuk-service-navigation__link:has-text('Actions')")
    page.click("a:has-text('Audit referrals')")
    page.click("a:has-text('Edit the action')")
    page.fill("#id_progress_percent", "80")
    page.select_option("#id_rag_override", "green")
    page.click("button:has-text('Save')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give a reason")
    page.fill("#id_rag_override_reason", "Audit booked for next week")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"{base}/actions/{a.pk}/")
    assert "80%" in page.content()
    page.click("summary:has-text('Record evidence of impact')")
    page.select_option("#id_kind", "audit")
    page.fill("#id_summary", "Household recorded in 19 of 20 referrals.")
    page.click("button:has-text('Record evidence')")
    page.wait_for_url(f"{base}/actions/{a.pk}/")
    assert "Household recorded in 19 of 20" in page.content()
    assert page.locator("button:has-text('Sign off as complete')").count() == 0
    page.screenshot(path=os.path.join(artifacts_dir, "action-lead.png"), full_page=True)

    page.context.clear_cookies()
    sign_in(page, base, world.users[Role.BUSINESS_UNIT].username)
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/actions/{a.pk}/")
    page.click("button:has-text('Sign off as complete')")
    page.wait_for_url(f"{base}/actions/{a.pk}/")
    page.wait_for_load_state()
    assert "Blue" in page.content() and "signed off by" in page.content()
    page.goto(f"{base}/reports/")
    assert page.locator("img.app-chart").count() >= 1
    page.screenshot(path=os.path.join(artifacts_dir, "reports-dashboard.png"), full_page=True)
    assert errors == []
