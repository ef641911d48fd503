"""Administrators manage staff and agencies of their own area, review access patterns, and never
see case content."""

from django.urls import reverse

from concord.accounts.models import Agency, Role, User
from concord.testing.factories import login, make_actor, make_agency, make_area, make_case


def test_administrator_manages_staff_and_agencies_of_their_area_only(client, advocacy):
    admin = make_actor(advocacy, role=Role.ADMINISTRATOR)
    elsewhere = make_agency(make_area(), name="Far Away Police")
    make_actor(elsewhere, user=None, email="far@example.org")
    login(client, admin)
    assert client.get(reverse("admin:index")).status_code == 200
    agencies = client.get(reverse("admin:accounts_agency_changelist")).text
    assert advocacy.name in agencies and "Far Away Police" not in agencies
    users = client.get(reverse("admin:accounts_user_changelist")).text
    assert admin.user.email in users and "far@example.org" not in users

    response = client.post(reverse("admin:accounts_agency_add"), {"name": "Northshire Rape Crisis",
                                                                  "sector": "specialist_advocacy",
                                                                  "is_active": "on"})
    assert response.status_code == 302
    assert Agency.objects.get(name="Northshire Rape Crisis").area == advocacy.area


def test_admin_passwords_must_pass_the_validators(client, advocacy):
    admin = make_actor(advocacy, role=Role.ADMINISTRATOR)
    login(client, admin)
    response = client.post(reverse("admin:accounts_user_add"), {
        "email": "new@example.org", "first_name": "New", "last_name": "Worker", "is_active": "on",
        "new_password": "password", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    assert response.status_code == 200 and "too short" in response.text
    assert not User.objects.filter(email="new@example.org").exists()


def test_administration_is_closed_to_other_roles(client, advocate):
    login(client, advocate)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:home")
    assert "Only administrators can open the administration pages." in response.text


def test_no_case_content_in_the_administration(client, advocacy, advocate):
    case = make_case(advocate)
    admin = make_actor(advocacy, role=Role.ADMINISTRATOR)
    login(client, admin)
    for url in [reverse("admin:index"), reverse("admin:access_patterns")]:
        body = client.get(url).text
        assert case.survivor.family_name not in body and case.reference not in body
    assert client.get("/admin/cases/case/").status_code == 404


def test_access_patterns_flag_someone_opening_many_cases(client, advocacy, advocate):
    cases = [make_case(advocate, given_name=f"Name{i}") for i in range(3)]
    login(client, advocate)
    for case in cases:
        client.get(reverse("web:case", args=[case.reference]))
    admin = make_actor(advocacy, role=Role.ADMINISTRATOR)
    login(client, admin)
    page = client.get(reverse("admin:access_patterns"), {"days": 1, "min_cases": 3}).text
    assert str(advocate.user) in page
    page = client.get(reverse("admin:access_patterns"), {"days": 1, "min_cases": 4}).text
    assert str(advocate.user) not in page


def _membership_form(user, agency, role, *, prefix="memberships"):
    return {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-0-agency": agency.pk,
            f"{prefix}-0-role": role, f"{prefix}-0-is_active": "on", f"{prefix}-0-user": user.pk if user else ""}


def test_every_administration_change_is_in_the_access_log(client, advocacy, police):
    from concord.audit.models import AccessLogEntry

    admin = make_actor(advocacy, role=Role.ADMINISTRATOR)
    login(client, admin)
    client.post(reverse("admin:accounts_agency_add"), {"name": "Northshire Refuge", "sector": "refuge",
                                                       "is_active": "on"})
    agency = Agency.objects.get(name="Northshire Refuge")
    response = client.post(reverse("admin:accounts_user_add"), {
        "email": "new@example.org", "first_name": "New", "last_name": "Worker", "is_active": "on",
        **_membership_form(None, agency, Role.PRACTITIONER)})
    assert response.status_code == 302, response.content
    user = User.objects.get(email="new@example.org")
    logged = set(AccessLogEntry.objects.filter(user_id=admin.user.pk).values_list("action", "object_type",
                                                                                  "object_id"))
    membership = user.memberships.get()
    assert {("create", "agency", str(agency.pk)), ("create", "user", str(user.pk)),
            ("create", "membership", str(membership.pk))} <= logged
    assert membership.history.count() == 1 and agency.history.count() == 1


def test_an_agencys_sector_cannot_be_changed_once_it_exists(client, advocacy):
    probation = make_agency(advocacy.area, "probation", "Northshire Probation")
    admin = make_actor(advocacy, role=Role.ADMINISTRATOR)
    login(client, admin)
    # Changing it to a sector that may see protected information would lift the block on probation.
    client.post(reverse("admin:accounts_agency_change", args=[probation.pk]),
                {"name": "Northshire Probation", "sector": "specialist_advocacy", "is_active": "on"})
    probation.refresh_from_db()
    assert probation.sector == "probation"


def test_an_administrator_cannot_give_themselves_a_casework_role(client, advocacy, police):
    admin = make_actor(advocacy, role=Role.ADMINISTRATOR)
    login(client, admin)
    url = reverse("admin:accounts_user_change", args=[admin.user.pk])
    client.post(url, {"email": admin.user.email, "first_name": "A", "last_name": "B", "is_active": "on",
                      "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
                      "memberships-0-agency": police.pk, "memberships-0-role": Role.SUPERVISOR,
                      "memberships-0-is_active": "on"})
    assert list(admin.user.memberships.values_list("role", flat=True)) == [Role.ADMINISTRATOR]


def test_every_membership_field_on_the_staff_page_has_its_label(client, advocacy):
    import re

    admin = make_actor(advocacy, role=Role.ADMINISTRATOR)
    login(client, admin)
    page = client.get(reverse("admin:accounts_user_add")).text
    inputs = re.findall(r'<(?:select|input)[^>]*\bid="(id_memberships-0-(?:agency|role|is_active))"', page)
    assert sorted(inputs) == ["id_memberships-0-agency", "id_memberships-0-is_active", "id_memberships-0-role"]
    for field_id in inputs:
        assert re.search(rf'<label[^>]*for="{field_id}"', page), field_id
