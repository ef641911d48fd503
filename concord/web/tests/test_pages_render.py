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


def test_each_page_names_itself_first_in_the_browser_tab(client, advocate):
    """The tab, and the first thing a screen reader says: the page's own words, then the system's."""
    import re

    def title(url):
        return re.search(r"<title>(.*?)</title>", client.get(url).content.decode(), re.S).group(1)

    assert title(reverse("account_login")).endswith(" · Concord")
    assert title(reverse("account_login")) != "Concord"
    case = make_case(advocate)
    login(client, advocate)
    assert title(reverse("web:home")) == "My cases · Concord"
    assert title(reverse("web:search")) == "Find a case · Concord"
    assert title(reverse("web:case", args=[case.reference])) == f"{case.reference} · Concord"


def test_a_title_is_escaped_once_and_a_page_without_one_is_the_system_alone():
    from django.template import engines

    render = engines["django"].from_string(
        "{% load concord_pages %}{% filter page_title %}{{ words }}{% endfilter %}").render
    assert render({"words": "Risk & safety"}) == "Risk &amp; safety · Concord"
    assert render({"words": "<b>x</b>"}) == "&lt;b&gt;x&lt;/b&gt; · Concord"
    assert render({"words": "  "}) == "Concord"
