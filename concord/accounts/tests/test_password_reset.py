"""Password reset never answers 500: without a mail server it says so and sends nothing; with one it
sends the link, and says the same whether or not the address is a staff account's."""

import pytest
from django.core import mail
from django.urls import reverse

from concord.testing.factories import make_user


@pytest.fixture
def staff(db):
    return make_user(email="worker@example.org")


def test_with_mail_the_link_goes_to_a_staff_address_and_the_answer_tells_nothing(client, staff):
    page = client.get(reverse("account_reset_password"))
    assert page.status_code == 200 and b'name="email"' in page.content
    known = client.post(reverse("account_reset_password"), {"email": "worker@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [message.to for message in mail.outbox] == [["worker@example.org"]]


def test_without_a_mail_server_it_says_so_and_never_500s(client, staff, settings, caplog):
    settings.MAIL_CONFIGURED = False
    settings.EMAIL_BACKEND = "concord.accounts.mail.NotConfiguredBackend"
    page = client.get(reverse("account_reset_password")).content.decode()
    assert "not set up on this Concord" in page and 'name="email"' not in page
    response = client.post(reverse("account_reset_password"), {"email": "worker@example.org"})
    assert response.status_code in {200, 302}
    assert "Mail not sent" in caplog.text and "worker@example.org" not in caplog.text
