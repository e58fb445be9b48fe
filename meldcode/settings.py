"""Settings for Meldcode, read from the environment (django-environ).

Development defaults are safe only with DEBUG on; with DEBUG off every production value is
required and validated so that a misconfigured server refuses to start.
"""

import base64
import hashlib
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from meldcode.logging import build_logging

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.smart_cast = False


def _env_with_file(name, default=None):
    """Read NAME, or the contents of the file named by NAME_FILE (container secrets)."""
    file_path = env.str(f"{name}_FILE", default="")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return env.str(name, default=default)


def _strict_bool(name, default):
    """Booleans must be spelled out; a typo must not silently switch production off/on."""
    raw = env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true/false (1/0), not {raw!r}.")


DEBUG = _strict_bool("DEBUG", default=False)

SECRET_KEY = _env_with_file("SECRET_KEY", default="")
if not DEBUG:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")
elif not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # No django.contrib.admin: people, roles and passwords change only through the audited
    # beheer services (meldcode/services.py).
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "meldcode",
    "audit",
    "signals_catalog",
    "cases",
    "decisions",
    "inspection",
    "retention",
    "privacy",
]

MIDDLEWARE = [
    # Outermost: it times the whole request and sees every response, the 500 page too.
    "meldcode.middleware.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "meldcode.middleware.cache.NoStoreForSignedInUsersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "audit.middleware.RequestContextMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "meldcode.urls"
WSGI_APPLICATION = "meldcode.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meldcode.context_processors.navigation",
            ],
            # Dates are written one way everywhere: `|datum` and `|datum_tijd`.
            "builtins": ["meldcode.templatetags.meldcode_dates"],
        },
    },
]

# Django's renderer, with selects written in Python (meldcode/forms/renderer.py: a board's
# 50 schools as options cost more than the rest of the page).
FORM_RENDERER = "meldcode.forms.renderer.FormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: opening one per request cost more than most pages (the floor
# page's throughput under load rose 2.7x with them). The health check replaces a
# connection the database dropped (a restart, a failover) before the request uses it.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS",
                                _strict_bool("CONN_HEALTH_CHECKS", default=True))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "meldcode.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Per-case grants are direct foreign-key models; no anonymous user is ever granted anything.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="nl")
LANGUAGES = [("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Dossier attachments live outside the web root and are only served through the policy.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))


def _attachment_keys():
    """ATTACHMENT_KEYS (or ATTACHMENT_KEYS_FILE): comma-separated Fernet keys, the first
    encrypts, all decrypt (meldcode/storage.py). With DEBUG only, a key derived from
    SECRET_KEY stands in, so a demo runs without one."""
    raw = _env_with_file("ATTACHMENT_KEYS", default="") or ""
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        if not DEBUG:
            raise ImproperlyConfigured(
                "ATTACHMENT_KEYS is required when DEBUG is off (generate one with "
                "`python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`).")
        digest = hashlib.sha256(b"meldcode-attachments:" + SECRET_KEY.encode()).digest()
        return [base64.urlsafe_b64encode(digest).decode()]
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError) as error:
            raise ImproperlyConfigured(
                f"ATTACHMENT_KEYS: key {number} is not a Fernet key (32 bytes, url-safe "
                "base64).") from error
    return keys


ATTACHMENT_KEYS = _attachment_keys()

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="meldcode@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# How many reverse proxies in front of the app append to X-Forwarded-For. The client
# address in the audit trail and the login limits comes from there; 0 trusts no header.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
if TRUSTED_PROXY_COUNT:
    # Only a proxy may say the request came in over HTTPS; without one, the header is
    # whatever the client wrote, and would make an http:// request count as secure.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Work outside the request: notification mail (retried while the mail server is down)
# and long PDFs (cases/services/documents.py). django-tasks is the backport of Django 6's
# django.tasks, with the same API; its database backend keeps the queue in the same
# PostgreSQL (no broker to run), and `manage.py db_worker` runs it. The demo and the tests
# run every task at once, in the process that enqueues it ("immediate").
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
_TASK_BACKENDS = {"immediate": "django_tasks.backends.immediate.ImmediateBackend",
                  "database": "django_tasks_db.DatabaseBackend"}
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate" if DEBUG else "database")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    # Load balancers probe over plain HTTP; the health check carries no data. (HSTS and the
    # https redirect are set with the security headers at the end of this module.)
    SECURE_REDIRECT_EXEMPT = [r"^gezondheid/$"]

# --- Logging: the rules live in meldcode/logging.py (one line per request, no personal
# data; a refused request is one line without a traceback); LOG_FORMAT=json for a log
# collector.
try:
    LOGGING = build_logging(log_format=env.str("LOG_FORMAT", default="text").strip().lower(),
                            level=env.str("LOG_LEVEL", default="INFO").upper())
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from error
# --- end of logging

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# --- Two-factor login, session limits and security headers ---------------------------
# Every role sees dossier content or audit trails (or, as beheerder, hands out the roles
# that do), so every account logs in with a password and a code (django-otp: TOTP, plus
# one-time recovery codes). Sessions end after 30 minutes idle and 10 hours in all.
INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
# After the messages, so that "uitgelogd omdat uw sessie is verlopen" can be shown.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "meldcode.middleware.sessions.SessionLimitsMiddleware",
)
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1,
                  "meldcode.middleware.headers.PermissionsPolicyMiddleware")
# After LoginRequiredMiddleware: an anonymous visitor goes to the login page first.
MIDDLEWARE.append("meldcode.middleware.two_factor.SecondFactorRequiredMiddleware")

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Meldcode")
RECOVERY_CODE_COUNT = 10
# How long a password + code check stays valid for exports, PDFs and role changes.
REAUTH_VALID_SECONDS = env.int("REAUTH_VALID_SECONDS", default=5 * 60)
# How long the code step may follow the password step.
LOGIN_CODE_STEP_SECONDS = 5 * 60

SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
# The session row expires SESSION_IDLE_SECONDS after it was last written, and
# SessionLimitsMiddleware writes it at most once a minute while requests come in: so the
# store itself forgets an idle session, and the list of one's sessions shows only live
# ones. The middleware also checks both limits itself (the absolute one only there).
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
# meldcode.services.sessions ends sessions by deleting their rows: the database store.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# Features no page of Meldcode uses; a script that slipped in gets none of them.
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                      "magnetometer=(), microphone=(), payment=(), usb=()")
if not DEBUG:
    # Behind the TLS-terminating proxy every request is https; a plain one is redirected.
    SECURE_SSL_REDIRECT = _strict_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _strict_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS",
                                                  default=True)
    SECURE_HSTS_PRELOAD = _strict_bool("SECURE_HSTS_PRELOAD", default=True)
# --- end of two-factor login, session limits and security headers ---------------------
