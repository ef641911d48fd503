"""Reads about people. Anything that touches case data goes through concord.policy first."""

from concord.crypto import blind_index, normalise_phone

from .vocabularies import ContactKind

PHONE_KINDS = {ContactKind.MOBILE, ContactKind.LANDLINE}


def contact_search_index(kind: str, value: str) -> str:
    if kind in PHONE_KINDS:
        return blind_index(normalise_phone(value), purpose="phone")
    return blind_index(value.strip().casefold(), purpose=kind)


def phone_search_index(raw: str) -> str:
    return blind_index(normalise_phone(raw), purpose="phone")
