"""Project settings, read from the environment.

DJANGO_ENV picks the defaults. `manage.py` defaults to "development": DEBUG on, a development key, and without
DATABASE_URL the project-local PostgreSQL (config/local_db.py), started on demand. Everything else (gunicorn
through config/wsgi.py, pytest) defaults to "production": DEBUG off, and nothing is assumed: SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL must be set.
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


DJANGO_ENV = os.environ.get("DJANGO_ENV", "production")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}.")
DEVELOPMENT = DJANGO_ENV == "development"

DEBUG = env_bool("DEBUG", DEVELOPMENT)

# What production cannot start without, said all at once with what works (docs/deploy.md, "The first admin").
MISSING = [
    message
    for message, missing in [
        ("SECRET_KEY must be set when DEBUG is off.", not DEBUG and not os.environ.get("SECRET_KEY")),
        (
            "ALLOWED_HOSTS must be set when DEBUG is off (the site's host names, comma-separated).",
            not DEBUG and not env_list("ALLOWED_HOSTS"),
        ),
        (
            "DATABASE_URL must be set in production (DJANGO_ENV=production).",
            not DEVELOPMENT and not os.environ.get("DATABASE_URL"),
        ),
    ]
    if missing
]
if MISSING:
    raise ImproperlyConfigured(
        " ".join(MISSING) + " On a server, run manage.py with the environment gunicorn runs with, e.g. "
        "`set -a && . /etc/blog/env && set +a` first (docs/deploy.md); in a development checkout, plain "
        "`.venv/bin/python manage.py` needs no variables."
    )

SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-development-only-key-never-used-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The site's public address ("https://blog.example.com"): app servers write its host into the Site (admin › Sites)
# as they start (config/site_url.py), so canonical links, feeds, the sitemap and emails use it.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")

INSTALLED_APPS = [
    "config.apps.BlogAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "axes",
    "authors",
    "images",
    "blog",
    "pages",
    "comments",
    "staff",
    "config.apps.ThreadedCommentsConfig",
    "django_comments",
    # Staff two-factor sign-in (config/two_factor.py) and passkeys (config/passkeys.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    # Every saved version of an article, for the admin's History page.
    "simple_history",
    # django-tasks, the backport of Django 6's django.tasks: tasks queued in this PostgreSQL database, run by
    # `manage.py worker` with the periodic jobs (worker.periodic).
    "django_tasks",
    "django_tasks_db",
    "worker",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.redirects",
    # The WordPress import (reads a WXR export; depends on blog, authors and comments).
    "wordpress",
]

MIDDLEWARE = [
    # First: bodies over the limits are refused before anything reads them (config/body_limits.py).
    "config.body_limits.RequestBodyLimitMiddleware",
    # DEBUG only: absolute URLs (canonical, feeds) follow the request's host and port, not the Site's domain.
    "config.dev_site.RequestHostSiteMiddleware",
    # DEBUG off: public pages asked for on a public host are refused while the Site still holds a development
    # address (127.0.0.1:8000), which their links would carry (config/site_url.py).
    "config.site_url.SiteAddressCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A shared cache revalidating a stored public page gets its 304 here, before the session and the rest.
    "config.pagecache.RevalidationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An old address that answers 404 (a changed slug) gets its 301 from django.contrib.redirects' table: one
    # indexed lookup, only on a 404, by path with the query kept or dropped (blog/redirects.py); WordPress's
    # /?p=ID links are answered before the home page. Only to a path on this site, never from /.well-known/,
    # never naming an unpublished article (config/redirect_rules.py).
    "config.redirect_rules.SiteRedirectFallbackMiddleware",
    # Last, as django-axes requires: locks out repeated failed admin logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Passkeys: a second factor that also signs in without the password.
    "django_otp_webauthn.backends.WebAuthnBackend",
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
                "blog.context_processors.sections",
                "pages.context_processors.footer_pages",
            ],
        },
    },
    {
        # The comment list only (comments/thread.py), the site's longest template loop: Jinja2 renders it several
        # times faster than the Django template language (README, "Comments"). Both autoescape.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "config.jinja2.environment"},
    },
]

if not os.environ.get("DATABASE_URL"):
    from .local_db import local_database_url

    # Set in the environment, so that processes started from this one (runserver's reloader) use it too.
    os.environ["DATABASE_URL"] = local_database_url()
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
# Behind PgBouncer in transaction pooling mode, server-side cursors cannot work.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_TRANSACTION_POOLING")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("PostgreSQL is the only supported database.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Refuses nothing: records whether a new password is weak, for the server's start (staff.passwords).
    {"NAME": "staff.passwords.RecordPasswordStrength"},
]

LANGUAGE_CODE = "en-gb"
# The admin's one date format (config/formats/en_GB/formats.py); readers' is BLOG_DATE_FORMAT.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files served at the site root (favicon.ico), by whitenoise.
WHITENOISE_ROOT = BASE_DIR / "public"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files after `collectstatic`; with DEBUG on, files are served unhashed from the apps.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads go to S3-compatible object storage (django-storages) when a bucket is named, so that
# several app servers share them; otherwise to MEDIA_ROOT. Credentials: AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, read by boto3 itself.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
# With local media storage, the app serves uploads itself (or let a web server in front do it
# and set SERVE_MEDIA=0); with object storage, the bucket serves them.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not AWS_STORAGE_BUCKET_NAME)
# Where uploaded images are served from, for the Content-Security-Policy's img-src (and media-src: imported audio
# and video).
MEDIA_ORIGINS = env_list("MEDIA_ORIGINS")
if AWS_STORAGE_BUCKET_NAME and not MEDIA_ORIGINS:
    custom_domain = STORAGES["default"]["OPTIONS"]["custom_domain"]
    endpoint = STORAGES["default"]["OPTIONS"]["endpoint_url"]
    MEDIA_ORIGINS = [
        f"https://{custom_domain}"
        if custom_domain
        else endpoint or f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
    ]
# `make backup` writes here (database + media in one .tar.gz).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))
# Uploads larger than this are refused before they reach a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Any request body larger than this is answered 413 unread; the proxy in front has the same limit (deploy/nginx.conf).
MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024
# The comment form is url-encoded text: 3,000 characters (at most 36 kB encoded), the name, email, website and
# signed fields. Up to this size a too-long comment comes back as a form error with its text kept.
COMMENT_MAX_BODY_BYTES = 256 * 1024

SITE_ID = 1

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
# Mail is sent by the task worker (worker.mail), never in a request; a hung SMTP server still must not hold it.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# A mail refused for the moment is tried again after 1, 4, 16, 64 and 256 minutes (about 5.7 hours in all).
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "6"))
MAIL_RETRY_BASE_SECONDS = float(os.environ.get("MAIL_RETRY_BASE_SECONDS", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logging.JSONLineFormatter"},
    },
    # Structured JSON lines in production; plain lines when developing.
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line" if DEBUG else "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own handlers for its "django" logger are dropped, so that its records reach the root's handler
    # once (with DEBUG on, Django's console handler would print every line a second time).
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # The local development database's start and stop notes (config/local_db.py).
        "pgserver": {"level": "WARNING"},
    },
}

# --- Blog ---------------------------------------------------------------------
# How reader-facing dates are shown: the seed shows "04/08/2016" (day/month/year).
BLOG_DATE_FORMAT = os.environ.get("BLOG_DATE_FORMAT", "d/m/Y")
BLOG_ARTICLES_PER_PAGE = 10
# The static page the comment form's consent text and the comment emails link to (pages app).
PRIVACY_PAGE_SLUG = "privacy"
# Largest uploads accepted, in bytes: an author photo, an image in the library (the WordPress importer's too).
AUTHOR_PHOTO_MAX_BYTES = 2 * 1024 * 1024
IMAGE_LIBRARY_MAX_BYTES = 2 * 1024 * 1024
# Largest images accepted, in pixels (width × height), however small the file: an author photo, a library image.
AUTHOR_PHOTO_MAX_PIXELS = 25_000_000
IMAGE_LIBRARY_MAX_PIXELS = 25_000_000

# --- Comments (django-comments-xtd) --------------------------------------------
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = 2  # 0 is top level: three levels in all.
COMMENTS_XTD_CONFIRM_EMAIL = env_bool("COMMENTS_CONFIRM_EMAIL", False)
COMMENTS_XTD_DEFAULT_FOLLOWUP = False
COMMENT_MAX_LENGTH = 3000
# Top-level threads per page of comments (a page never splits a thread).
COMMENTS_THREADS_PER_PAGE = int(os.environ.get("COMMENTS_THREADS_PER_PAGE", "20"))
# Hold a comment for review when its email has no earlier approved comment (as WordPress does).
COMMENTS_HOLD_FIRST_COMMENT = env_bool("COMMENTS_HOLD_FIRST_COMMENT", True)
# Editors emailed when a comment is held for moderation (comma-separated addresses); empty: no email.
COMMENTS_HELD_NOTIFY_EMAILS = env_list("COMMENTS_HELD_NOTIFY_EMAILS")
# At most one mail to them in this many seconds: a digest of every comment held since the last one.
COMMENTS_HELD_DIGEST_SECONDS = int(os.environ.get("COMMENTS_HELD_DIGEST_SECONDS", "300"))
# Hold a comment for review when it contains this many links or more.
COMMENTS_HOLD_LINK_COUNT = 2
# Flood control, shared by every worker through PostgreSQL: comments per client IP and per email.
COMMENTS_RATE_LIMIT = int(os.environ.get("COMMENTS_RATE_LIMIT", "5"))
COMMENTS_RATE_LIMIT_WINDOW = 60  # seconds
# A form sent sooner than this after it was shown is treated as a bot (the reader can send it again).
COMMENTS_MIN_SECONDS_TO_SUBMIT = int(os.environ.get("COMMENTS_MIN_SECONDS_TO_SUBMIT", "3"))
# The same text from the same email on the same article within this many seconds is one comment.
COMMENTS_DUPLICATE_WINDOW = 600
# Stored IP addresses (comments, admin log-ins) and sent mails' records are deleted after this many days, daily
# by the task worker (worker.periodic).
COMMENTS_IP_RETENTION_DAYS = int(os.environ.get("COMMENTS_IP_RETENTION_DAYS", "30"))

# --- Security -------------------------------------------------------------------
# Production (DEBUG off) gets every HTTPS-only protection. A local plain-HTTP production-style
# server (`make serve`) relaxes them only through ALLOW_INSECURE_HTTP=1, which it sets itself.
ALLOW_INSECURE_HTTP = env_bool("ALLOW_INSECURE_HTTP")
HTTPS_ONLY = not DEBUG and not ALLOW_INSECURE_HTTP
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = 31536000 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
# Preloading is hard to undo (browsers ship the list for months): opt in with HSTS_PRELOAD=1 (docs/deploy.md).
SECURE_HSTS_PRELOAD = HTTPS_ONLY and env_bool("HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = [
    # check --deploy's nudge to preload is answered by that choice.
    "security.W021",
    # django-otp-webauthn's checks want OTP_WEBAUTHN_RP_ID and OTP_WEBAUTHN_ALLOWED_ORIGINS set; with them empty,
    # config.passkeys.PasskeyHelper answers from the request.
    "otp_webauthn.E010",
    "otp_webauthn.E030",
]
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# How many reverse proxies stand in front; only then is X-Forwarded-For believed (config/client_ip.py).
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
if NUM_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# X-Forwarded-Host is never believed: the proxy passes the Host header itself (deploy/nginx.conf), which
# ALLOWED_HOSTS checks; a forwarded host is whatever the client typed.
USE_X_FORWARDED_HOST = False

# No inline scripts anywhere; nothing loads from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "media-src": ["'self'", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        **({"upgrade-insecure-requests": True} if HTTPS_ONLY else {}),
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb",
    )
}  # fmt: skip

# Admin brute force: 5 failed logins per username and IP lock that pair out for a while (429). An IPv6 client
# counts as its /64 (config.client_ip.client_network).
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_network"
# Usernames as Django's log-in form reads them (stripped, NFKC): " editor" and "ｅditor" count as `editor`.
AXES_USERNAME_CALLABLE = "config.login_limits.axes_username"
AXES_VERBOSE = False
# Every failure is logged (for the wider locks in config/login_limits.py) and, like every successful log-in's
# address, forgotten after LOGIN_RECORDS_RETENTION_DAYS (`manage.py prune_security_records`).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
LOGIN_RECORDS_RETENTION_DAYS = int(os.environ.get("LOGIN_RECORDS_RETENTION_DAYS", COMMENTS_IP_RETENTION_DAYS))
# One username from any addresses: 20 failures in 24 hours lock it (a botnet's guesses) to all but a sign-in that
# passes the second factor too; one address (or IPv6 /64) on any usernames: 20 failures in an hour lock it.
LOGIN_USERNAME_FAILURE_LIMIT = 20
LOGIN_USERNAME_LOCK_HOURS = 24
LOGIN_ADDRESS_FAILURE_LIMIT = 20
LOGIN_ADDRESS_LOCK_HOURS = 1

# Staff two-factor sign-in (config/two_factor.py): required whenever DEBUG is off.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Blog admin")
# Passkeys (config/passkeys.py, django-otp-webauthn): a second factor that also signs in without the password.
OTP_WEBAUTHN_HELPER_CLASS = "config.passkeys.PasskeyHelper"
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
# Empty: the request's host name and origin (checked by ALLOWED_HOSTS), as config/passkeys.py says.
OTP_WEBAUTHN_RP_ID = os.environ.get("OTP_WEBAUTHN_RP_ID", "")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS")
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = True
# How long an enrolment link (`manage.py enrolment_link USERNAME`) works; it works once.
ENROLMENT_LINK_HOURS = int(os.environ.get("ENROLMENT_LINK_HOURS", "48"))

# --- Background tasks -------------------------------------------------------------
# Queued in this PostgreSQL database: no other service.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Performance -----------------------------------------------------------------
# Redis when REDIS_URL is set (shared by all gunicorn workers), else local memory (one per process).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "blog"),
            # An unreachable Redis costs a request at most a second before the page renders without it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "blog"}}
# Public pages are kept in the cache (config/pagecache.py). Invalidation must reach every worker,
# so it is on by default only with Redis; PAGE_CACHE=1 without Redis suits one process.
PAGE_CACHE = env_bool("PAGE_CACHE", bool(REDIS_URL))
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", str(24 * 60 * 60)))
# How long a shared cache in front (nginx, a CDN) may serve a public page before revalidating it (s-maxage).
PAGE_CACHE_SHARED_SECONDS = int(os.environ.get("PAGE_CACHE_SHARED_SECONDS", "1"))
# nginx's address as this server reaches it (deploy/nginx.conf), e.g. http://127.0.0.1:80, or several, comma-separated:
# nginx then keeps stored pages up to PAGE_CACHE_REFRESHED_SECONDS and the app refreshes each there when it changes
# (config/frontcache.py, which records pages in Redis: without REDIS_URL it stays off).
PAGE_CACHE_REFRESH_URL = os.environ.get("PAGE_CACHE_REFRESH_URL", "") if REDIS_URL else ""
PAGE_CACHE_REFRESHED_SECONDS = int(os.environ.get("PAGE_CACHE_REFRESHED_SECONDS", "60"))
