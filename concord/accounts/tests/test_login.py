"""Signing in: e-mail and password, then the TOTP code. Neither alone is enough."""

from django.urls import reverse

from .signing_in import LOGIN_URL, MFA_URL, post_password, totp_code, wrong_totp_code


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_has_email_and_password_fields(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert b'name="login"' in response.content
    assert b'name="password"' in response.content


def test_correct_password_asks_for_totp_code_before_signing_in(client, advocate):
    response = post_password(client, advocate.user.email)

    assert response.status_code == 302
    assert response["Location"] == MFA_URL
    assert not _is_signed_in(client)
    assert client.get(MFA_URL).status_code == 200


def test_correct_totp_code_signs_in(client, advocate):
    post_password(client, advocate.user.email)

    response = client.post(MFA_URL, {"code": totp_code(advocate.user.totp_secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(advocate.user.pk)
    assert client.get(reverse("web:home")).status_code in (200, 302)


def test_wrong_totp_code_does_not_sign_in(client, advocate):
    post_password(client, advocate.user.email)

    response = client.post(MFA_URL, {"code": wrong_totp_code(advocate.user.totp_secret)})

    assert response.status_code == 200  # the form again, with an error
    assert response.context["form"].errors
    assert not _is_signed_in(client)
    home = client.get(reverse("web:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("account_login"))


def test_totp_code_cannot_be_replayed(client, advocate):
    code = totp_code(advocate.user.totp_secret, margin=5)
    post_password(client, advocate.user.email)
    client.post(MFA_URL, {"code": code})
    assert _is_signed_in(client)
    client.post(reverse("account_logout"))
    assert not _is_signed_in(client)

    post_password(client, advocate.user.email)
    response = client.post(MFA_URL, {"code": code})

    assert response.status_code == 200
    assert not _is_signed_in(client)


def test_wrong_password_does_not_reach_totp_stage(client, advocate):
    response = post_password(client, advocate.user.email, "not the password at all")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not _is_signed_in(client)
    assert client.get(MFA_URL).status_code == 302  # no pending login to complete


def test_unknown_email_is_refused_like_a_wrong_password(client, db):
    response = post_password(client, "nobody@example.org", "whatever whatever")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not _is_signed_in(client)
