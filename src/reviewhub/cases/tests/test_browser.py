"""A case walked from notification to decision through the forms, in real headless Chromium."""

import os

import pytest
from playwright.sync_api import expect

from reviewhub.accounts.choices import Role
from reviewhub.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_unit_walks_a_case_from_notification_to_decision(
    browser_page, live_server, artifacts_dir
):
    from reviewhub.tests.factories import World

    world = World()
    page = browser_page
    base = live_server.url
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, world.users[Role.BUSINESS_UNIT].username)
    page.wait_for_url(f"{base}/")

    page.click(".govuk-service-navigation__link:has-text('Cases')")
    page.click("a:has-text('Open a case')")
    page.fill("#id_title", "Child A, 2024")
    page.select_option("#id_nature", "serious_harm")
    page.fill("#id_incident_date", "2024-03-11")
    page.fill("#id_awareness_date", "2024-03-08")
    page.click(f"label:has-text('{world.agency.name}')")
    page.click("button:has-text('Open the case')")
    summary = page.locator(".govuk-error-summary")
    assert "cannot be before the incident date" in summary.inner_text()
    page.screenshot(path=os.path.join(artifacts_dir, "case-form-errors.png"), full_page=True)
    page.fill("#id_awareness_date", "2024-03-12")
    page.click("button:has-text('Open the case')")
    expect(page.locator("#stage")).to_have_text("Awaiting notification")

    page.click("a:has-text('Record the serious incident notification')")
    page.fill("#id_notified_on", "2024-03-15")
    page.fill("#id_notifier", "Head of Safeguarding")
    page.click("button:has-text('Save')")
    expect(page.locator("#stage")).to_have_text("Rapid review")
    clocks = page.locator("#clocks").inner_text()
    # 5 working days from Tuesday 12 March 2024 is 19 March: met on 15 March.
    assert "Met on 15 March 2024 (due 19 March 2024)" in clocks

    page.click("a:has-text('Start the rapid review')")
    page.fill("#id_started_on", "2024-03-15")
    page.click("button:has-text('Save')")

    # The step is not offered yet; going to its page directly says why.
    assert page.locator("#next-steps a:has-text('Record the decision')").count() == 0
    page.goto(page.url.rstrip("/") + "/decision/")
    assert "no decision before the rapid review's outcome" in page.locator("#refusals").inner_text()
    page.click("a:has-text('Back to')")

    page.click("a:has-text('Record the rapid review')")
    page.fill("#id_meeting_date", "2024-03-28")
    page.fill("#id_summary_outcome", "Criteria for an LCSPR met.")
    page.fill("#id_completed_on", "2024-03-28")
    page.click("button:has-text('Save')")
    expect(page.locator("#stage")).to_have_text("Awaiting decision")
    # 15 working days from Friday 15 March 2024, skipping Good Friday and Easter Monday.
    assert "Met on 28 March 2024 (due 9 April 2024)" in page.locator("#clocks").inner_text()

    page.click("a:has-text('Record the decision')")
    page.click("label:has-text('Local child safeguarding practice review')")
    page.fill("#id_decided_on", "2024-04-02")
    page.fill("#id_reasons", "Agencies did not share information.")
    page.click("button:has-text('Save')")
    assert (
        "at least one regulation 11 criterion" in page.locator(".govuk-error-summary").inner_text()
    )
    page.check("#id_criterion_c")
    page.click("button:has-text('Save')")
    expect(page.locator("#stage")).to_have_text("Decision made")
    assert (
        "Local child safeguarding practice review" in page.locator("#decision-outcome").inner_text()
    )
    timeline = page.locator("#timeline").inner_text()
    assert "Serious incident notification sent to the Panel" in timeline
    assert "Decision: Local child safeguarding practice review" in timeline
    page.screenshot(path=os.path.join(artifacts_dir, "case-decided.png"), full_page=True)
    assert errors == []
