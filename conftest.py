import sys

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, as pytest-django makes it; on PostgreSQL, any session still open on it at the
    end (a child process a test killed, a thread's connection) is named and ended before the database is
    dropped, instead of leaving the database behind on the server."""
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid, application_name, state, left(query, 200) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            for pid, application, state, query in cursor.fetchall():
                print(f"\nstill open on the test database at the end: pid {pid} {application!r} {state}: {query}",
                      file=sys.stderr)
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        connection.close()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Axes counts failed logins in the cache: one test's lockout must not leak into the next.
    # The kept case pages too: SQLite gives a rolled-back test's ids to the next test's rows.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _audit_anchors(settings, tmp_path):
    # audit_verify writes the heads it verified as anchors: each test's own, not the checkout's var/.
    settings.AUDIT_ANCHORS = tmp_path / "audit-anchors"


@pytest.fixture
def area(db):
    from concord.testing.factories import make_area

    return make_area(name="Northshire", code="nth")


@pytest.fixture
def advocacy(area):
    from concord.testing.factories import make_agency

    return make_agency(area, "specialist_advocacy", "Northshire IDVA Service")


@pytest.fixture
def police(area):
    from concord.testing.factories import make_agency

    return make_agency(area, "police", "Northshire Police")


@pytest.fixture
def housing(area):
    from concord.testing.factories import make_agency

    return make_agency(area, "housing", "Northshire Housing")


@pytest.fixture
def advocate(advocacy):
    from concord.testing.factories import make_actor

    return make_actor(advocacy)


@pytest.fixture
def officer(police):
    from concord.testing.factories import make_actor

    return make_actor(police)


@pytest.fixture
def housing_worker(housing):
    from concord.testing.factories import make_actor

    return make_actor(housing)


@pytest.fixture
def idva_supervisor(advocacy):
    """A supervisor of the lead agency: authorises overrides."""
    from concord.accounts.models import Role
    from concord.testing.factories import make_actor

    return make_actor(advocacy, role=Role.SUPERVISOR)
