"""The referral pages through HTTP: the police send one and see her consent first; the advocacy service
reads only the packet, accepts and sees the case; counts on the home pages; bad input is a form error."""

import pytest
from django.urls import reverse

from concord.consent.services import consent_record
from concord.referrals.models import Referral
from concord.testing.factories import login, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(officer):
    return make_case(officer)


def _send(client, case, agency, **fields):
    return client.post(reverse("web:referral_new", args=[case.reference]),
                       {"to_agency": agency.pk, "reason": "She asked for an advocate", "urgency": "urgent",
                        "packet_note": "Best in the morning", "packet_risk_level": "on"} | fields)


def test_the_form_shows_her_consent_and_refuses_without_it(client, officer, advocacy, case):
    login(client, officer)
    page = client.get(reverse("web:referral_new", args=[case.reference]))
    assert page.status_code == 200 and "Her consent to be referred" in page.content.decode()
    assert "Not asked" in page.content.decode()
    refused = _send(client, case, advocacy)
    assert refused.status_code == 422 and "has not agreed" in refused.content.decode()
    assert not Referral.objects.exists()
    # A practitioner is offered no override fields.
    assert 'name="legal_basis"' not in page.content.decode()
    blank = _send(client, case, advocacy, reason="", to_agency="")
    assert blank.status_code == 422


def test_send_read_the_packet_accept(client, officer, advocate, advocacy, case):
    consent_record(actor=officer, case=case, scope="refer", agency=advocacy, decision="given", method="verbal")
    login(client, officer)
    sent = _send(client, case, advocacy)
    assert sent.status_code == 302
    referral = Referral.objects.get()
    assert "1 referral your agency sent is waiting" in client.get(reverse("web:home")).content.decode()

    client.logout()
    login(client, advocate)
    home = client.get(reverse("web:home")).content.decode()
    assert "1 referral waiting for your agency" in home
    assert client.get(reverse("web:case", args=[case.reference])).status_code == 404
    listing = client.get(reverse("web:referrals")).content.decode()
    assert "Amina Khan" in listing and case.reference not in listing
    page = client.get(reverse("web:referral", args=[referral.pk])).content.decode()
    assert "Best in the morning" in page and "I need the locks changed" not in page  # no need chosen
    assert "He pushed her" not in page  # never a narrative

    accepted = client.post(reverse("web:referral_answer", args=[referral.pk, "accept"]),
                           {"version": referral.version})
    assert accepted.status_code == 302
    case_page = client.get(reverse("web:case", args=[case.reference]))
    assert case_page.status_code == 200 and "Accepted" in case_page.content.decode()


def test_decline_needs_a_reason_and_withdraw_is_the_senders(client, officer, advocate, advocacy, housing_worker, case):
    consent_record(actor=officer, case=case, scope="refer", agency=advocacy, decision="given", method="verbal")
    login(client, officer)
    _send(client, case, advocacy)
    referral = Referral.objects.get()
    assert client.post(reverse("web:referral_answer", args=[referral.pk, "accept"]),
                       {"version": referral.version}).status_code == 403

    client.logout()
    login(client, advocate)
    bad = client.post(reverse("web:referral_answer", args=[referral.pk, "decline"]),
                      {"decline-version": referral.version, "decline-reason": "other"})
    assert bad.status_code == 422 and "Say what the reason is" in bad.content.decode()
    assert client.post(reverse("web:referral_answer", args=[referral.pk, "withdraw"]),
                       {"withdraw-version": referral.version, "withdraw-reason": "x"}).status_code == 403
    assert client.post(reverse("web:referral_answer", args=[referral.pk, "explode"])).status_code == 403

    client.logout()
    login(client, housing_worker)
    assert client.get(reverse("web:referral", args=[referral.pk])).status_code == 404
    assert client.post(reverse("web:referral_answer", args=[referral.pk, "accept"]),
                       {"version": referral.version}).status_code == 404
