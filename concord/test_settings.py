"""Settings for the test suite: the real settings, with CONCORD_TESTING on (fixed test keys,
in-memory cache for axes, no HTTPS redirect)."""

import os

os.environ["CONCORD_TESTING"] = "1"
os.environ.setdefault("CONCORD_DEBUG", "0")

from concord.settings import *  # noqa: E402,F403

# Argon2 is deliberately slow; the suite creates hundreds of users. Production keeps Argon2 first
# (concord/accounts/tests/test_deploy_settings.py runs the real settings).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The cache handler with the in-process cache is right for tests (cleared between them); axes warns
# because production must share its counts between processes.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "axes.W001"]  # noqa: F405

# Jobs run at once, in the test's transaction; the worker test (concord/protocols/tests/test_worker.py)
# uses the database backend and a real `db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("CONCORD_TASKS_BACKEND",
                                        "django.tasks.backends.immediate.ImmediateBackend")}}
