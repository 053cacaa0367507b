"""Settings, read from the environment with safe defaults and grouped by concern."""

import os
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from chunfeng.config import machines

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("CHUNFENG_DATA_DIR", PROJECT_DIR / "data"))

# --- security ---------------------------------------------------------------
DEBUG = os.environ.get("CHUNFENG_DEBUG", "0") == "1"


def _secret_key() -> str:
    """CHUNFENG_SECRET_KEY, else a random key made once and kept in the data folder (mode 600),
    so that no installation runs with a key published in the code."""
    if os.environ.get("CHUNFENG_SECRET_KEY"):
        return os.environ["CHUNFENG_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key


SECRET_KEY = _secret_key()
# "production" (a deployment behind HTTPS) or "development" (./dev run, the tests)
ENVIRONMENT = os.environ.get("CHUNFENG_ENV", "development")
if ENVIRONMENT not in ("production", "development"):
    raise ImproperlyConfigured(
        f"CHUNFENG_ENV 只能是 production 或 development，不能是 {ENVIRONMENT}"
    )
PRODUCTION = ENVIRONMENT == "production"
if PRODUCTION and not os.environ.get("CHUNFENG_ALLOWED_HOSTS"):
    raise ImproperlyConfigured(
        "生产模式（CHUNFENG_ENV=production）须设置 CHUNFENG_ALLOWED_HOSTS（服务的域名，逗号分隔）"
    )
# The key of the full personal numbers sealed in the history (chunfeng.core.sealed): a Fernet key
# or a passphrase, kept outside the database; unset, a key made once in data/audit_key (mode 600).
CHUNFENG_AUDIT_KEY = os.environ.get("CHUNFENG_AUDIT_KEY", "")
ALLOWED_HOSTS = os.environ.get("CHUNFENG_ALLOWED_HOSTS", "*").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CHUNFENG_CSRF_ORIGINS", "").split(",") if o]

# --- applications -------------------------------------------------------------
INSTALLED_APPS = [
    "axes",  # sign-in throttling and lockout; before our apps, so that its handlers run first
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "ninja",  # the API docs' own static files, instead of a CDN
    "django_tasks",  # Django's tasks API (backport of django.tasks)
    "django_tasks_db",  # its database queue, run by `chunfeng worker`
    # Chunfeng's apps in the order of their layers (ARCHITECTURE.md), lowest first
    "chunfeng.core",
    "chunfeng.jobs",
    "chunfeng.orgunits",
    "chunfeng.accounts",
    "chunfeng.formdefs",
    "chunfeng.campaigns",
    "chunfeng.reports",
    "chunfeng.rollups",
    "chunfeng.register",
    "chunfeng.applications",
    "chunfeng.funds",
    "chunfeng.cases",
    "chunfeng.reconcile",
    "chunfeng.sheets",
    "chunfeng.dashboards",
    "chunfeng.demo",
    "chunfeng.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # under /api/v1/ every error answer is JSON, also those no endpoint made (404, 405, 413, 500)
    "chunfeng.api.middleware.JsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chunfeng.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # before the CSRF check, which reads the body: a body above its route's limit is refused unread
    "chunfeng.core.uploads.BodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # after the CSRF check has parsed a form: a NUL character anywhere is a 400, not a 500
    "chunfeng.core.uploads.NulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chunfeng.accounts.middleware.PasswordChangeRequiredMiddleware",
    "chunfeng.core.web.ApplicationErrorMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: answers a locked-out login
]

ROOT_URLCONF = "chunfeng.config.urls"
WSGI_APPLICATION = "chunfeng.config.wsgi.application"

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
                "chunfeng.core.context.rules",
            ],
        },
    },
]

# --- database: DATABASE_URL, else an SQLite file in DATA_DIR ------------------
_default_sqlite = f"sqlite:///{DATA_DIR / 'chunfeng.sqlite3'}"
DATABASES = {"default": machines.database(os.environ.get("DATABASE_URL") or _default_sqlite)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not Django's shared in-memory database, so that the browser tests' live server
    # threads each open their own connection.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"chunfeng-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked account or address before checking
    "django.contrib.auth.backends.ModelBackend",
]
# Every password set anywhere (web, command line) goes through these, in Chinese
# (accounts.services.password_problems). Django's own minimum-length message has no Chinese
# translation in Django 5.2, hence our subclass.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {
        "NAME": "chunfeng.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if os.environ.get("CHUNFENG_FAST_HASHER") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- sign-in protection (django-axes, configured by chunfeng.accounts.lockout) --------------
