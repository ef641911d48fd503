"""Second factors at rest: allauth's TOTP secrets and recovery-code seeds, encrypted with the field keys.

allauth keeps them in `Authenticator.data` (JSON) and passes each through its MFA adapter's
`encrypt`/`decrypt` hooks (`concord.accounts.adapter.StaffMFAAdapter`). Whoever reads the database
(a backup, a replica, a support dump) must not be able to mint codes, so they are stored as Fernet
tokens under CONCORD_FIELD_KEYS, the keys of the protected fields, and rotated with them.

A sealed value carries a prefix, so a value written before encryption (clear) is told apart from one
written after: `open_secret` passes clear values through until the data migration has sealed them,
and the migration and the rotation command can be run any number of times.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cryptography.fernet import MultiFernet

from concord import crypto

PREFIX = "fernet:"

# The entries of Authenticator.data that allauth passes through encrypt(): the TOTP secret, the
# recovery codes' seed, and codes carried over from django-allauth's older format ("migrated_codes").
SECRET_KEYS = ("secret", "seed")
SECRET_LIST_KEYS = ("migrated_codes",)


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def seal(text: str) -> str:
    """Encrypt with the newest field key. Sealing a sealed value would lock it twice: refuse."""
    if is_sealed(text):
        raise ValueError("This value is already encrypted.")
    return PREFIX + crypto.encrypt(text)


def open_secret(value: str) -> str:
    """The clear text of a sealed value (with whichever field key opens it); a clear value as it is."""
    if not is_sealed(value):
        return value
    return crypto.decrypt(value.removeprefix(PREFIX))


def _map_secrets(data: dict[str, Any], change: Callable[[str], str]) -> dict[str, Any]:
    changed = dict(data)
    for key in SECRET_KEYS:
        if isinstance(changed.get(key), str):
            changed[key] = change(changed[key])
    for key in SECRET_LIST_KEYS:
        if isinstance(changed.get(key), list):
            changed[key] = [change(item) for item in changed[key]]
    return changed


def secrets_in(data: dict[str, Any]) -> list[str]:
    """Every value of one authenticator's data that allauth encrypts, as stored."""
    found = [data[key] for key in SECRET_KEYS if isinstance(data.get(key), str)]
    for key in SECRET_LIST_KEYS:
        if isinstance(data.get(key), list):
            found.extend(data[key])
    return found


def sealed_data(data: dict[str, Any]) -> dict[str, Any]:
    """The data with every clear secret sealed; sealed ones are left exactly as they are."""
    return _map_secrets(data, lambda value: value if is_sealed(value) else seal(value))


def resealed_data(data: dict[str, Any]) -> dict[str, Any]:
    """The data with every secret (sealed or still clear) sealed again under the newest key."""
    return _map_secrets(data, lambda value: seal(open_secret(value)))


def opened_data(data: dict[str, Any]) -> dict[str, Any]:
    """The data with every secret in clear: what allauth stored before (reverse of the migration)."""
    return _map_secrets(data, open_secret)


def opens_with(value: str, fernet: MultiFernet) -> bool:
    """Whether these keys alone open a stored value. A clear value does not count as opened."""
    if not is_sealed(value):
        return False
    try:
        fernet.decrypt(value.removeprefix(PREFIX).encode())
    except Exception:  # noqa: BLE001 - any failure means these keys cannot open it
        return False
    return True
