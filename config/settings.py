"""Styrkort settings, read from the environment.

One settings file for every profile: development defaults are safe to run locally, and
production (DEBUG=false) refuses to start without a real SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")
_DEV_SECRET = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - refused in production below
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (comma list).")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "data"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "core",
    "audit",
    "accounts",
    "organisation",
    "scorecards",
    "followup",
    "assignments",
    "internalcontrol",
    "bench",
    "kolada",
    "reports",
    "firstrun",
    "demo",
    "yearreports",
    "economy",
    "rest_framework",
    "drf_spectacular",
    "api",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",  # first: every response and log line gets the id
    "core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.IgnoreBrowserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "core.context_processors.site",
                "accounts.context_processors.sign_in",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'styrkort.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the default database file lives here
    # WAL lets readers continue while one writer commits; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Django's backend, keeping the query planner's statistics up to date (see the module).
    DATABASES["default"]["ENGINE"] = "core.sqlite_engine"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 for new and changed passwords; older hashes are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out sign-ins before the others run
    "django.contrib.auth.backends.ModelBackend",
    "accounts.oidc.Backend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "todo"  # "Att göra"; people without a role are sent on to "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files kept by the app (the municipality's Word template, core/word_template.py),
# written through Django's default storage; back this folder up with the database.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# WhiteNoise serves the files collectstatic wrote: names with a content hash, cached for a year,
# gzip and Brotli copies made once (core/staticfiles.py: WhiteNoise's CompressedManifest storage
# with quicker Brotli). Every app server has its own copy (make serve collects).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.staticfiles.StaticFilesStorage"},
}

# Several app servers share one database and nothing else: sessions (Django's default) and the
# cache live in the database, jobs in the database queue. docs/deployment.md.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "styrkort_cache",  # made by manage.py createcachetable
    },
    # Chain roll-ups, per worker process: keyed by a version read from the database on every
    # request (followup.rollup), so nothing stale is served and a page view writes nothing.
    "rollups": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "styrkort-rollups",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    # The API lists' computed statuses per page (api.rows), the same way but apart, so that a
    # client paging through every metric does not push the scorecard pages' roll-ups out.
    "api-statuses": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "styrkort-api-statuses",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
# Background jobs (django-tasks): "database" runs them in manage.py run_worker from a table in
# this database; "immediate" runs them at once in the request (tests, a demo without a worker).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }.get(TASKS_BACKEND, TASKS_BACKEND),
        "QUEUES": ["default"],
    }
}
# A worker (manage.py run_worker) writes a heartbeat every 10 s; one silent for longer than this
# many seconds counts as down (/readyz, /metrics) and its running job is queued again.
WORKER_STALE_AFTER = int(os.environ.get("WORKER_STALE_AFTER", "60"))
# /metrics (Prometheus) answers a scraper that sends "Authorization: Bearer METRICS_TOKEN" or
# connects from one of METRICS_ALLOWED_IPS; with neither set it answers nobody (404).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = envlist("METRICS_ALLOWED_IPS", "")

# The municipality this instance serves: data, never hard-coded in templates or code.
# Defaults only: the first-run setup pages store their own values (core.site.site_settings).
MUNICIPALITY_NAME = os.environ.get("MUNICIPALITY_NAME", "Helsingborgs stad")
# kommun, stad or region; empty: the last word of the name decides ("Helsingborgs stad": stad).
MUNICIPALITY_DESIGNATION = os.environ.get("MUNICIPALITY_DESIGNATION", "")
MUNICIPALITY_KOLADA_ID = os.environ.get("MUNICIPALITY_KOLADA_ID", "1283")
KOLADA_BASE_URL = os.environ.get("KOLADA_BASE_URL", "https://api.kolada.se/v3/")
# Kolada's group of similar municipalities to compare with ("Liknande kommuner", Helsingborg's).
KOLADA_COMPARISON_GROUP = os.environ.get("KOLADA_COMPARISON_GROUP", "G37394")
# Kolada client: seconds per wait for an answer (an attempt gets 3x that in all) and retries.
KOLADA_TIMEOUT = float(os.environ.get("KOLADA_TIMEOUT", "20"))
KOLADA_RETRIES = int(os.environ.get("KOLADA_RETRIES", "4"))
# A running sync renews its heartbeat every few seconds; one silent this long died (kolada.runs).
KOLADA_SYNC_STALE_SECONDS = int(os.environ.get("KOLADA_SYNC_STALE_SECONDS", "180"))

# How goals are assessed: "three" (uppfyllt / delvis / ej uppfyllt), "percent" (bands of target
# fulfilment) or "trend" (arrows). See followup/scales.py. A default only: the scale chosen on
# /uppfoljning/bedomningsskala/ (core.site.site_settings) wins.
ASSESSMENT_SCALE = os.environ.get("ASSESSMENT_SCALE", "three")
ASSESSMENT_PERCENT_BANDS = (100, 91)  # ≥100 % uppfyllt, 91–99 % delvis, below ej uppfyllt

# Open data (/oppna-data/): the licence the published scorecards carry, as an SPDX id
# ("CC0-1.0" or "CC-BY-4.0"). Spreadsheet imports of values and targets accept files up to this size.
OPEN_DATA_LICENCE = os.environ.get("OPEN_DATA_LICENCE", "CC0-1.0")
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))

# The REST API (/api/v1/, the api app): JSON only, problem details for every error, systems sign
# in with API tokens, people with their session (CSRF enforced). Paging and filters are per view.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.problem_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Styrkort API",
    "DESCRIPTION": "Mål, mätetal, utfall, bedömningar och aktiviteter i balanserad styrning.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ScorecardStatusEnum": "scorecards.models.ScorecardStatus",
        "ResultStatusEnum": "api.schema.result_statuses",
        "AssessmentStatusEnum": "api.schema.assessment_choices",
        # Several models have a "state" or "status": each choice set gets its own name.
        "ActionStateEnum": "followup.models.ActionState",
        "ReportStateEnum": "yearreports.models.ReportState",
        "SectionStateEnum": "yearreports.models.SectionState",
        "AssignmentStatusEnum": "assignments.models.AssignmentStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problem_responses",
        "api.schema.describe_request_bodies",
    ],
}

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "styrkort@localhost")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
# For links in e-mails, e.g. https://styrkort.helsingborg.se
SITE_URL = os.environ.get("SITE_URL", "")

# Lockout after repeated failed password sign-ins (django-axes): per username and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind N reverse proxies the client is the N-th address from the right in X-Forwarded-For.
STYRKORT_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_VERBOSE = False

# Single sign-on with OpenID Connect (accounts/oidc.py); off unless a client id is set.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_DISCOVERY_URL = os.environ.get("OIDC_OP_DISCOVERY_URL", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = envbool("OIDC_USE_PKCE", "true")
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_ROLE_CLAIM = os.environ.get("OIDC_ROLE_CLAIM", "")
OIDC_ROLE_MAP = os.environ.get("OIDC_ROLE_MAP", "")
OIDC_LOGIN_LABEL = os.environ.get("OIDC_LOGIN_LABEL", "")

# Content-Security-Policy (django-csp): scripts only from this site, never inline. Style
# attributes stay allowed (perspective colours are set as style="--pcolour: …"); <style> elements
# and stylesheets only from this site where the browser knows style-src-elem.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "style-src-elem": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Uploads: Django keeps bigger files on disk; core/uploads.py checks type and size per form.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
CSRF_COOKIE_HTTPONLY = True  # the token reaches forms and HTMX through the page, not the cookie
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A load balancer probes the app servers directly over HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz(/worker)?$", r"^metrics$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The preload directive only lets the domain owner submit it; the header alone commits nothing.
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Logs go to stderr: JSON lines with the request id (core/logging.py) unless LOG_FORMAT=text,
# the default of the development profile.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.logging.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get("LOG_FORMAT", "text" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per request, written by core.middleware.RequestIdMiddleware (runserver
        # writes its own in development).
        "styrkort.request": {
            "level": os.environ.get("LOG_REQUESTS_LEVEL", "WARNING" if DEBUG else "INFO")
        },
    },
}
