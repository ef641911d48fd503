"""Key rotation re-encrypts every protected value and proves the old key can be retired."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from concord.cases.services import location_record
from concord.people.models import ContactPoint, ProtectedLocation
from concord.testing.factories import make_case


def raw_tokens(model, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table}")  # noqa: S608 - fixed names
        return [row[0] for row in cursor.fetchall()]


def test_values_are_encrypted_at_rest(advocate):
    case = make_case(advocate, phone="07700 900123")
    location_record(actor=advocate, case=case, kind="refuge", address="1 Refuge Road")
    assert all("900123" not in token for token in raw_tokens(ContactPoint, "value"))
    assert all("Refuge Road" not in token for token in raw_tokens(ProtectedLocation, "address"))


def test_rotation_keeps_every_value_readable_and_frees_the_old_key(advocate, settings, capsys):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    case = make_case(advocate, phone="07700 900123")
    location_record(actor=advocate, case=case, kind="refuge", address="1 Refuge Road", note="ring twice")

    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    with pytest.raises(CommandError, match="still need an older key"):
        call_command("rotate_field_keys", "--verify-only")

    call_command("rotate_field_keys")
    assert "can now be removed" in capsys.readouterr().out

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is retired
    assert ContactPoint.objects.get().value == "07700 900123"
    location = ProtectedLocation.objects.get()
    assert (location.address, location.note) == ("1 Refuge Road", "ring twice")
    call_command("rotate_field_keys", "--verify-only")


def test_a_value_no_key_opens_fails_loudly(advocate, settings):
    make_case(advocate, phone="07700 900123")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(RuntimeError, match="could not be decrypted"):
        ContactPoint.objects.get()
