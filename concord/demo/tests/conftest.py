import io

import pytest
from django.core.management import call_command

from concord.accounts.models import Membership
from concord.policy import Actor

SMALL = 20


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The demo hashes its one shared password per run; Argon2 would only slow these tests down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def run_demo(db, settings):
    """Run `manage.py demo` quietly (20 cases unless told otherwise), in demo mode; returns what it printed."""
    settings.DEMO_MODE = True

    def run(**options) -> str:
        out = io.StringIO()
        call_command("demo", **{"cases": SMALL, "verbosity": 0, "stdout": out, **options})
        return out.getvalue()

    return run


@pytest.fixture
def seeded(run_demo):
    run_demo()


def acting_as(email: str, agency=None) -> Actor:
    """The demo user with this e-mail, acting for `agency` (or their only agency)."""
    memberships = Membership.objects.select_related("user", "agency__area").filter(user__email=email)
    membership = memberships.get(agency=agency) if agency is not None else memberships.get()
    return Actor(user=membership.user, membership=membership)
