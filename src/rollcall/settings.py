"""Django settings for rollcall. Every value comes from the environment (see rollcall.env)."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from rollcall.env import (
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_networks,
    env_str,
    rollcall_home,
)
from rollcall_core.linkage.blocking import DEFAULT_WINDOW
from rollcall_core.linkage.clustering import DEFAULT_COHESION
from rollcall_core.linkage.neighbours import NEIGHBOUR_ROWS

BASE_DIR = Path(__file__).resolve().parent
HOME = rollcall_home()
HOME.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """A per-home secret, made once and kept, unless ROLLCALL_SECRET_KEY is given."""
    configured = env_str("ROLLCALL_SECRET_KEY", "")
    if configured:
        return configured
    path = HOME / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("ROLLCALL_DEBUG", False)
ALLOWED_HOSTS = [
    h for h in env_str("ROLLCALL_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("ROLLCALL_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "rollcall.registry",
    "rollcall.linkage",
    "rollcall.situation",
    "rollcall.estimation",
    "rollcall.web",
    "rollcall.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "rollcall.urls"
WSGI_APPLICATION = "rollcall.wsgi.application"

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
                "rollcall.web.context.roles",
            ],
        },
    }
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", ""), HOME)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("hy", _("Armenian")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True  # stored in UTC ...
TIME_ZONE = env_str("ROLLCALL_TIME_ZONE", "Asia/Yerevan")  # ... shown in the deployment's zone

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step on a fresh home

# Kept uploaded files, named by their sha256 so the same file is never stored twice.
DATASETS_DIR = HOME / "datasets"
MAX_UPLOAD_BYTES = env_int("ROLLCALL_MAX_UPLOAD_MB", 512) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("ROLLCALL_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Public forms: how many submissions one address may make per hour.
PUBLIC_SUBMISSIONS_PER_HOUR = env_int("ROLLCALL_PUBLIC_SUBMISSIONS_PER_HOUR", 20)
PUBLIC_SEARCHES_PER_MINUTE = env_int("ROLLCALL_PUBLIC_SEARCHES_PER_MINUTE", 60)
# Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For names the client, for the rate
# limits and the audit log (rollcall.web.ratelimit.client_ip). None by default: the header is ignored.
TRUSTED_PROXIES = env_networks("ROLLCALL_TRUSTED_PROXIES")
TRACING_DESK_CONTACT = env_str(
    "ROLLCALL_TRACING_DESK_CONTACT", "the tracing desk (tracing@example.org, +374 10 000000)"
)

# Linkage (issue 4): match probability at or above the upper threshold joins a person; between the
# thresholds the pair goes to the review queue. Lists up to this many rows are linked on arrival;
# larger ones by `rollcall link`. 0.4: the model's prior is estimated from the data, so its
# probabilities are near calibrated, and the F1-best threshold of a calibrated model is about half
# the F1 it reaches; measured best at 0.35-0.5 on the demo and on an independent scenario at 5,000
# to 20,000 people (docs/linkage.md, "Thresholds").
LINKAGE_UPPER_THRESHOLD = env_float("ROLLCALL_LINK_UPPER", 0.4)
LINKAGE_LOWER_THRESHOLD = env_float("ROLLCALL_LINK_LOWER", 0.15)
# Mean probability two clusters need between all their records to join (0 turns it off; docs/linkage.md).
LINKAGE_COHESION = env_float("ROLLCALL_LINK_COHESION", DEFAULT_COHESION)
# Within a block, each record is scored against at most this many neighbours on either side in
# birth-year order (the sorted neighbourhood; docs/linkage.md, "Scale"): what keeps a million records
# within minutes. Larger finds more pairs in large lists at the cost of time.
LINKAGE_BLOCK_WINDOW = env_int("ROLLCALL_LINK_BLOCK_WINDOW", DEFAULT_WINDOW)
# Rows either side of a record on its list that count as its neighbours: a pair whose neighbouring rows
# also match gains (households register and travel together; the weight is learned from the lists, see
# docs/linkage.md, "Neighbouring rows"), the more the nearer they are: in bands of 3, 12 and this many
# rows. 0 turns it off; 3 is one window of 3 rows.
LINKAGE_NEIGHBOUR_ROWS = env_int("ROLLCALL_LINK_NEIGHBOUR_ROWS", NEIGHBOUR_ROWS)
LINK_ON_ARRIVAL_MAX_ROWS = env_int("ROLLCALL_LINK_ON_ARRIVAL_MAX_ROWS", 5000)

CACHES = {
    "default": {
        # The rate limiter needs a cache shared by all gunicorn workers: the database.
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rollcall_cache",
    }
}

# Two queues, each with its own worker (`rollcall serve`): an LCMCR estimate can run for minutes,
# and an upload queued behind it would wait that long for its import.
TASK_QUEUES = ("default", "estimates")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(TASK_QUEUES)}}

EMAIL_BACKEND = env_str("ROLLCALL_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("ROLLCALL_FROM_EMAIL", "rollcall@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ROLLCALL_LOG_LEVEL", "WARNING")},
}
