"""All of Roundtable's settings, read from the environment.

Every variable is parsed by a small typed helper that raises ImproperlyConfigured
on a value it cannot read, so a typo in deployment stops the process at start
instead of running with a silent default. `.env.example` documents each one.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "")
    if value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    if value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = env_str("ROUNDTABLE_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("ROUNDTABLE_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("ROUNDTABLE_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("ROUNDTABLE_DEBUG must be off when ROUNDTABLE_ENV=production.")

# A development key is fine on a laptop; production must bring its own.
SECRET_KEY = (
    env_str("ROUNDTABLE_SECRET_KEY")
    if PRODUCTION
    else env_str("ROUNDTABLE_SECRET_KEY", "dev-only-insecure-key-do-not-deploy")
)
ALLOWED_HOSTS = env_list(
    "ROUNDTABLE_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ROUNDTABLE_ALLOWED_HOSTS in production.")
CSRF_TRUSTED_ORIGINS = env_list("ROUNDTABLE_CSRF_TRUSTED_ORIGINS", [])

VAR_DIR = Path(env_str("ROUNDTABLE_VAR_DIR", str(PROJECT_DIR / "var")))

INSTALLED_APPS = [
    "roundtable.core.admin_config.RoundtableAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "js_lib_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "roundtable.core",
    "roundtable.accounts",
    "roundtable.agencies",
    "roundtable.audit",
    "roundtable.stakeholders",
    "roundtable.engagement",
    "roundtable.inputs",
    "roundtable.priorities",
    "roundtable.problems",
    "roundtable.incidents",
    "roundtable.opinions",
    "roundtable.surveys",
    "roundtable.measures",
    "roundtable.compstat",
    "roundtable.dashboard",
    "roundtable.opendata",
    "roundtable.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "roundtable.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "roundtable.urls"
WSGI_APPLICATION = "roundtable.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "roundtable.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'roundtable.sqlite3'}"),
        conn_max_age=env_int("ROUNDTABLE_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and a worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["roundtable.accounts.backends.UsernameOrEmailBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
# Staff roles must pass a TOTP check; turning this off is for local trials only.
ROUNDTABLE_STAFF_2FA = env_bool("ROUNDTABLE_STAFF_2FA", default=True)
if PRODUCTION and not ROUNDTABLE_STAFF_2FA:
    raise ImproperlyConfigured(
        "ROUNDTABLE_STAFF_2FA=0 is for local trials; production keeps it on."
    )
OTP_TOTP_ISSUER = env_str("ROUNDTABLE_OTP_ISSUER", "Roundtable")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "roundtable_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("ROUNDTABLE_TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("ROUNDTABLE_STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
# Leaflet's files come from the django-leaflet wheel. Only its static folder is
# used: as an app it would import GeoDjango, which needs GDAL on the machine.
_LEAFLET_SPEC = importlib.util.find_spec("leaflet")
if _LEAFLET_SPEC is None or not _LEAFLET_SPEC.submodule_search_locations:
    raise ImproperlyConfigured("django-leaflet is not installed: pip install -e .")
STATICFILES_DIRS = [
    ("leaflet", Path(_LEAFLET_SPEC.submodule_search_locations[0]) / "static" / "leaflet")
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Rate limits count in the cache: with several processes it must be shared (Redis).
# Production refuses to start without it (see roundtable/core/checks.py).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

TASKS = {
    "default": {
        "BACKEND": env_str("ROUNDTABLE_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Invitation and password-reset links are credentials: production must send them,
# never print them into a log.
EMAIL_BACKEND = (
    env_str("ROUNDTABLE_EMAIL_BACKEND")
    if PRODUCTION
    else env_str("ROUNDTABLE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
)
if PRODUCTION and EMAIL_BACKEND.rsplit(".", 2)[-2] in {"console", "locmem", "filebased", "dummy"}:
    raise ImproperlyConfigured("Set ROUNDTABLE_EMAIL_BACKEND to a real mail backend in production.")
EMAIL_HOST = env_str("ROUNDTABLE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ROUNDTABLE_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("ROUNDTABLE_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("ROUNDTABLE_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ROUNDTABLE_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("ROUNDTABLE_FROM_EMAIL", "roundtable@localhost")

# Security headers. HSTS and secure cookies only make sense behind HTTPS.
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("ROUNDTABLE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("ROUNDTABLE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
# Behind a proxy, the client's address (hashed for rate limits, never stored) is the
# last entry of X-Forwarded-For, the one our own proxy appended.
ROUNDTABLE_BEHIND_PROXY = env_bool("ROUNDTABLE_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if ROUNDTABLE_BEHIND_PROXY else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Map tiles for the public form's point picker (Leaflet, from the django-leaflet
# wheel). The visitor's browser fetches them from this server, so it learns the
# visitor's address: point it at the agency's own tile server, or set it empty
# to offer the number fields alone.
ROUNDTABLE_MAP_TILES = env_str(
    "ROUNDTABLE_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
ROUNDTABLE_MAP_ATTRIBUTION = env_str("ROUNDTABLE_MAP_ATTRIBUTION", "© OpenStreetMap contributors")
_TILE_ORIGIN = "/".join(ROUNDTABLE_MAP_TILES.split("/")[:3]) if ROUNDTABLE_MAP_TILES else ""

# Every script and style comes from our own static files: no inline code, no CDNs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Community Map: contact terms are flagged this many days before they end. (How long
# without contact makes a relationship "to renew" is each agency's own setting.)
ROUNDTABLE_TERM_WARNING_DAYS = env_int("ROUNDTABLE_TERM_WARNING_DAYS", 30)

# Public figures: a cell (a topic, an area) counting fewer inputs than this is
# not shown, so nobody can be picked out of a small group.
ROUNDTABLE_SMALL_CELL = env_int("ROUNDTABLE_SMALL_CELL", 5)
# The public input form (and POST /api/v1/inputs): submissions per client per
# hour, counted under a keyed hash in the cache (see core/ratelimit.py).
ROUNDTABLE_PUBLIC_INPUT_LIMIT = env_int("ROUNDTABLE_PUBLIC_INPUT_LIMIT", 10)
ROUNDTABLE_PUBLIC_INPUT_WINDOW = env_int("ROUNDTABLE_PUBLIC_INPUT_WINDOW", 3600)
# The pairwise survey (priorities/views_public_ranking.py): votes per client per
# window, counted under a keyed hash in the cache like the input form; and how many
# decided votes an area needs before it gets results of its own.
ROUNDTABLE_RANKING_VOTE_LIMIT = env_int("ROUNDTABLE_RANKING_VOTE_LIMIT", 200)
ROUNDTABLE_RANKING_VOTE_WINDOW = env_int("ROUNDTABLE_RANKING_VOTE_WINDOW", 3600)
ROUNDTABLE_RANKING_MIN_AREA_VOTES = env_int("ROUNDTABLE_RANKING_MIN_AREA_VOTES", 30)
# Incident data (roundtable/incidents). Hot spots: the H3 resolution of the grid
# (9: cells of about 0.1 km²), the k-ring of each cell's neighbourhood and the
# permutations behind each pseudo p-value. The public map uses its own, coarser
# resolution so that no cell narrows down to a house.
ROUNDTABLE_HOTSPOT_RESOLUTION = env_int("ROUNDTABLE_HOTSPOT_RESOLUTION", 9)
ROUNDTABLE_HOTSPOT_PUBLIC_RESOLUTION = env_int("ROUNDTABLE_HOTSPOT_PUBLIC_RESOLUTION", 8)
ROUNDTABLE_HOTSPOT_K = env_int("ROUNDTABLE_HOTSPOT_K", 1)
# 9,999 rather than the usual 999: a pseudo p-value cannot go below 2/(N+1), and
# after the false-discovery-rate correction over a city's thousand-odd cells
# 999 draws leave almost nothing able to reach 95 % (docs/decisions/0004).
ROUNDTABLE_HOTSPOT_PERMUTATIONS = env_int("ROUNDTABLE_HOTSPOT_PERMUTATIONS", 9999)
# Kernel density: bandwidth (search radius) and grid cell, in metres.
ROUNDTABLE_DENSITY_BANDWIDTH_M = env_int("ROUNDTABLE_DENSITY_BANDWIDTH_M", 400)
ROUNDTABLE_DENSITY_CELL_M = env_int("ROUNDTABLE_DENSITY_CELL_M", 100)
# Uploaded incident files larger than this are refused (the command has no limit).
ROUNDTABLE_INCIDENT_UPLOAD_MAX_MB = env_int("ROUNDTABLE_INCIDENT_UPLOAD_MAX_MB", 200)
# Opinion conversations (roundtable/opinions). The map is recomputed in the
# background this many seconds after the first vote it has not seen (votes in
# between ride along: the debounce); votes and statements per client per window
# on the public pages, counted like the input form's.
ROUNDTABLE_OPINION_ANALYSIS_DELAY = env_int("ROUNDTABLE_OPINION_ANALYSIS_DELAY", 5)
ROUNDTABLE_OPINION_VOTE_LIMIT = env_int("ROUNDTABLE_OPINION_VOTE_LIMIT", 600)
ROUNDTABLE_OPINION_VOTE_WINDOW = env_int("ROUNDTABLE_OPINION_VOTE_WINDOW", 3600)
ROUNDTABLE_OPINION_STATEMENT_LIMIT = env_int("ROUNDTABLE_OPINION_STATEMENT_LIMIT", 20)
ROUNDTABLE_OPINION_STATEMENT_WINDOW = env_int("ROUNDTABLE_OPINION_STATEMENT_WINDOW", 3600)
# Surveys (roundtable/surveys). A weighted estimate is shown only when its
# effective sample size (Kish) reaches the first; a count under the second is
# never shown. Answers per client per window on the open links, counted like the
# input form's.
ROUNDTABLE_SURVEY_MIN_EFFECTIVE_N = env_int("ROUNDTABLE_SURVEY_MIN_EFFECTIVE_N", 30)
ROUNDTABLE_SURVEY_MIN_COUNT = env_int("ROUNDTABLE_SURVEY_MIN_COUNT", 10)
ROUNDTABLE_SURVEY_RESPONSE_LIMIT = env_int("ROUNDTABLE_SURVEY_RESPONSE_LIMIT", 20)
ROUNDTABLE_SURVEY_RESPONSE_WINDOW = env_int("ROUNDTABLE_SURVEY_RESPONSE_WINDOW", 3600)
# CompStat360 measures, the public dashboard and open data (roundtable/measures,
# dashboard, opendata; disclosure control in roundtable/disclosure). The public
# dashboard can be framed by these origins only (the agency's own site, e.g.
# "https://police.example.gov"); with none, it cannot be framed at all.
ROUNDTABLE_EMBED_ORIGINS = env_list("ROUNDTABLE_EMBED_ORIGINS", [])
# The public dashboard and the open data files are assembled at most once per
# agency and language in this many seconds (from the cache in between): the
# dashboard is the page most read under load, and its figures change slowly.
ROUNDTABLE_DASHBOARD_CACHE_SECONDS = env_int("ROUNDTABLE_DASHBOARD_CACHE_SECONDS", 300)
# The licence open data are published under: its name and where to read it.
ROUNDTABLE_OPEN_DATA_LICENCE = env_str("ROUNDTABLE_OPEN_DATA_LICENCE", "CC BY 4.0")
ROUNDTABLE_OPEN_DATA_LICENCE_URL = env_str(
    "ROUNDTABLE_OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
# Partner data: largest CSV file accepted, in megabytes.
ROUNDTABLE_MEASURE_UPLOAD_MAX_MB = env_int("ROUNDTABLE_MEASURE_UPLOAD_MAX_MB", 5)
# Text messages to contributors go through this backend (see inputs/sms.py):
# "console" prints them, "locmem" keeps them for tests, "twilio" sends them.
ROUNDTABLE_SMS_BACKEND = env_str("ROUNDTABLE_SMS_BACKEND", "console")
ROUNDTABLE_TWILIO_ACCOUNT_SID = env_str("ROUNDTABLE_TWILIO_ACCOUNT_SID", "")
ROUNDTABLE_TWILIO_AUTH_TOKEN = env_str("ROUNDTABLE_TWILIO_AUTH_TOKEN", "")
ROUNDTABLE_TWILIO_FROM = env_str("ROUNDTABLE_TWILIO_FROM", "")
# Inbound email through Mailgun's routes: the webhook signing key.
ROUNDTABLE_MAILGUN_SIGNING_KEY = env_str("ROUNDTABLE_MAILGUN_SIGNING_KEY", "")
# Phone numbers typed without a country code are read as numbers of this region.
ROUNDTABLE_PHONE_REGION = env_str("ROUNDTABLE_PHONE_REGION", "US")
# Registrants' names, emails, phone numbers and needs are erased this many days
# after their event ends (`roundtable event_registrations_erase`, run daily).
ROUNDTABLE_REGISTRATION_KEEP_DAYS = env_int("ROUNDTABLE_REGISTRATION_KEEP_DAYS", 30)
# The address people see in links sent by email or SMS (no request to read it from).
ROUNDTABLE_PUBLIC_URL = env_str("ROUNDTABLE_PUBLIC_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ROUNDTABLE_LOG_LEVEL", "INFO")},
    # The dev server logs request lines with client addresses; keep them out of
    # production logs so nothing ties a person to a request.
    "loggers": {
        "django.server": {"level": "WARNING" if PRODUCTION else "INFO"},
        # A line per task started and finished drowns everything else.
        "django_tasks": {"level": env_str("ROUNDTABLE_TASK_LOG_LEVEL", "WARNING")},
    },
}
