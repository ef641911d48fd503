"""At a shared computer, what Concord told one member of staff is not shown to the next: a message
never displayed (an htmx action, a redirect not followed) goes when she signs out, or is signed out."""

import time

from django.urls import reverse

from concord.accounts.middleware import SESSION_LAST_SEEN
from concord.testing.factories import make_actor, make_case

from .signing_in import sign_in

HOLDS = "now hold this case"


def _leave_a_message_unread(client, advocate):
    case = make_case(advocate)
    response = client.post(reverse("web:case_worker", args=[case.reference]), {"worker": "me"})
    assert response.status_code == 302  # not followed: the message waits for the next page
    return case


def test_signing_out_takes_her_unread_messages_with_her(client, advocacy, police):
    advocate = make_actor(advocacy)
    sign_in(client, advocate.user)
    case = _leave_a_message_unread(client, advocate)
    client.post(reverse("web:case_worker", args=[case.reference]), {"worker": ""})  # a second one, also unread

    signed_out = client.post(reverse("account_logout"), follow=True)
    assert "You have signed out." in signed_out.text and HOLDS not in signed_out.text
    assert "Nobody is named" not in signed_out.text

    officer = make_actor(police)
    sign_in(client, officer.user)
    home = client.get(reverse("web:home")).text
    assert HOLDS not in home and "Nobody is named" not in home and case.reference not in home


def test_an_idle_sign_out_takes_them_too(client, advocacy):
    advocate = make_actor(advocacy)
    sign_in(client, advocate.user)
    _leave_a_message_unread(client, advocate)
    session = client.session
    session[SESSION_LAST_SEEN] = time.time() - 16 * 60
    session.save()

    login_page = client.get(reverse("web:home"), follow=True).text
    assert "signed out after 15 minutes" in login_page and HOLDS not in login_page
