"""Settings, read from the environment with safe defaults and grouped by concern."""

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url

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
# The key of the full personal numbers sealed in the history (chunfeng.core.sealed): a Fernet key
# or a passphrase, kept outside the database; unset, a key made once in data/audit_key (mode 600).
CHUNFENG_AUDIT_KEY = os.environ.get("CHUNFENG_AUDIT_KEY", "")
ALLOWED_HOSTS = os.environ.get("CHUNFENG_ALLOWED_HOSTS", "*").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CHUNFENG_CSRF_ORIGINS", "").split(",") if o]

# --- applications -------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
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
    "chunfeng.funds",
    "chunfeng.reconcile",
    "chunfeng.sheets",
    "chunfeng.dashboards",
    "chunfeng.demo",
    "chunfeng.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chunfeng.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chunfeng.core.web.ApplicationErrorMiddleware",
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
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_sqlite, conn_max_age=60
    )
}
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
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
if os.environ.get("CHUNFENG_FAST_HASHER") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

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
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CHUNFENG_JOB_HEARTBEAT_EVERY = 5  # seconds between a running job's signs of life
# a running job without a sign of life for this long is marked failed (its worker is gone)
CHUNFENG_JOB_HEARTBEAT_TIMEOUT = int(os.environ.get("CHUNFENG_JOB_HEARTBEAT_TIMEOUT", "300"))
# automatic 催报: this many days before a campaign's deadline, once a day
CHUNFENG_REMIND_DAYS_BEFORE = int(os.environ.get("CHUNFENG_REMIND_DAYS_BEFORE", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CHUNFENG_LOG_LEVEL", "WARNING")},
}
