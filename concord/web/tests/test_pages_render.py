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


def test_tasks_and_protocols_answer_every_role(client, area, housing, advocate):
    """Protocols are the partnership's and open to every member of staff; tasks only to casework roles
    (the rest get the site's 404, as for case pages)."""
    from concord.accounts.models import Role
    from concord.testing.factories import make_actor

    for role in Role.values:
        actor = make_actor(housing, role)
        login(client, actor)
        assert client.get(reverse("web:protocols")).status_code == 200, role
        expected = 200 if actor.does_casework else 404
        assert client.get(reverse("web:tasks")).status_code == expected, role
        client.logout()
