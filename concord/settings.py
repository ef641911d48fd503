"""Concord settings: everything from environment variables, safe production defaults.

DEBUG and demo mode are off unless the environment turns them on (``make run`` does).
"""

import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CONCORD_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("CONCORD_DEBUG")
# Demo mode lets the printed demo accounts skip TOTP. It exists only for `make run` on a
# developer's machine, so it is refused outright without DEBUG: a production deployment
# can never be in demo mode by accident.
DEMO_MODE = env_bool("CONCORD_DEMO")
if DEMO_MODE and not DEBUG:
    raise ImproperlyConfigured("CONCORD_DEMO=1 is only allowed together with CONCORD_DEBUG=1.")
TESTING = env_bool("CONCORD_TESTING")
# The test settings' secret and field keys are public (they are in the source): a server started with
# them would sign sessions and encrypt her details with keys anyone can read. Only the test runner (and
# mypy's Django plugin, which imports the test settings to type-check and serves nothing).
if TESTING and not {"pytest", "mypy"} & sys.modules.keys():
    raise ImproperlyConfigured("CONCORD_TESTING=1 is for the test suite only (its keys are public): "
                               "unset it, and set production keys.")

SECRET_KEY = os.environ.get("CONCORD_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-never-use-in-production-" + "x" * 20  # noqa: S105
    else:
        raise ImproperlyConfigured("Set CONCORD_SECRET_KEY (50+ random characters) for production.")

ALLOWED_HOSTS = env_list("CONCORD_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CONCORD_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # SimpleAdminConfig: no autodiscovery; only concord.accounts.admin.site exists, and it
    # registers no case model.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "simple_history",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "ninja",
    "django_tasks_db",
    "crontask",
    "concord.accounts",
    "concord.people",
    "concord.cases",
    "concord.audit",
    "concord.consent",
    "concord.access",
    "concord.risk",
    "concord.protocols",
    "concord.contact",
    "concord.referrals",
    "concord.conferences",
    "concord.safety",
    "concord.web",
    "concord.api",
    "concord.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "concord.accounts.middleware.NoStoreMiddleware",
    "concord.accounts.middleware.SessionLimitsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "concord.accounts.middleware.UserSessionActivityMiddleware",  # allauth's, once a minute
    "concord.accounts.middleware.RequireMFAMiddleware",
    "concord.accounts.middleware.ActingAgencyMiddleware",
    "concord.audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last, as its documentation asks, so it sees the final response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "concord.urls"
WSGI_APPLICATION = "concord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "concord" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "concord.web.context_processors.concord",
            ],
        },
    }
]

FORM_RENDERER = "concord.web.forms_renderer.ConcordFormRenderer"

# --- Database: an SQLite file under var/ unless DATABASE_URL says otherwise ----------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'concord.sqlite3'}",
        conn_max_age=int(os.environ.get("CONCORD_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The application's statements are short index lookups: PostgreSQL's JIT compiler spent about a
    # second compiling each search at 350,000 cases (bench/README.md) and never paid it back.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c jit=off").strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (axes counts failed logins here in production: use a shared cache) -------------
# Lockout counts, allauth's rate limits and its "TOTP code already used" check live in the cache, so
# every process must share it: Redis when CACHE_URL is set, else a database table in production
# (`manage.py createcachetable`), and process memory only for development and tests.
CACHES: dict[str, dict[str, Any]]
if os.environ.get("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["CACHE_URL"]}}
elif DEBUG or TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "concord_cache"}}
# Case pages as rendered, for the reader who asked (concord.web.case_page): in each process's own
# memory, whatever the default cache is, for a minute at most.
CACHES["case_pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "case-pages",
                        "TIMEOUT": 60, "OPTIONS": {"MAX_ENTRIES": 300}}

# --- Identity, passwords, login ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    # Django ships a list of 20,000 passwords seen in breaches; no network check is possible offline.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "concord.accounts.adapter.StaffAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# A reset asked for an address that is no staff account's sends nothing: no mail to strangers.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_PREVENT_ENUMERATION = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# TOTP secrets and recovery-code seeds are encrypted with CONCORD_FIELD_KEYS (accounts.second_factors);
# the code forms refuse any code while axes has the account locked.
MFA_ADAPTER = "concord.accounts.adapter.StaffMFAAdapter"
MFA_FORMS = {
    "authenticate": "concord.accounts.forms.StaffAuthenticateForm",
    "reauthenticate": "concord.accounts.forms.StaffReauthenticateForm",
}
MFA_TOTP_ISSUER = "Concord"
# Staff accounts are made by administrators, not by sign-up, so there is no e-mail to verify.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# The Sessions list shows when and where each session was last seen; concord's own middleware keeps
# it up to date (UserSessionActivityMiddleware, in allauth's place).
USERSESSIONS_TRACK_ACTIVITY = True

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = ["username"]
# allauth posts "login", not "username": without this axes would record nothing.
AXES_USERNAME_CALLABLE = "concord.accounts.lockout.username_from_request"
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler" if TESTING else "axes.handlers.database.AxesDatabaseHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# axes.W006 asks for "ip_address" in AXES_LOCKOUT_PARAMETERS, against bypass by rotating User-Agents
# or cookies. Locking by username alone is not bypassed that way (neither is part of the key), and
# failures per IP are already limited by allauth ("10/m/ip" above). Locking by IP as well would
# let five typos lock out everyone behind one police station's or council's shared address.
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # The derived access table's covering index (concord.access.models) is covering on PostgreSQL;
    # SQLite builds it without the included columns, which is all it needs.
    "models.W040",
]

