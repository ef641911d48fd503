"""Production settings (no DEBUG, no test mode) pass Django's deployment checks and are strict."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]
SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
    "'debug': s.DEBUG, 'demo': s.DEMO_MODE, 'secure_cookie': s.SESSION_COOKIE_SECURE,"
    "'csrf_secure': s.CSRF_COOKIE_SECURE, 'ssl_redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS,"
    "'hasher': s.PASSWORD_HASHERS[0], 'axes_handler': s.AXES_HANDLER, 'hosts': s.ALLOWED_HOSTS}))"
)


@pytest.fixture
def production_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONCORD_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="concord.settings",
        CONCORD_DEBUG="0",
        CONCORD_SECRET_KEY=secrets.token_urlsafe(60)[:60],
        CONCORD_ALLOWED_HOSTS="concord.example.org",
        CONCORD_FIELD_KEYS=Fernet.generate_key().decode(),
        CONCORD_BLIND_INDEX_KEY=secrets.token_urlsafe(32),
        CONCORD_AUDIT_MAC_KEY=secrets.token_urlsafe(32),
        CONCORD_VAR_DIR=str(tmp_path),
        CONCORD_EMAIL_HOST="smtp.example.org",
    )
    return env


def _run(env, *args):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_reports_nothing(production_env):
    result = _run(production_env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_are_strict(production_env):
    result = _run(production_env, "-c", SHOW)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "debug": False, "demo": False, "secure_cookie": True, "csrf_secure": True, "ssl_redirect": True,
        "hsts": 31536000, "hasher": "django.contrib.auth.hashers.Argon2PasswordHasher",
        "axes_handler": "axes.handlers.database.AxesDatabaseHandler", "hosts": ["concord.example.org"],
    }


@pytest.mark.parametrize("missing", ["CONCORD_SECRET_KEY", "CONCORD_FIELD_KEYS", "CONCORD_BLIND_INDEX_KEY",
                                     "CONCORD_AUDIT_MAC_KEY"])
def test_production_refuses_to_start_without_its_keys(production_env, missing):
    del production_env[missing]

    result = _run(production_env, "-c", "import django; django.setup()")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_test_mode_is_refused_outside_the_test_runner(production_env):
    """CONCORD_TESTING=1 carries public keys and no secure cookies: never a server."""
    production_env["CONCORD_TESTING"] = "1"
    result = _run(production_env, "-c", "import django; django.setup()")
    assert result.returncode != 0 and "CONCORD_TESTING=1 is for the test suite only" in result.stderr
    # The same under the development server and gunicorn's entry point.
    result = _run(production_env, "manage.py", "check")
    assert result.returncode != 0 and "CONCORD_TESTING=1 is for the test suite only" in result.stderr


def _development_keys(var_dir: Path) -> tuple[str, str]:
    from concord.keys import development_keys

    field_keys, blind_index_key = development_keys(var_dir, testing=False)
    return field_keys[0], blind_index_key


@pytest.mark.parametrize("which", ["test field key", "test blind index", "dev file field key", "dev file blind index",
                                   "development secret", "test audit MAC key", "dev file audit MAC key"])
def test_production_refuses_a_development_key(production_env, tmp_path, which):
    from concord.keys import TEST_AUDIT_MAC_KEY, TEST_BLIND_INDEX_KEY, TEST_FIELD_KEY, development_audit_mac_key

    dev_field, dev_blind = _development_keys(tmp_path)  # var/dev-keys.json of this "machine"
    dev_audit = development_audit_mac_key(tmp_path, testing=False)
    production_env.update({
        "test audit MAC key": {"CONCORD_AUDIT_MAC_KEY": TEST_AUDIT_MAC_KEY},
        "dev file audit MAC key": {"CONCORD_AUDIT_MAC_KEY": dev_audit},
        "test field key": {"CONCORD_FIELD_KEYS": f"{Fernet.generate_key().decode()},{TEST_FIELD_KEY}"},
        "test blind index": {"CONCORD_BLIND_INDEX_KEY": TEST_BLIND_INDEX_KEY},
        "dev file field key": {"CONCORD_FIELD_KEYS": dev_field},
        "dev file blind index": {"CONCORD_BLIND_INDEX_KEY": dev_blind},
        "development secret": {"CONCORD_SECRET_KEY": "insecure-development-key-never-use-in-production-" + "x" * 20},
    }[which])
    result = _run(production_env, "-c", "import django; django.setup()")
    assert result.returncode != 0, which
    assert "Production refuses to start with a development key" in result.stderr, result.stderr[-500:]


def test_a_benchmark_may_run_production_settings_on_the_development_key_file(production_env, tmp_path):
    dev_field, dev_blind = _development_keys(tmp_path)
    production_env.update(CONCORD_FIELD_KEYS=dev_field, CONCORD_BLIND_INDEX_KEY=dev_blind,
                          CONCORD_ALLOW_DEVELOPMENT_KEYS="1")
    assert _run(production_env, "-c", "import django; django.setup()").returncode == 0
    # Never the public ones, whatever it says.
    from concord.keys import TEST_FIELD_KEY

    production_env["CONCORD_FIELD_KEYS"] = TEST_FIELD_KEY
    assert _run(production_env, "-c", "import django; django.setup()").returncode != 0


def test_production_without_a_mail_server_is_told_so(production_env):
    del production_env["CONCORD_EMAIL_HOST"]
    result = _run(production_env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0 and "concord.W001" in result.stderr + result.stdout
