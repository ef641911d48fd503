"""Protected fields: encryption at rest with dedicated keys, and keyed blind indexes.

Encrypted columns cannot be filtered or ordered. Where a protected value must still be found by
equality (a phone number at search), a blind index sits beside it: HMAC-SHA256 of the normalised
value under its own key, never the plain value or an unkeyed hash.
"""

import functools
import hashlib
import hmac

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

DEFAULT_PHONE_REGION = "GB"


@functools.cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    """Encrypts with the first key of CONCORD_FIELD_KEYS and decrypts with any of them."""
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plain: str) -> str:
    return fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        # A value no configured key can open: the keys were rotated away too early. Fail loudly
        # rather than show an empty field that a worker might take as "no address recorded".
        raise RuntimeError("A protected value could not be decrypted with the configured keys.") from error


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token. Never put one in a history table or an index."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def normalise_phone(raw: str, region: str = DEFAULT_PHONE_REGION) -> str:
    """E.164 form where the number parses; otherwise its digits, so search still matches."""
    try:
        number = phonenumbers.parse(raw, region)
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    return "".join(ch for ch in raw if ch.isdigit())


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed HMAC of an already-normalised value; `purpose` keeps indexes of different kinds apart."""
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