# An account (a user name, whether or not a user has it) is locked after this many failed
# logins within the lock period; a client address only after many more, since a whole district
# office may sit behind one address. A lock lasts until the failures are older than the period.
CHUNFENG_LOGIN_FAILURES_PER_ACCOUNT = int(
    os.environ.get("CHUNFENG_LOGIN_FAILURES_PER_ACCOUNT", "5")
)
CHUNFENG_LOGIN_FAILURES_PER_ADDRESS = int(
    os.environ.get("CHUNFENG_LOGIN_FAILURES_PER_ADDRESS", "100")
)
CHUNFENG_LOGIN_LOCK_MINUTES = int(os.environ.get("CHUNFENG_LOGIN_LOCK_MINUTES", "30"))
# Behind a reverse proxy: the header it puts the client's address in (e.g. X-Forwarded-For or
# X-Real-IP) and how many proxies append to it; unset, the connection's address counts.
CHUNFENG_PROXY_HEADER = os.environ.get("CHUNFENG_PROXY_HEADER", "")
CHUNFENG_PROXY_COUNT = int(os.environ.get("CHUNFENG_PROXY_COUNT", "1"))
AXES_HANDLER = "chunfeng.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "chunfeng.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "chunfeng.accounts.lockout.lock_period"
AXES_CLIENT_IP_CALLABLE = "chunfeng.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "chunfeng.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = False  # the handler forgets the account's own failures, not the address's
AXES_DISABLE_ACCESS_LOG = True  # logins are in the history (AuditEvent) instead
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# --- API tokens ------------------------------------------------------------------------
CHUNFENG_TOKEN_DAYS = int(os.environ.get("CHUNFENG_TOKEN_DAYS", "180"))  # lifetime of a new token

# --- language and time ----------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static files ------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("CHUNFENG_STATIC_ROOT", DATA_DIR / "static"))
# the local storage's folder: a folder every server mounts (NFS) where several share the files
MEDIA_ROOT = Path(os.environ.get("CHUNFENG_MEDIA_ROOT", DATA_DIR / "media"))
# Uploaded and generated files through Django's storage API: CHUNFENG_STORAGE=local (MEDIA_ROOT)
# or s3 (any S3-compatible service, django-storages); see chunfeng/config/machines.py
_default_storage = machines.default_storage()
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- request bodies and uploads -----------------------------------------------------
# chunfeng.core.uploads refuses a body above its route's limit before it is read: 2 MB for any
# route that takes no file; report templates 10 MB, household lists 100 MB, documents 20 MB,
# unit and payment lists 5 MB. Django's own limits agree with it:
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # a body read whole (form fields, JSON): 2 MB
# an uploaded file up to this stays in memory, a larger one streams to the temporary directory
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# the largest form page (附件2, 87 blanks with their explanations and header) posts ~200 fields
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 5  # every upload page takes one file

# --- forms -------------------------------------------------------------------------
# Folders of extra form definitions (*.yaml, see docs/forms.md), separated like PATH
# (os.pathsep), loaded besides the built-in ones so that next year's form needs no code.
CHUNFENG_FORM_DIRS = [
    Path(p.strip()) for p in os.environ.get("CHUNFENG_FORM_DIRS", "").split(os.pathsep) if p.strip()
]

# --- e-mail ------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "CHUNFENG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("CHUNFENG_FROM_EMAIL", "chunfeng@localhost")

# --- background work ----------------------------------------------------------------
# Jobs (``chunfeng.jobs``) are django-tasks tasks kept in the database until a
# `chunfeng worker` takes them (`chunfeng serve` starts one).
# CHUNFENG_TASKS=rq keeps the queue in Redis instead (CHUNFENG_REDIS_URL), and with a Redis
# URL sessions are cached there too (written through to the database): machines.py
CHUNFENG_TASKS = os.environ.get("CHUNFENG_TASKS", "database")
CHUNFENG_REDIS_URL = os.environ.get("CHUNFENG_REDIS_URL", "")
TASKS = machines.tasks(CHUNFENG_TASKS, CHUNFENG_REDIS_URL)
if CHUNFENG_TASKS == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": CHUNFENG_REDIS_URL, "DEFAULT_TIMEOUT": 24 * 3600}}
if CHUNFENG_REDIS_URL:
    CACHES = machines.redis_cache(CHUNFENG_REDIS_URL)
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# days the file of a finished job (an export) is kept for its download
CHUNFENG_JOB_FILE_DAYS = int(os.environ.get("CHUNFENG_JOB_FILE_DAYS", "7"))
# Exports larger than this many units (汇总 tables, the xlsx and PDF of a 汇总) are made by a
# worker and downloaded when done, instead of inside the request.
CHUNFENG_EXPORT_IN_REQUEST_UNITS = int(os.environ.get("CHUNFENG_EXPORT_IN_REQUEST_UNITS", "200"))
# The register list's export of more households than this is made by a worker too.
CHUNFENG_EXPORT_IN_REQUEST_ROWS = int(os.environ.get("CHUNFENG_EXPORT_IN_REQUEST_ROWS", "10000"))
# A bank result file of more rows than this is applied to its batch by a worker.
CHUNFENG_BANK_ROWS_IN_REQUEST = int(os.environ.get("CHUNFENG_BANK_ROWS_IN_REQUEST", "2000"))
CHUNFENG_JOB_HEARTBEAT_EVERY = 5  # seconds between a running job's signs of life
# a running job without a sign of life for this long is marked failed (its worker is gone)
CHUNFENG_JOB_HEARTBEAT_TIMEOUT = int(os.environ.get("CHUNFENG_JOB_HEARTBEAT_TIMEOUT", "300"))
# automatic 催报: this many days before a campaign's deadline, once a day
CHUNFENG_REMIND_DAYS_BEFORE = int(os.environ.get("CHUNFENG_REMIND_DAYS_BEFORE", "3"))

