from django.urls import reverse

from concord.testing.factories import login, make_case


def test_main_pages_render_for_a_practitioner(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    for url in [
        reverse("web:home"),
        reverse("web:search"),
        reverse("web:intake"),
        reverse("web:case", args=[case.reference]),
        reverse("web:incident_add", args=[case.reference]),
        reverse("web:incident_edit", args=[case.reference, case.incidents.get().pk]),
        reverse("web:need_add", args=[case.reference]),
        reverse("web:need_edit", args=[case.reference, case.needs.get().pk]),
        reverse("web:person_add", args=[case.reference]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
