import pytest

from concord.accounts.models import Role
from concord.testing.factories import make_actor


@pytest.fixture
def advocate(advocacy):
    return make_actor(advocacy, role=Role.SUPERVISOR)