# --- personal information (PIPL) ----------------------------------------------------
# Days the history and the files of households out of hardship are kept at least: the history
# is never deleted (append-only), and a household escaped longer ago than this may be
# anonymised (`chunfeng anonymise-households`). A system check refuses less than 183 days.
CHUNFENG_RETENTION_DAYS = int(os.environ.get("CHUNFENG_RETENTION_DAYS", "1095"))

# --- text messages (短信): a backend in the manner of Django's e-mail backends ----------
# console (printed), file (a folder), locmem (tests), http (a gateway), or a dotted path
CHUNFENG_SMS_BACKEND = os.environ.get("CHUNFENG_SMS_BACKEND", "console")
CHUNFENG_SMS_FILE_PATH = os.environ.get("CHUNFENG_SMS_FILE_PATH", "")
CHUNFENG_SMS_GATEWAY_URL = os.environ.get("CHUNFENG_SMS_GATEWAY_URL", "")
CHUNFENG_SMS_GATEWAY_TOKEN = os.environ.get("CHUNFENG_SMS_GATEWAY_TOKEN", "")
CHUNFENG_SMS_GATEWAY_USER = os.environ.get("CHUNFENG_SMS_GATEWAY_USER", "")
CHUNFENG_SMS_GATEWAY_PASSWORD = os.environ.get("CHUNFENG_SMS_GATEWAY_PASSWORD", "")
CHUNFENG_SMS_GATEWAY_TIMEOUT = float(os.environ.get("CHUNFENG_SMS_GATEWAY_TIMEOUT", "10"))
CHUNFENG_SMS_SIGN = os.environ.get("CHUNFENG_SMS_SIGN", "")
# the operator's template ids: "case_received=SMS_1001,case_closed=SMS_1002,…"
CHUNFENG_SMS_TEMPLATES = dict(
    pair.split("=", 1)
    for pair in os.environ.get("CHUNFENG_SMS_TEMPLATES", "").split(",")
    if "=" in pair
)

# --- 12351 cases ---------------------------------------------------------------------
CHUNFENG_CASE_ACK_WORKDAYS = int(os.environ.get("CHUNFENG_CASE_ACK_WORKDAYS", "1"))
CHUNFENG_CASE_LIMITS = {  # working days per difficulty; TimeLimit rows override them
    "general": int(os.environ.get("CHUNFENG_CASE_LIMIT_GENERAL", "3")),
    "hard": int(os.environ.get("CHUNFENG_CASE_LIMIT_HARD", "10")),
    "complex": int(os.environ.get("CHUNFENG_CASE_LIMIT_COMPLEX", "30")),
}
# the reminder goes out when this many working days are left (or fewer)
CHUNFENG_CASE_REMIND_WORKDAYS = int(os.environ.get("CHUNFENG_CASE_REMIND_WORKDAYS", "1"))
# the union that takes workers' online requests (code); empty: the union at the top
CHUNFENG_HOTLINE_UNIT = os.environ.get("CHUNFENG_HOTLINE_UNIT", "")
# the workers' public page: requests and status checks per address and hour
CHUNFENG_PUBLIC_SUBMITS_PER_HOUR = int(os.environ.get("CHUNFENG_PUBLIC_SUBMITS_PER_HOUR", "5"))
CHUNFENG_PUBLIC_CHECKS_PER_HOUR = int(os.environ.get("CHUNFENG_PUBLIC_CHECKS_PER_HOUR", "20"))
# behind a proxy: the header holding the client's address (e.g. X-Forwarded-For)
CHUNFENG_CLIENT_IP_HEADER = os.environ.get(
    "CHUNFENG_CLIENT_IP_HEADER", os.environ.get("CHUNFENG_PROXY_HEADER", "")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CHUNFENG_LOG_LEVEL", "WARNING")},
}

# --- browser security: a strict Content-Security-Policy everywhere (no inline script or style:
# behaviour lives in static/chunfeng/app.js), and HTTPS-only cookies and HSTS in production ----
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("CHUNFENG_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # behind a reverse proxy that terminates HTTPS: the header it sets, e.g. X-Forwarded-Proto
    _proxy_header = os.environ.get("CHUNFENG_PROXY_SSL_HEADER", "X-Forwarded-Proto")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
    SECURE_SSL_REDIRECT = os.environ.get("CHUNFENG_SSL_REDIRECT", "1") == "1"
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers ask each server over plain HTTP
