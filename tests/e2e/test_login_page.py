"""The sign-in page in a real browser: accessible, and the way in with password and TOTP."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from concord.accounts.tests.signing_in import LOGIN_URL
from concord.testing.factories import make_actor


def test_login_page_has_labelled_fields(page, app_url):
    page.goto(app_url(LOGIN_URL))

    for name in ("login", "password"):
        field = page.locator(f'input[name="{name}"]')
        expect(field).to_be_visible()
        expect(field).to_have_accessible_name(re.compile(r"\w"))


def test_login_page_has_no_serious_accessibility_violations(page, app_url, assert_no_serious_axe_violations):
    page.goto(app_url(LOGIN_URL))

    assert_no_serious_axe_violations(page)


def test_signing_in_with_totp_reaches_home(signed_in_page, app_url, advocacy):
    actor = make_actor(advocacy)

    page = signed_in_page(actor.user)

    assert page.url == app_url(reverse("web:home"))
