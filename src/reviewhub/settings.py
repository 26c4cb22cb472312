"""Configure ReviewHub from the environment.

One settings module for every deployment: development, tests, CI and production differ only in
their environment variables (see README "Configuration"). Defaults are safe: DEBUG is off unless
``DEBUG=1``, and with DEBUG off the process refuses to start without a real SECRET_KEY.
"""

import os
import sys
from pathlib import Path

import dj_database_url

# Nothing in ReviewHub may download a model at run time; make any library that might try fail fast.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean flag: only "1", "true", "yes" or "on" count as true."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list, ignoring blanks."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = os.environ.get("DEBUG", "") == "1"
# Tests run over plain HTTP with fast hashing and in-process tasks; pytest sets this itself.
TESTING = env_bool("REVIEWHUB_TESTING") or "pytest" in sys.modules

# Where the embedded database, uploads and collected static files live.
DATA_DIR = Path(os.environ.get("REVIEWHUB_DATA_DIR", Path.cwd() / "var")).resolve()

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Why the key cannot be used, if it cannot. Not raised here, so that offline commands such as
# `reviewhub themes suggest` and `reviewhub pii check` work without one; the system check
# reviewhub.E001, `reviewhub serve` and the WSGI application refuse to start instead.
CONFIGURATION_REFUSAL = ""
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = _DEV_SECRET
    else:
        CONFIGURATION_REFUSAL = (
            "SECRET_KEY is not set. Set a long random SECRET_KEY in the environment "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))"), or DEBUG=1 for '
            "local development."
        )
elif not DEBUG and (
    SECRET_KEY == _DEV_SECRET
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    CONFIGURATION_REFUSAL = (
        "SECRET_KEY is too weak for DEBUG off: use at least 50 random characters."
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if (DEBUG or TESTING) else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "reviewhub.accounts",
    "reviewhub.audit",
    "reviewhub.calendar",
    "reviewhub.cases",
    "reviewhub.learning",
    "reviewhub.themes",
    "reviewhub.briefings",
    "reviewhub.actions",
    "reviewhub.documents",
    "reviewhub.search",
    "reviewhub.reports",
    "reviewhub.api",
    "reviewhub.ops",
]

MIDDLEWARE = [
    "reviewhub.audit.middleware.RequestIdMiddleware",
    "reviewhub.accounts.middleware.RejectNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "reviewhub.accounts.middleware.SessionTimeoutMiddleware",
    "reviewhub.accounts.middleware.ActivePartnershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "reviewhub.accounts.middleware.SecurityHeadersMiddleware",
    "reviewhub.audit.middleware.AuditFailClosedMiddleware",
    # After the audit context and security headers, so its redirects carry both (SECURITY.md).
    "reviewhub.accounts.otp_middleware.OTPRequiredMiddleware",
    # Last, so that it sees the authenticated user and can answer a locked-out login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reviewhub.urls"
WSGI_APPLICATION = "reviewhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reviewhub.navigation.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default. WAL lets readers run beside the single writer; synchronous=FULL
# makes every acknowledged commit durable across power loss (NORMAL can lose the latest commits);
# IMMEDIATE transactions take the write lock up front, avoiding "database is locked" upgrades.
SQLITE_PRAGMAS = "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "reviewhub.sqlite3")}
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db.setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": SQLITE_PRAGMAS}
    )
_db["ATOMIC_REQUESTS"] = False
if TESTING:
    # Persistent connections keep test databases open and block their teardown.
    _db["CONN_MAX_AGE"] = 0
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "reviewhub.accounts.validators.MaximumLengthValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock out a username only from the address that failed, so a stranger cannot lock a real user
# out (ASVS 6.1.1); the lock lifts after the cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-factor sign-in (django-otp): TOTP is required for every role that can see case records.
OTP_TOTP_ISSUER = "ReviewHub"
OTP_TOTP_THROTTLE_FACTOR = 1  # seconds; doubles after each consecutive wrong code
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_RECOVERY_CODE_COUNT = 10

# Sessions: idle and absolute timeouts are enforced by SessionTimeoutMiddleware (SECURITY.md).
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", str(10 * 60 * 60)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"

# --- Security headers and HTTPS (production defaults when DEBUG is off) -----------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not TESTING)
    SESSION_COOKIE_SECURE = not TESTING
    CSRF_COOKIE_SECURE = not TESTING
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if not TESTING:
        # The __Host- prefix pins the cookies to this host, HTTPS and path / (ASVS 3.3.1).
        SESSION_COOKIE_NAME = "__Host-reviewhub_session"
        CSRF_COOKIE_NAME = "__Host-reviewhub_csrf"
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

REVIEWHUB_MAX_UPLOAD_BYTES = int(
    os.environ.get("REVIEWHUB_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024))
)
NINJA_PAGINATION_MAX_LIMIT = 500
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or TESTING)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Background tasks ----------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# --- E-mail --------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "reviewhub@localhost")

# --- Logging: one line per event, with the request id; never request bodies ---------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "reviewhub.audit.logging.RequestIdFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "presidio-analyzer": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Product settings ----------------------------------------------------------------------------
REVIEWHUB = {
    # Where sources disagree (shared/reference/domain.md), the statutory reading is the default.
    "RAPID_REVIEW_CLOCK_START": os.environ.get("RAPID_REVIEW_CLOCK_START", "notification"),
    "NOTIFICATION_CLOCK_START": os.environ.get("NOTIFICATION_CLOCK_START", "awareness"),
    # "published" (Working Together: completed and published in 6 months) or "completed" (CPS).
    "LCSPR_CLOCK_STOP": os.environ.get("LCSPR_CLOCK_STOP", "published"),
    # Review methodologies offered when a review starts (empty: the built-in list).
    "REVIEW_METHODOLOGIES": env_list("REVIEW_METHODOLOGIES", []),
}

# Retention periods overriding the defaults in ops/retention.py (SECURITY.md "Retention schedule"):
# comma-separated name=number pairs, e.g. "library_document_years=3,api_token_days=30". Checked at
# start-up (`reviewhub check`) and by `reviewhub retention`: an unknown name or a bad number stops.
REVIEWHUB_RETENTION = {
    name.strip(): value.strip()
    for name, _, value in (item.partition("=") for item in env_list("REVIEWHUB_RETENTION", []))
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
