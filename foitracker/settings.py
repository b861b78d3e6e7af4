"""Settings for FOI Tracker, read from the environment (12-factor).

Every value has a default that runs on one laptop with no servers: SQLite under
``var/``, the Celery broker on the filesystem, mail written to the console.
Production sets ``DJANGO_ENV=production`` and the variables in README.md.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production")
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["*"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "axes",
    "requests_app",
    "responses_app",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "foitracker.middleware.ContentSecurityPolicyMiddleware",
    # A body over the limit sent to /api/ is a 413 before anything reads it.
    "foitracker.middleware.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # In the admin, a NUL in a query string or a form field is a 400 naming it (PostgreSQL
    # refuses NUL, and the admin queries by what it is sent before its forms check it).
    "foitracker.middleware.AdminUnstorableTextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: answers a locked-out login with 429.
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one
# username from one address, that pair is locked out for AXES_COOLOFF_MINUTES.
# `manage.py axes_reset` (or axes_reset_username NAME) lifts a lockout early.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind the reverse proxy (docs/deployment.md), which sets X-Real-IP, the client's
# address is that header's; elsewhere the connection's.
TRUST_X_REAL_IP = env.bool("TRUST_X_REAL_IP", default=PRODUCTION)
AXES_CLIENT_IP_CALLABLE = "foitracker.middleware.client_ip"

# Content Security Policy (foitracker/middleware.py): scripts and styles only from
# our own static files, no inline script, no plugins, never in a frame.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Under /api/ only, inline *styles* are allowed: the Swagger UI page (/api/docs/) and
# DRF's browsable API carry a <style> block and style attributes. Scripts stay 'self'
# there too: the docs' script is a file (SpectacularSwaggerSplitView), never inline.
CONTENT_SECURITY_POLICY_PATHS = {"/api/": {"style-src": "'self' 'unsafe-inline'"}}

ROOT_URLCONF = "foitracker.urls"
WSGI_APPLICATION = "foitracker.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'foitracker.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make demo` runs the web server, a worker and beat on one SQLite file: each
    # transaction takes the write lock when it begins (so two never deadlock upgrading
    # a read lock), writers wait for each other up to 20 s rather than fail with
    # "database is locked", and readers do not wait for writers (WAL).
    _sqlite = DATABASES["default"].setdefault("OPTIONS", {})
    _sqlite.setdefault("timeout", 20)
    _sqlite.setdefault("transaction_mode", "IMMEDIATE")
    _sqlite.setdefault("init_command", "PRAGMA journal_mode=WAL;")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"
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

# Mail: console in development, SMTP (EMAIL_URL=smtp://user:pass@host:port) in production.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="FOI Research <foi@foitracker.example>")
# Reply addresses: each request gets foi+<token>@REPLY_DOMAIN (plus addressing) or
# <token>@<REPLY_DOMAIN> (subdomain style); see requests_app/services/addresses.py.
REPLY_ADDRESS_STYLE = env.str("REPLY_ADDRESS_STYLE", default="plus")
REPLY_MAILBOX = env.str("REPLY_MAILBOX", default="foi")
REPLY_DOMAIN = env.str("REPLY_DOMAIN", default="foitracker.example")
SEND_RATE_PER_MINUTE = env.int("SEND_RATE_PER_MINUTE", default=30)
# A request email claimed longer ago than this by a run that never finished "needs
# attention" and is not re-sent automatically (see requests_app/services/sending.py).
SEND_STALE_AFTER_MINUTES = env.int("SEND_STALE_AFTER_MINUTES", default=15)

# The statutory clock (docs/clock.md). Defaults follow the Act and the ICO.
FOI_ARRIVAL_DAY_IS_DAY_ZERO = env.bool("FOI_ARRIVAL_DAY_IS_DAY_ZERO", default=True)
FOI_POST_RECEIPT_WORKING_DAYS = env.int("FOI_POST_RECEIPT_WORKING_DAYS", default=2)

# Chaser stages: (stage, working days after the response due date).
CHASER_STAGES = [(1, 1), (2, 10), (3, 20)]

# Celery. The embedded default uses kombu's filesystem transport under var/ so
# `make demo` needs no broker; production sets CELERY_BROKER_URL=redis://...
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        # Where kombu keeps its exchange tables (by default ./control, wherever it starts).
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
else:
    # Tasks are acknowledged when they end (acks late); one whose whole worker died
    # goes back on the Redis queue after this many seconds, for another worker. A task
    # still running by then is delivered twice, which the outbox and the readings
    # survive (README, Operations); keep it above the usual task's length.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
# Periodic tasks live in the database (django-celery-beat, editable in the admin):
# requests_app migration 0004 registers chase-sweep (07:00 Europe/London, Mon-Fri),
# daily-digest, refresh-states and outbox-flush. Entries here would be copied over
# the database at every start of beat, undoing admin edits, so there are none.
CELERY_BEAT_SCHEDULE: dict = {}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON errors for every bad body: too large (413), nested too deeply, not JSON (400).
    "DEFAULT_PARSER_CLASSES": [
        "foitracker.api_errors.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "foitracker.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "FOI Tracker API",
    "DESCRIPTION": "Campaigns of Freedom of Information requests, their clocks and replies.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for a choice set used by several fields (stored and live status).
    "ENUM_NAME_OVERRIDES": {"RequestStatusEnum": "requests_app.api.serializers.STATUS_VALUES"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# The health check (/healthz, foitracker/health.py): seconds to wait for the broker.
HEALTH_BROKER_TIMEOUT_SECONDS = env.float("HEALTH_BROKER_TIMEOUT_SECONDS", default=2.0)

# Personal data: reply files and raw emails of a campaign closed more than this many days
# ago are removed by `manage.py purge_personal_data` (figures and their locators stay).
RETENTION_DAYS_AFTER_CLOSE = env.int("RETENTION_DAYS_AFTER_CLOSE", default=365)

# Documents: the largest file accepted (bytes).
MAX_DOCUMENT_BYTES = env.int("MAX_DOCUMENT_BYTES", default=25 * 1024 * 1024)
# Hostile-file limits for reading replies (responses_app/services/reading.py): bytes a
# zip container (xlsx, docx, ods) may unpack to, sheets, rows, PDF pages, and seconds
# per document in the worker (a file that takes longer ends as a clear failure).
READ_MAX_UNPACKED_BYTES = env.int("READ_MAX_UNPACKED_BYTES", default=300 * 1024 * 1024)
READ_MAX_SHEETS = env.int("READ_MAX_SHEETS", default=100)
READ_MAX_ROWS = env.int("READ_MAX_ROWS", default=1_000_000)
READ_MAX_PAGES = env.int("READ_MAX_PAGES", default=500)
READ_TIME_LIMIT_SECONDS = env.float("READ_TIME_LIMIT_SECONDS", default=120)

# Inbound mail (responses_app/services/mailboxes.py): an IMAP mailbox,
# imap://user:password@host:143/INBOX or imaps://user:password@host:993/INBOX, and/or a
# local Maildir. Processed messages move to the *_PROCESSED_FOLDER (created if missing);
# an empty IMAP_PROCESSED_FOLDER flags them (\Seen and $FoiProcessed) instead.
IMAP_URL = env.str("IMAP_URL", default="")
IMAP_PROCESSED_FOLDER = env.str("IMAP_PROCESSED_FOLDER", default="Processed")
IMAP_TIMEOUT_SECONDS = env.int("IMAP_TIMEOUT_SECONDS", default=60)
MAILDIR_PATH = env.str("MAILDIR_PATH", default="")
MAILDIR_PROCESSED_FOLDER = env.str("MAILDIR_PROCESSED_FOLDER", default="Processed")
# The largest email kept whole (attachments included); a larger one waits in the holding
# pen with its headers only, and stays in the mailbox.
INBOUND_MAX_MESSAGE_BYTES = env.int("INBOUND_MAX_MESSAGE_BYTES", default=40 * 1024 * 1024)

# Validation of figures (responses_app/domain/validation): the active rules, like
# AUTH_PASSWORD_VALIDATORS. Remove an entry to switch a rule off.
VALIDATION_CHANGE_FACTOR = env.float("VALIDATION_CHANGE_FACTOR", default=3.0)
VALIDATION_CHANGE_MIN_COUNT = env.int("VALIDATION_CHANGE_MIN_COUNT", default=20)
_RULES = "responses_app.domain.validation"
VALIDATION_RULES = [
    f"{_RULES}.numbers.WholeNumberRule",
    f"{_RULES}.numbers.BreakdownSumRule",
    f"{_RULES}.numbers.SuppressedBoundsRule",
    f"{_RULES}.shape.PeriodRule",
    f"{_RULES}.shape.DuplicateRule",
    f"{_RULES}.shape.CategoryRule",
    f"{_RULES}.shape.AgeRule",  # limits come from each campaign's schema
    {
        "NAME": f"{_RULES}.history.ImplausibleChangeRule",
        "OPTIONS": {
            "factor": VALIDATION_CHANGE_FACTOR,
            "min_count": VALIDATION_CHANGE_MIN_COUNT,
        },
    },
    f"{_RULES}.history.RevisionRule",
]
