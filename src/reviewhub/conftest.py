"""Fixtures shared by every app's tests."""

import os
import shutil
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from reviewhub.tests.factories import World

# CI runs the same examples every time (a red build must be reproducible); developers' runs
# explore new ones. Deadlines are off: a shared 2-core machine makes timings noisy.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


# The project's shared data (corpus, reference briefing) sits beside the checkout, as in CI.
SHARED_DIR = Path(
    os.environ.get("REVIEWHUB_SHARED_DIR", Path(__file__).resolve().parents[3] / "shared")
)


@pytest.fixture(scope="session")
def shared_dir():
    """The shared/ folder beside the checkout: corpus, taxonomy and reference documents."""
    assert (SHARED_DIR / "corpus" / "learning.jsonl").is_file(), (
        f"shared data not found at {SHARED_DIR}"
    )
    return SHARED_DIR


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Keep uploaded files of each test in its own temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(db):
    """Two partnerships and one user per role (see factories.World)."""
    return World()


@pytest.fixture
def login():
    """Return a function that gives a test client signed in as a user (real login, real session).

    Users whose role needs two-factor sign-in (or who have an authenticator) are also verified,
    with a confirmed authenticator made for them, as if they had entered a code; the two-factor
    pages themselves are tested in accounts/tests/test_otp.py.
    """

    def _login(user, *, enforce_csrf_checks=False, client=None):
        from reviewhub.accounts.otp import otp_has_device, otp_required
        from reviewhub.tests.twofactor import otp_verify_client

        client = client or Client(enforce_csrf_checks=enforce_csrf_checks)
        # force_login makes a real session; the password path is tested by the login tests.
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if otp_required(user) or otp_has_device(user):
            otp_verify_client(client, user)
        return client

    return _login


@pytest.fixture(scope="session")
def chromium_path():
    """Debian's Chromium; the browser tests need it (scripts/test installs it)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Chromium is not installed: apt-get install chromium (scripts/test does this)"
    return path


@pytest.fixture
def browser_page(chromium_path, live_server):
    """A Playwright page in headless Chromium, for the live server of this test."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            browser.close()
            # Playwright's sync API keeps an event loop running in this thread, so Django holds
            # the test's database connections in a context of their own, which the test
            # database's teardown never sees; left open, PostgreSQL refuses to drop the database
            # ("being accessed by other users")
            from django.db import connections

            connections.close_all()


@pytest.fixture
def artifacts_dir():
    """Where browser tests save screenshots for people to look at."""
    path = os.path.join(os.getcwd(), "test-artifacts")
    os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture
def sign_in():
    """``sign_in(page, base, user)``: sign a browser in, entering a real TOTP code when needed."""
    from reviewhub.tests.twofactor import sign_in as _sign_in

    return _sign_in
