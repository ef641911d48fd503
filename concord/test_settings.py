"""Settings for the test suite: the real settings, with CONCORD_TESTING on (fixed test keys,
in-memory cache for axes, no HTTPS redirect)."""

import os

os.environ["CONCORD_TESTING"] = "1"
os.environ.setdefault("CONCORD_DEBUG", "0")

from concord.settings import *  # noqa: E402,F403
