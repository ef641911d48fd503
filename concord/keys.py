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
