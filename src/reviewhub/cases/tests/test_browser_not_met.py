"""A notified case changed, recorded 'criteria not met' and closed, in real headless Chromium."""

import os
from datetime import date

import pytest
from playwright.sync_api import expect

from reviewhub.accounts.choices import Role
from reviewhub.tests.twofactor import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_unit_records_criteria_not_met_and_closes_the_case(
    browser_page, live_server, artifacts_dir
):
    from reviewhub.cases.tests.factories import case
    from reviewhub.tests.factories import World

    world = World()
    c = case(world.partnership, "notified", title="Child M, 2024")
    page = browser_page
    base = live_server.url
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, world.users[Role.BUSINESS_UNIT])
    page.goto(f"{base}/cases/{c.pk}/")
    assert (
        "Yes: abuse or neglect is known or suspected"
        in page.locator("#eligibility-s16c").inner_text()
    )

    page.click("#edit-case")
    page.fill("#id_title", "Child M, accidental fall")
    page.click("label:has-text('Physical abuse')")
    page.click("button:has-text('Save changes')")
    expect(page.locator("#abuse-categories")).to_have_text("Physical abuse")

    page.click("a:has-text('Record that the rapid review criteria are not met')")
    page.fill("#id_criteria_not_met_on", "2024-03-11")
    page.click("button:has-text('Save')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason")
    page.fill("#id_criteria_not_met_reason", "Accidental fall; no abuse or neglect suspected.")
    page.click("button:has-text('Save')")
    expect(page.locator("#stage")).to_have_text("Rapid review not required (criteria not met)")
    assert "Rapid review" not in page.locator("#clocks").inner_text()
    assert page.locator("#next-steps a:has-text('Start the rapid review')").count() == 0
    page.screenshot(path=os.path.join(artifacts_dir, "case-criteria-not-met.png"), full_page=True)

    page.click("a:has-text('Close the case')")
    page.fill("#id_closed_on", date(2024, 3, 20).isoformat())
    page.click("button:has-text('Save')")
    expect(page.locator("#stage")).to_have_text("Closed")
    assert errors == []
