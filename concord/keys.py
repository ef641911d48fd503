"""Development keys for protected fields, kept in a file under var/ (never committed).

Production reads its keys from the environment (see settings); these exist so that `make run`
and the tests work on a fresh clone without a secret store.
"""

import base64
import json
from pathlib import Path

from cryptography.fernet import Fernet

# Fixed keys for the test suite so that test runs are reproducible; they protect nothing.
TEST_FIELD_KEY = base64.urlsafe_b64encode(b"concord-test-field-key-32-bytes!").decode()
TEST_BLIND_INDEX_KEY = "concord-test-blind-index-key"
TEST_AUDIT_MAC_KEY = "concord-test-audit-mac-key"


def development_keys(var_dir: Path, *, testing: bool) -> tuple[list[str], str]:
    if testing:
        return [TEST_FIELD_KEY], TEST_BLIND_INDEX_KEY
    path = var_dir / "dev-keys.json"
    if not path.exists():
        keys = {"field_keys": [Fernet.generate_key().decode()], "blind_index_key": Fernet.generate_key().decode()}
        path.write_text(json.dumps(keys))
        path.chmod(0o600)
    keys = json.loads(path.read_text())
    return keys["field_keys"], keys["blind_index_key"]


def development_audit_mac_key(var_dir: Path, *, testing: bool) -> str:
    """The access log's MAC key for development (added to an older dev-keys.json on first use)."""
    if testing:
        return TEST_AUDIT_MAC_KEY
    development_keys(var_dir, testing=False)  # creates the file if need be
    path = var_dir / "dev-keys.json"
    keys = json.loads(path.read_text())
    if "audit_mac_key" not in keys:
        keys["audit_mac_key"] = Fernet.generate_key().decode()
        path.write_text(json.dumps(keys))
        path.chmod(0o600)
    return keys["audit_mac_key"]


DEVELOPMENT_SECRET_PREFIX = "insecure-development-key"
# A benchmark runs production settings on a database seeded with the development key file, and says so.
ALLOW_DEVELOPMENT_KEYS = "CONCORD_ALLOW_DEVELOPMENT_KEYS"


def development_key_in_use(secret_key: str, field_keys: list[str], blind_index_key: str, var_dir: Path,
                           audit_mac_key: str = "") -> str:
    """Why these production keys are development ones ("" when they are not): the test suite's public
    keys, the development secret, or the keys of this machine's development key file (which `make run`
    created and anyone with the checkout can read)."""
    import os

    if secret_key.startswith(DEVELOPMENT_SECRET_PREFIX):
        return "CONCORD_SECRET_KEY is the development secret."
    if TEST_FIELD_KEY in field_keys or blind_index_key == TEST_BLIND_INDEX_KEY:
        return "a field or blind-index key is the test suite's, which is public."
    if audit_mac_key == TEST_AUDIT_MAC_KEY:
        return "CONCORD_AUDIT_MAC_KEY is the test suite's, which is public."
    path = var_dir / "dev-keys.json"
    if path.exists() and os.environ.get(ALLOW_DEVELOPMENT_KEYS) != "1":
        try:
            keys = json.loads(path.read_text())
        except (OSError, ValueError):
            return ""
        if set(keys.get("field_keys", [])) & set(field_keys) or keys.get("blind_index_key") == blind_index_key:
            return f"a field or blind-index key is the development key file's ({path})."
        if audit_mac_key and keys.get("audit_mac_key") == audit_mac_key:
            return f"CONCORD_AUDIT_MAC_KEY is the development key file's ({path})."
    return ""
