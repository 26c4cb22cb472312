"""An analyst codes a point from the keyboard in real headless Chromium."""

import os

import pytest

from reviewhub.accounts.choices import Role
from reviewhub.learning.choices import CodeSource
from reviewhub.learning.models import Code
from reviewhub.tests.factories import World
from reviewhub.tests.twofactor import sign_in

from .factories import point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_codes_a_point_from_the_keyboard_and_moves_to_the_next(
    browser_page, live_server, artifacts_dir
):
    world = World()
    first = point(
        world.partnership,
        suggest=True,
        heading="Neglect and dental decay went unseen",
        learned="Agencies did not share information. Nobody would challenge the plan.",
        action="",
    )
    following = point(world.partnership, heading="The next point to code")
    page = browser_page
    base = live_server.url
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    sign_in(page, base, world.users[Role.ANALYST])  # password, then the two-factor code
    page.wait_for_url(f"{base}/")
    page.click(".govuk-service-navigation__link:has-text('Coding')")
    page.wait_for_url(f"{base}/learning/coding/{first.pk}/")
    assert "Matched words" in page.locator("[data-suggestions='circumstances']").inner_text()
    page.screenshot(path=os.path.join(artifacts_dir, "learning-coding.png"), full_page=True)

    # Whatever the engine suggests: confirm the first suggestion until a practice theme is
    # confirmed, reject the next open one, then mark the point complete, all from the keyboard.
    confirmed, rejected = {}, None
    for _ in range(6):
        button = page.locator("[data-shortcut-confirm='1']")
        row = button.locator("xpath=ancestor::tr[1]")
        axis = button.locator("xpath=ancestor::table[1]").get_attribute("data-suggestions")
        confirmed[row.get_attribute("data-theme")] = axis
        with page.expect_navigation():
            page.keyboard.press("1")
        if "practice" in confirmed.values():
            break
    first_practice = next(t for t, a in confirmed.items() if a == "practice")
    row = page.locator(f"[data-confirmed='practice'] [data-theme='{first_practice}']")
    assert "Primary" in row.inner_text()
    open_reject = page.locator("[data-shortcut-reject]")
    if open_reject.count():
        rejected = open_reject.first.locator("xpath=ancestor::tr[1]").get_attribute("data-theme")
        with page.expect_navigation():
            page.keyboard.press("x")
    with page.expect_navigation():
        page.keyboard.press("c")
    page.wait_for_url(f"{base}/learning/coding/{following.pk}/")
    assert "Coding complete" in page.locator(".govuk-notification-banner").inner_text()

    first.refresh_from_db()
    assert first.coding_complete
    sources = dict(
        Code.objects.filter(point=first)
        .exclude(source=CodeSource.SUGGESTED)
        .values_list("theme__theme_id", "source")
    )
    expected = dict.fromkeys(confirmed, CodeSource.CONFIRMED)
    if rejected:
        expected[rejected] = CodeSource.REJECTED
    assert sources == expected
    assert errors == []
