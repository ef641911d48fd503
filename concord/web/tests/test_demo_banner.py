"""The demo banner ("made-up people only") is shown on every page of a server in demo mode, and
never on a server that is not."""

from django.urls import reverse

from concord.testing.factories import login, make_actor

BANNER = 'class="demo-banner"'


def test_demo_banner_is_shown_to_a_demo_account_in_demo_mode(client, advocacy, settings):
    settings.DEMO_MODE = True
    demo = make_actor(advocacy, with_totp=False, is_demo_account=True)
    login(client, demo)

    response = client.get(reverse("web:home"))

    assert response.status_code == 200
    assert BANNER in response.text and "made-up people only" in response.text


def test_demo_banner_is_shown_before_sign_in_in_demo_mode(client, settings):
    settings.DEMO_MODE = True

    assert BANNER in client.get(reverse("account_login")).text


def test_no_demo_banner_when_demo_mode_is_off(client, advocate, settings):
    settings.DEMO_MODE = False
    sign_in_page = client.get(reverse("account_login"))
    login(client, advocate)
    home = client.get(reverse("web:home"))

    assert sign_in_page.status_code == home.status_code == 200
    assert BANNER not in sign_in_page.text and BANNER not in home.text
