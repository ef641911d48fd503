"""A kept case page (concord.web.case_page) is never older, nor wider, than a page rendered afresh."""

import datetime
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import Agency
from concord.cases.models import Need
from concord.consent.services import consent_record
from concord.testing.factories import login, make_actor, make_case, share_with
from concord.web import case_page


def _page(client, case) -> str:
    response = client.get(reverse("web:case", args=[case.reference]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_change_made_without_any_service_is_on_the_next_page(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    assert "I need the locks changed" in _page(client, case)

    Need.objects.filter(case=case).update(in_her_words="Somewhere safe to stay")  # as SQL by hand would

    page = _page(client, case)
    assert "Somewhere safe to stay" in page and "I need the locks changed" not in page


def test_an_agency_renamed_is_on_every_kept_page(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    _page(client, case)

    Agency.objects.filter(pk=advocate.agency.pk).update(name="Northshire Outreach and IDVA")

    assert "Northshire Outreach and IDVA" in _page(client, case)


def test_each_reader_has_their_own_page(client, advocate, police):
    case = make_case(advocate, phone="07700 900123")
    share_with(advocate, case, police)
    login(client, advocate)
    assert "900123" in _page(client, case)

    officer = Client()
    login(officer, make_actor(police))
    page = _page(officer, case)
    assert "900123" not in page and "Withheld." in page


def test_consent_withdrawn_closes_a_kept_page_at_once(client, advocate, police):
    case = make_case(advocate)
    share_with(advocate, case, police)
    login(client, make_actor(police))
    assert "He pushed her against the wall." in _page(client, case)

    consent_record(actor=advocate, case=case, scope="share_agency", agency=police, decision="withdrawn",
                   method="verbal")

    assert client.get(reverse("web:case", args=[case.reference])).status_code == 404


def test_a_kept_page_is_a_minute_old_at_most(client, advocate, monkeypatch):
    case = make_case(advocate)
    login(client, advocate)
    _page(client, case)
    kept = case_page.key_of

    keys = []
    monkeypatch.setattr(case_page, "key_of", lambda access, stamp: keys.append(kept(access, stamp)) or keys[-1])
    _page(client, case)
    later = (timezone.now() + datetime.timedelta(seconds=61)).replace(second=0, microsecond=0).isoformat()
    monkeypatch.setattr(case_page, "this_minute", lambda: later)
    _page(client, case)

    assert keys[0] != keys[1]


def test_the_forms_of_a_kept_page_carry_this_request_s_token(advocate):
    case = make_case(advocate)
    browser = Client(enforce_csrf_checks=True)
    login(browser, advocate)
    _page(browser, case)
    kept = _page(browser, case)

    need = case.needs.get()
    form = re.search(rf'action="{reverse("web:need_note_add", args=[case.reference, need.pk])}">'
                     r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', kept)
    assert form is not None and case_page.CSRF_PLACEHOLDER not in kept
    response = browser.post(reverse("web:need_note_add", args=[case.reference, need.pk]),
                            {"csrfmiddlewaretoken": form.group(1), "text": "Called back, locks booked"})
    assert response.status_code == 302
    assert "Called back, locks booked" in _page(browser, case)
