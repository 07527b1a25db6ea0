"""Project settings, read from the environment.

Production is `DEBUG` off with `SECRET_KEY`, `ALLOWED_HOSTS` and `DATABASE_URL` set.
Development (`make run`) sets `DEBUG=1` and gets a local PostgreSQL from scripts/devdb.py.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "authors",
    "blog",
    "comments",
    "django_comments_xtd",
    "django_comments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "blog.context_processors.site",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use `make run` / `make test` (they start a local "
        "PostgreSQL), or point DATABASE_URL at your PostgreSQL."
    )
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("PostgreSQL is the only supported database.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files after `collectstatic`; with DEBUG on, files are served unhashed from the apps.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads larger than this are refused before they reach a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SITE_ID = 1

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Blog ---------------------------------------------------------------------
# How reader-facing dates are shown: the seed shows "04/08/2016" (day/month/year).
BLOG_DATE_FORMAT = os.environ.get("BLOG_DATE_FORMAT", "d/m/Y")
BLOG_ARTICLES_PER_PAGE = 10
# Largest author photo accepted, in bytes.
AUTHOR_PHOTO_MAX_BYTES = 2 * 1024 * 1024

# --- Comments (django-comments-xtd) --------------------------------------------
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = 2  # 0 is top level: three levels in all.
COMMENTS_XTD_CONFIRM_EMAIL = env_bool("COMMENTS_CONFIRM_EMAIL", False)
COMMENTS_XTD_SALT = SECRET_KEY.encode()
COMMENTS_XTD_THREADED_EMAILS = env_bool("COMMENTS_THREADED_EMAILS", True)
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "blog.article": {
        "who_can_post": "all",
        "allow_flagging": False,
        "allow_feedback": False,
        "show_feedback": False,
    }
}
COMMENTS_XTD_FORM_CLASS = "comments.forms.ArticleCommentForm"
COMMENTS_XTD_DEFAULT_FOLLOWUP = False
COMMENT_MAX_LENGTH = 3000
# Top-level threads per page of comments (a page never splits a thread).
COMMENTS_THREADS_PER_PAGE = int(os.environ.get("COMMENTS_THREADS_PER_PAGE", "20"))
# Hold a comment for review when its email has no earlier approved comment (as WordPress does).
COMMENTS_HOLD_FIRST_COMMENT = env_bool("COMMENTS_HOLD_FIRST_COMMENT", True)
# Hold a comment for review when it contains this many links or more.
COMMENTS_HOLD_LINK_COUNT = 2
# Flood control, shared by every worker through PostgreSQL: comments per client IP and per email.
COMMENTS_RATE_LIMIT = int(os.environ.get("COMMENTS_RATE_LIMIT", "5"))
COMMENTS_RATE_LIMIT_WINDOW = 60  # seconds
# How many reverse proxies stand in front of the app (and append to X-Forwarded-For). 0: trust none.
# Defaults to NUM_PROXIES, the site-wide setting of the security work, so one variable sets both.
COMMENTS_TRUSTED_PROXY_COUNT = int(os.environ.get("COMMENTS_TRUSTED_PROXY_COUNT", os.environ.get("NUM_PROXIES", "0")))
# A form sent sooner than this after it was shown is treated as a bot (the reader can send it again).
COMMENTS_MIN_SECONDS_TO_SUBMIT = int(os.environ.get("COMMENTS_MIN_SECONDS_TO_SUBMIT", "3"))
# The same text from the same email on the same article within this many seconds is one comment.
COMMENTS_DUPLICATE_WINDOW = 600
# Stored IP addresses are cleared after this many days (`manage.py clear_comment_ips`).
COMMENTS_IP_RETENTION_DAYS = int(os.environ.get("COMMENTS_IP_RETENTION_DAYS", "30"))
