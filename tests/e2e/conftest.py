"""Browser journeys: Playwright (pytest-playwright) driving Debian's chromium against the app served
by pytest-django's live server.

Every test under tests/e2e/ is marked `e2e` (`make test-fast` leaves them out). A test that asks
for `page` gets the live server, and with it `transactional_db`: the server thread only sees rows
the test has committed.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from concord.accounts.tests.signing_in import LOGIN_URL, MFA_URL, totp_code
from concord.testing.factories import TEST_PASSWORD

# Playwright's sync API keeps an event loop running in the main thread, and Django refuses ORM
# calls from a thread with a running loop. The tests' own ORM calls (making users) are synchronous
# and safe, so allow them.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps trying to reach Google's hosts, which this closed
# network refuses; --no-sandbox because the tests may run as root in a container.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent
SERIOUS = ("serious", "critical")


@pytest.hookimpl(tryfirst=True)  # before `-m "not e2e"` deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright cannot download its own browser here: use Debian's (`make browsers` installs it).
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make browsers` (Debian's chromium) first.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """The app, served by pytest-django's live server: `page.goto("/accounts/login/")` works."""
    return live_server.url


@pytest.fixture
def app_url(live_server):
    """Absolute URL of a path on the live server: app_url("/accounts/login/")."""
    return lambda path="/": f"{live_server.url}{path}"


def sign_in_on(page, live_server, user, password: str = TEST_PASSWORD):
    """Sign `user` in on this page through the real forms (e-mail, password, then the TOTP code from
    user.totp_secret, as made by concord.testing.factories.make_user); returns the page where the app
    lands. It chooses nothing else (no agency, no page)."""
    page.goto(f"{live_server.url}{LOGIN_URL}")
    page.locator('input[name="login"]').fill(user.email)
    password_field = page.locator('input[name="password"]')
    password_field.fill(password)
    password_field.press("Enter")  # submits the form whatever its button is called
    page.wait_for_url(f"{live_server.url}{MFA_URL}")
    code_field = page.locator('input[name="code"]')
    # A generous margin: typing into a browser is slower than the test client.
    code_field.fill(totp_code(user.totp_secret, margin=5))
    code_field.press("Enter")
    page.wait_for_url(lambda url: not urlparse(url).path.startswith("/accounts/"))
    return page


@pytest.fixture
def signed_in_page(page, live_server):
    """sign_in(user) signs `user` in on the test's page (see sign_in_on)."""
    return lambda user, password=TEST_PASSWORD: sign_in_on(page, live_server, user, password)


def assert_no_serious_axe_violations(page, context=None) -> None:
    """Runs axe-core on the page as it is now; fails on any serious or critical violation and
    prints every violation found (minor and moderate ones only as a note)."""
    results = Axe().run(page, context=context)
    violations = results.response["violations"]
    if violations:
        print(f"axe on {page.url}:\n{results.generate_report()}")
    serious = [v for v in violations if v.get("impact") in SERIOUS]
    if serious:
        lines = [f"{len(serious)} serious or critical accessibility violation(s) on {page.url}:"]
        for violation in serious:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} {violation['helpUrl']}")
            lines.extend(f"    {', '.join(node['target'])}: {node['html']}" for node in violation["nodes"])
        pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture(name="assert_no_serious_axe_violations")
def _assert_no_serious_axe_violations():
    return assert_no_serious_axe_violations
