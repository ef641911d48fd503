"""Passwords: at least 12 characters, and none from the list of passwords seen in breaches
(settings.AUTH_PASSWORD_VALIDATORS), wherever a password is set."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from concord.testing.factories import TEST_PASSWORD, login

ELEVEN = "vK7#mq2!Lp9"
TWELVE = "vK7#mq2!Lp9z"
COMMON_BUT_LONG = "password1234"  # 12 characters, in Django's CommonPasswordValidator list


def test_password_lengths_are_as_stated():
    assert (len(ELEVEN), len(TWELVE), len(COMMON_BUT_LONG)) == (11, 12, 12)


def test_an_11_character_password_is_refused(advocate):
    with pytest.raises(ValidationError, match="too short"):
        validate_password(ELEVEN, advocate.user)


def test_a_strong_12_character_password_is_accepted(advocate):
    assert validate_password(TWELVE, advocate.user) is None


def test_a_long_but_common_password_is_refused(advocate):
    with pytest.raises(ValidationError, match="too common"):
        validate_password(COMMON_BUT_LONG, advocate.user)


def change_password(client, new_password):
    return client.post(reverse("account_change_password"),
                       {"oldpassword": TEST_PASSWORD, "password1": new_password, "password2": new_password})


@pytest.mark.parametrize("refused", [ELEVEN, COMMON_BUT_LONG])
def test_password_change_page_refuses_a_short_or_common_password(client, advocate, refused):
    login(client, advocate)

    response = change_password(client, refused)

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    advocate.user.refresh_from_db()
    assert advocate.user.check_password(TEST_PASSWORD)


def test_password_change_page_accepts_a_strong_12_character_password(client, advocate):
    login(client, advocate)

    response = change_password(client, TWELVE)

    assert response.status_code == 302
    advocate.user.refresh_from_db()
    assert advocate.user.check_password(TWELVE)
