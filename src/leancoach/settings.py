"""Django settings, read from the environment (see docs/operations.md for every variable)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from leancoach.conf import (
    env_bool,
    env_database,
    env_email,
    env_email_address,
    env_int,
    env_list,
    env_str,
    env_time_zone,
)

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(env_str("LEANCOACH_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()

DEBUG = env_bool("LEANCOACH_DEBUG", False)

_DEV_SECRET_KEY = "leancoach-development-only-secret-key-never-use-in-production"
SECRET_KEY = env_str("LEANCOACH_SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "LEANCOACH_SECRET_KEY must be set when LEANCOACH_DEBUG is off "
        "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "LEANCOACH_SECRET_KEY must be at least 32 characters and not the dev key."
    )

ALLOWED_HOSTS = env_list("LEANCOACH_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("LEANCOACH_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "csp",
    "leancoach.core",
    "leancoach.people",
    "leancoach.engagements",
    "leancoach.cycle",
    "leancoach.metrics",
    "leancoach.meetings",
    "leancoach.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files answer here, before the rest
    "leancoach.core.middleware.NoStore",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "leancoach.core.middleware.PagesRequireLogin",
    "leancoach.core.middleware.UserTimeZone",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "leancoach.urls"
WSGI_APPLICATION = "leancoach.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "leancoach.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATA_DIR_DEFAULT_DB = f"sqlite:///{DATA_DIR / 'leancoach.sqlite3'}"
_database: dict[str, Any] = env_database("DATABASE_URL", DATA_DIR_DEFAULT_DB)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; FULL sync keeps a committed write
    # across a power cut; IMMEDIATE transactions take the write lock up front so
    # two writers queue (busy timeout) instead of failing with "database is locked".
    _database["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    _database.setdefault("CONN_MAX_AGE", env_int("LEANCOACH_DB_CONN_MAX_AGE", 60, minimum=0))
    _database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Login throttling (django-axes, with core/throttling.py): lock a username from one
# address after AXES_FAILURE_LIMIT failures, an address over all usernames after
# LEANCOACH_LOGIN_ADDRESS_FAILURE_LIMIT, and a username over all addresses after
# LEANCOACH_LOGIN_ACCOUNT_FAILURE_LIMIT (except from addresses it signs in from).
# The lock-out page is the same whether or not the account exists, so it tells
# an attacker nothing about which e-mails are real.
AXES_HANDLER = "leancoach.core.throttling.LoginThrottle"
AXES_FAILURE_LIMIT = env_int("LEANCOACH_LOGIN_FAILURE_LIMIT", 10, minimum=1, maximum=10)
LEANCOACH_LOGIN_ADDRESS_FAILURE_LIMIT = env_int(
    "LEANCOACH_LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=AXES_FAILURE_LIMIT + 1, maximum=1000
)
LEANCOACH_LOGIN_ACCOUNT_FAILURE_LIMIT = env_int(
    "LEANCOACH_LOGIN_ACCOUNT_FAILURE_LIMIT", 50, minimum=AXES_FAILURE_LIMIT + 1, maximum=1000
)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LEANCOACH_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Trusted reverse proxies in front of the app; core.http.client_ip reads X-Forwarded-For
# with it, for throttling, the audit log and signatures alike.
LEANCOACH_PROXY_COUNT = env_int("LEANCOACH_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "leancoach.core.http.client_ip"

# --- Sessions, cookies, security headers ----------------------------------
SECURE_COOKIES = env_bool("LEANCOACH_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("LEANCOACH_SESSION_HOURS", 12, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Database sessions that carry their login's id, so disabling a login ends them all at once.
SESSION_ENGINE = "leancoach.core.sessions"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only the app's own files: no inline script or style (htmx's indicator styles are off, see
# base.html), no eval, no plugins, no framing, forms post only to the app itself. Images may
# also be data: URIs (the API docs' icons): an image cannot run script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# No page needs a sensor, a device or payment: deny them all, to the app and to anything
# it might ever embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "clipboard-read",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "web-share",
        "xr-spatial-tracking",
    )
}
SECURE_HSTS_SECONDS = env_int("LEANCOACH_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("LEANCOACH_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("LEANCOACH_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("LEANCOACH_SSL_REDIRECT", False)
# A monitor on the app server's loopback probes the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("LEANCOACH_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- E-mail ---------------------------------------------------------------
_email = env_email("LEANCOACH_EMAIL_URL", "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
for _key in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"):
    if _email.get(_key):
        globals()[_key] = _email[_key]
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
DEFAULT_FROM_EMAIL = env_email_address("LEANCOACH_FROM_EMAIL", "leancoach@localhost")

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_time_zone("LEANCOACH_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"one_line_warning": {"()": "leancoach.core.log_filters.OneLineWarning"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LEANCOACH_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # A request for a host not in LEANCOACH_ALLOWED_HOSTS: a 400 and this one line.
        "django.security.DisallowedHost": {"filters": ["one_line_warning"]},
    },
}

# --- leancoach ------------------------------------------------------------
LEANCOACH_BASE_URL = env_str("LEANCOACH_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
LEANCOACH_PAGE_SIZE = 25
LEANCOACH_API_MAX_PAGE_SIZE = 100