# Sessions: 15 minutes idle and 12 hours absolute (enforced by SessionLimitsMiddleware).
SESSION_IDLE_TIMEOUT = timedelta(minutes=15)
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIFETIME.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Transport security: secure unless DEBUG ----------------------------------------------
SECURE = not DEBUG and not TESTING
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("CONCORD_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("CONCORD_BEHIND_PROXY") else None
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
}

# --- Protected fields: dedicated keys, never the SECRET_KEY -------------------------------
# CONCORD_FIELD_KEYS: comma-separated Fernet keys, newest first (MultiFernet decrypts with any,
# encrypts with the first). CONCORD_BLIND_INDEX_KEY: a separate key for searchable HMACs.
FIELD_ENCRYPTION_KEYS = env_list("CONCORD_FIELD_KEYS")
BLIND_INDEX_KEY = os.environ.get("CONCORD_BLIND_INDEX_KEY", "")
if not FIELD_ENCRYPTION_KEYS or not BLIND_INDEX_KEY:
    if DEBUG or TESTING:
        from concord.keys import development_keys

        FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY = development_keys(VAR_DIR, testing=TESTING)
    else:
        raise ImproperlyConfigured("Set CONCORD_FIELD_KEYS and CONCORD_BLIND_INDEX_KEY for production.")
# --- The access log: its MAC key and where its anchors are written ---------------------------
# CONCORD_AUDIT_MAC_KEY: the HMAC-SHA256 key of the access log's chain (32+ random characters). It must
# not be in the database, or someone able to write the table could forge entries (docs/audit.md).
AUDIT_MAC_KEY = os.environ.get("CONCORD_AUDIT_MAC_KEY", "")
if not AUDIT_MAC_KEY:
    if DEBUG or TESTING:
        from concord.keys import development_audit_mac_key

        AUDIT_MAC_KEY = development_audit_mac_key(VAR_DIR, testing=TESTING)
    else:
        raise ImproperlyConfigured("Set CONCORD_AUDIT_MAC_KEY (32+ random characters) for production.")
# CONCORD_AUDIT_ANCHORS: a directory (or a .jsonl file) outside the database where audit_verify and
# audit_anchor append each chain's head; keep it on storage the database's users cannot rewrite.
AUDIT_ANCHORS = Path(os.environ.get("CONCORD_AUDIT_ANCHORS", VAR_DIR / "audit-anchors"))
if not (DEBUG or TESTING):
    from concord.keys import development_key_in_use

    if reason := development_key_in_use(SECRET_KEY, FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY, VAR_DIR,
                                        AUDIT_MAC_KEY):
        raise ImproperlyConfigured(f"Production refuses to start with a development key: {reason}")

# --- Mail (password reset) ----------------------------------------------------------------------
# Production sends through the SMTP server the environment names. Without one, mail is not sent (the
# reset page says so and `check --deploy` warns), rather than a 500 from an SMTP server that is not there.
EMAIL_HOST = os.environ.get("CONCORD_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("CONCORD_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("CONCORD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CONCORD_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CONCORD_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("CONCORD_EMAIL_FROM", "concord@localhost")
MAIL_CONFIGURED = bool(EMAIL_HOST) or DEBUG or TESTING

# Background jobs (issue 16): deadlines, escalations and messages to her run through Django's tasks
# API. By default django-tasks-db keeps the queue in the database and `manage.py db_worker` runs it
# (any number of workers: PostgreSQL hands each job to one); `manage.py crontask` enqueues the
# periodic ones. A deployment with Redis names django-tasks-rq's backend here instead.
TASKS = {"default": {"BACKEND": os.environ.get("CONCORD_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
CRONTASK = {"REDIS_URL": os.environ.get("CONCORD_CRONTASK_REDIS_URL") or None}
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG or TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # printed where `make run` runs
else:
    EMAIL_BACKEND = "concord.accounts.mail.NotConfiguredBackend"

# --- Messages to survivors (concord.contact: every one goes through the outbound gate) -----------------
# Text messages: "console" (printed), "file" (one JSON line each in CONCORD_TEXT_OUTBOX), or the dotted
# path of a provider class with send(to, body). E-mail to her uses the mail settings above.
CONCORD_TEXT_TRANSPORT = os.environ.get("CONCORD_TEXT_TRANSPORT", "console")
CONCORD_TEXT_OUTBOX = os.environ.get("CONCORD_TEXT_OUTBOX", str(BASE_DIR / "var" / "text-outbox.jsonl"))

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
LOCALE_PATHS = [BASE_DIR / "concord" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_MAX_PER_PAGE_SIZE = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CONCORD_LOG_LEVEL", "WARNING")},
}
