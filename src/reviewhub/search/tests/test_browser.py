"""The search journey in real headless Chromium: type everyday words, see highlighted results."""

import os

import pytest

from reviewhub.accounts.choices import Role
from reviewhub.tests.factories import PASSWORD

from .factories import entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_practitioner_searches_in_everyday_words(browser_page, live_server, artifacts_dir, hooks):
    from reviewhub.tests.factories import World

    world = World()
    entry(
        world.partnership,
        "Fathers and male carers were not assessed",
        "The mother's partner lived in the household but no agency spoke to him.",
        url="/learning/1/",
    )
    entry(world.partnership, "Unpublished draft about fathers", "Draft.", published=False)
    page = browser_page
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", world.users[Role.PRACTITIONER].username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{live_server.url}/")
    page.click(".govuk-service-navigation__link:has-text('Search')")
    page.fill("#id_q", "dads")
    page.click("button:has-text('Search')")
    results = page.locator("#search-results")
    results.locator("h2:has-text('1 result')").wait_for()
    assert "Fathers and male carers" in results.inner_text()
    assert "Unpublished draft" not in results.inner_text()
    assert results.locator("mark").count() >= 1
    page.screenshot(path=os.path.join(artifacts_dir, "search-dads.png"), full_page=True)
    assert errors == []
