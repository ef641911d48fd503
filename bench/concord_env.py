"""The environment both national benchmarks run Concord under, so that the seeder, the in-process
reads and the gunicorn server all use the same protected-field keys.

Production settings (CONCORD_DEBUG off) refuse to start without CONCORD_FIELD_KEYS,
CONCORD_BLIND_INDEX_KEY and CONCORD_SECRET_KEY. When the field keys are not in the environment they
are taken from the development key file, `$CONCORD_VAR_DIR/dev-keys.json` (var/dev-keys.json, the
file `make run` and `manage.py` use with CONCORD_DEBUG=1; created if missing), and put into the
environment explicitly, with CONCORD_ALLOW_DEVELOPMENT_KEYS=1 (production settings otherwise refuse
them): a database seeded this way opens with the same keys in production mode and in development
mode. The secret key signs sessions only; no seeded row depends on it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure(*, secret_key: str | None = None) -> dict[str, str]:
    """Put Concord's key settings into os.environ (before django.setup()); returns what was set."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    chosen: dict[str, str] = {}
    if not (os.environ.get("CONCORD_FIELD_KEYS") and os.environ.get("CONCORD_BLIND_INDEX_KEY")):
        from concord.keys import development_keys

        var_dir = Path(os.environ.get("CONCORD_VAR_DIR", ROOT / "var"))
        var_dir.mkdir(parents=True, exist_ok=True)
        field_keys, blind_index_key = development_keys(var_dir, testing=False)
        chosen["CONCORD_FIELD_KEYS"] = ",".join(field_keys)
        chosen["CONCORD_BLIND_INDEX_KEY"] = blind_index_key
        # Production settings refuse the development key file's keys unless told this is on purpose.
        chosen["CONCORD_ALLOW_DEVELOPMENT_KEYS"] = "1"
    if not os.environ.get("CONCORD_AUDIT_MAC_KEY"):
        from concord.keys import development_audit_mac_key

        var_dir = Path(os.environ.get("CONCORD_VAR_DIR", ROOT / "var"))
        var_dir.mkdir(parents=True, exist_ok=True)
        # The access log's MAC key of the same key file: entries written by the seeder, the in-process
        # reads and the gunicorn server all verify under it.
        chosen["CONCORD_AUDIT_MAC_KEY"] = development_audit_mac_key(var_dir, testing=False)
        chosen["CONCORD_ALLOW_DEVELOPMENT_KEYS"] = "1"
    if not os.environ.get("CONCORD_SECRET_KEY"):
        chosen["CONCORD_SECRET_KEY"] = secret_key or secrets.token_urlsafe(50)
    os.environ.update(chosen)
    return chosen


def key_fingerprint() -> str:
    """A short digest of the field and blind-index keys in use, to print beside results."""
    text = os.environ.get("CONCORD_FIELD_KEYS", "") + "|" + os.environ.get("CONCORD_BLIND_INDEX_KEY", "")
    return hashlib.sha256(text.encode()).hexdigest()[:12]

