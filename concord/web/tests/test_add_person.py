"""Adding a child or another adult to a case from the case page."""

import pytest
from django.urls import reverse

from concord.testing.factories import login, make_case


@pytest.mark.parametrize("role, relationship, given_name, shown_as", [
    ("child", "child_of_survivor", "Layla", "Layla Khan — Child (Her child)"),
    ("other_adult", "family", "Yusuf", "Yusuf Khan — Other adult (Family member)"),
])
def test_adding_a_person_puts_them_on_the_case_in_their_role(client, advocate, role, relationship, given_name,
                                                             shown_as):
    case = make_case(advocate)
    login(client, advocate)

    response = client.post(reverse("web:person_add", args=[case.reference]), {
        "role": role, "relationship": relationship, "given_name": given_name, "family_name": "Khan",
        "date_of_birth": "2018-05-04" if role == "child" else ""}, follow=True)

    assert f"{given_name} added to the case." in response.text
    assert shown_as in response.text
    participant = case.participants.get(role=role)
    assert participant.person.given_name == given_name and participant.relationship == relationship
