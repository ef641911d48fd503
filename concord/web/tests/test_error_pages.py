"""The site's own 403, 404, 500 and expired-form pages: its layout, plain words and a way back; the 404
is the same for a case that does not exist and one that is not shared with the reader's agency."""

import re

from django.test import Client
from django.urls import path, reverse

from concord import urls as project_urls
from concord.testing.factories import login, make_actor, make_case, share_with


def _main(page: str) -> str:
    return re.search(r"<main.*?</main>", page, re.S).group(0)


def test_a_missing_case_and_one_not_shared_look_the_same(client, advocate, police):
    case = make_case(advocate)
    login(client, make_actor(police))
    not_shared = client.get(reverse("web:case", args=[case.reference]))
    missing = client.get(reverse("web:case", args=["NTH-2099-99999"]))
    assert not_shared.status_code == missing.status_code == 404
    assert _main(not_shared.text) == _main(missing.text)
    assert "Not found, or not shared with your agency" in missing.text
    assert 'href="/"' in missing.text and reverse("web:search") in missing.text
    assert "Sign out" in missing.text  # the site's own layout, signed in
    assert case.survivor.full_name not in not_shared.text


def test_an_action_refused_on_a_visible_case_says_so_and_leads_back(client, advocate, police):
    case = make_case(advocate)
    share_with(advocate, case, police)
    login(client, make_actor(police))
    response = client.get(reverse("web:incident_edit", args=[case.reference, case.incidents.get().pk]))
    assert response.status_code == 403
    assert "You cannot do this here" in response.text and "Nothing was changed." in response.text
    assert f'href="{reverse("web:case", args=[case.reference])}"' in response.text
    assert "Sign out" in response.text


def test_an_expired_form_says_nothing_was_saved(advocate):
    client = Client(enforce_csrf_checks=True)
    login(client, advocate)
    response = client.post(reverse("web:intake"), {"given_name": "Amina"})
    assert response.status_code == 403
    assert "This form has expired" in response.text and "Nothing was saved." in response.text


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom), *project_urls.urlpatterns]
handler403 = project_urls.handler403


def test_a_server_error_has_a_page_of_its_own(settings, advocate):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    login(client, advocate)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text and "nothing is ever half-saved" in response.text
    assert "a bug" not in response.text and "Traceback" not in response.text
