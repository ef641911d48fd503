"""Forms mark their required fields, and a refused form opens with a summary of every error, each
linking to its field, that takes the focus (the GOV.UK error-summary pattern)."""

import re

from django.urls import reverse

from concord.testing.factories import login, make_case


def test_a_refused_form_lists_and_links_every_error_at_the_top(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    response = client.post(reverse("web:incident_add", args=[case.reference]), {"narrative": "x"})
    assert response.status_code == 422
    page = response.text
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert 'tabindex="-1" autofocus' in summary and "There is a problem: nothing was saved" in summary
    anchors = re.findall(r'<a href="#([\w-]+)">', summary)
    assert "id_occurred_on" in anchors
    for anchor in anchors:
        assert f'id="{anchor}"' in page, anchor  # each link leads to its field
    assert page.index("error-summary") < page.index('name="occurred_on"')  # before the form's fields


def test_required_fields_say_so_and_optional_ones_do_not(client, advocate):
    case = make_case(advocate)
    login(client, advocate)
    page = client.get(reverse("web:incident_add", args=[case.reference])).text
    assert re.search(r'<label for="id_occurred_on">[^<]*<span class="required">\(required\)</span></label>', page)
    assert not re.search(r'<label for="id_narrative">[^<]*<span class="required">', page)
    assert "error-summary" not in page  # nothing refused yet
