from io import StringIO

import pytest
from django.core.management import call_command

from concord.demo.partnership import DEMO_LOGINS, DEMO_PASSWORD

# It names the showcase case when the database has one.
pytestmark = pytest.mark.django_db


def test_demo_logins_prints_every_login_with_the_password_agency_and_role():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    printed = out.getvalue()

    for login in DEMO_LOGINS:
        assert login.email in printed
    assert DEMO_PASSWORD in printed
    assert "Northshire Police" in printed and "Survivor-panel member" in printed
    assert "http://127.0.0.1:8000/" in printed


def test_demo_logins_says_two_factor_is_skipped_only_in_demo_mode():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "skip two-factor sign-in only while the server runs in demo mode" in out.getvalue()


def test_a_second_agency_of_the_same_person_is_listed_under_her_email():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    lines = out.getvalue().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("hospital-idva@"))
    assert "Northshire IDVA Service" in lines[at]
    assert lines[at + 1].lstrip().startswith("Northshire Hospitals NHS Trust")


def test_demo_logins_names_no_case_before_the_demo_is_seeded():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "Try:" not in out.getvalue()
