import pytest
from django.db import transaction

from concord.testing.factories import make_area

from .scenarios import SCENARIOS, Situation, build


@pytest.fixture(scope="module")
def situations(django_db_setup, django_db_blocker) -> dict[str, Situation]:
    """Every situation, each in an area of its own, built once per test module in a transaction rolled
    back at its end. Each test runs in a savepoint inside it (pytest-django's `db`), so whatever a
    test changes is gone before the next one, as with Django's setUpTestData."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield {name: build(name, make_area()) for name in SCENARIOS}
        transaction.set_rollback(True)


@pytest.fixture
def situation(situations, db, scenario) -> Situation:
    """The situation named by the test's `scenario` parameter."""
    situation = situations[scenario]
    situation.case.refresh_from_db()  # an earlier test may have changed it (and been rolled back)
    return situation
