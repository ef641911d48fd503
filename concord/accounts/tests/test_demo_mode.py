"""Demo accounts may skip TOTP only in demo mode, and production settings never allow demo mode."""

import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from .signing_in import sign_in
from .test_mfa_required import ENROL_URL

ROOT = Path(__file__).resolve().parents[3]
SETUP = "import django; django.setup(); from django.conf import settings; print('DEMO_MODE', settings.DEMO_MODE)"


def _home(client, user):
    sign_in(client, user)
    return client.get(reverse("web:home"))


def test_demo_account_skips_totp_in_demo_mode(client, demo_advocate, settings):
    settings.DEMO_MODE = True

    response = _home(client, demo_advocate.user)

    assert response.status_code in (200, 302)
    assert response.get("Location") != ENROL_URL


def test_demo_account_must_enrol_when_demo_mode_is_off(client, demo_advocate, settings):
    settings.DEMO_MODE = False  # as in every deployment: settings refuse demo mode without DEBUG

    response = _home(client, demo_advocate.user)

    assert response.status_code == 302
    assert response["Location"] == ENROL_URL


def test_ordinary_account_must_enrol_even_in_demo_mode(client, advocate_without_totp, settings):
    settings.DEMO_MODE = True

    response = _home(client, advocate_without_totp.user)

    assert response.status_code == 302
    assert response["Location"] == ENROL_URL


def _load_settings(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CONCORD_", "DJANGO_"))}
    clean.update(DJANGO_SETTINGS_MODULE="concord.settings", CONCORD_VAR_DIR=str(tmp_path),
                 CONCORD_SECRET_KEY="k" * 60, **env)
    return subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=clean, capture_output=True, text=True,
                          timeout=60)


def test_settings_refuse_demo_mode_without_debug(tmp_path):
    result = _load_settings(tmp_path, CONCORD_DEMO="1", CONCORD_DEBUG="0")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "CONCORD_DEMO=1 is only allowed together with CONCORD_DEBUG=1" in result.stderr


def test_settings_refuse_demo_mode_when_debug_is_unset(tmp_path):
    result = _load_settings(tmp_path, CONCORD_DEMO="1")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_settings_allow_demo_mode_with_debug(tmp_path):
    # The control: the refusal above is about DEBUG, not a broken environment.
    result = _load_settings(tmp_path, CONCORD_DEMO="1", CONCORD_DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert "DEMO_MODE True" in result.stdout
