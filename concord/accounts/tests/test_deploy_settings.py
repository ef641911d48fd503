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
        CONCORD_VAR_DIR=str(tmp_path),
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


@pytest.mark.parametrize("missing", ["CONCORD_SECRET_KEY", "CONCORD_FIELD_KEYS", "CONCORD_BLIND_INDEX_KEY"])
def test_production_refuses_to_start_without_its_keys(production_env, missing):
    del production_env[missing]

    result = _run(production_env, "-c", "import django; django.setup()")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr
