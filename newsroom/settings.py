"""Settings, read from the environment (and from a `.env` file when present)."""

import datetime as dt
import ipaddress
import os
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    TIME_ZONE=(str, "Europe/Berlin"),
    REDIS_URL=(str, ""),
    SITE_URL=(str, "http://127.0.0.1:8000"),
    SITE_NAME=(str, "Newsroom"),
    MEDIA_ROOT=(str, str(BASE_DIR / "media")),
    STATIC_ROOT=(str, str(BASE_DIR / "staticfiles")),
    ITEMS_PER_PAGE=(int, 20),
    TRUSTED_PROXIES=(list, []),
)
# ENV_FILE names another file to read (tests point it elsewhere); `make install` writes .env.
environ.Env.read_env(os.environ.get("ENV_FILE", BASE_DIR / ".env"))

DEBUG = env("DEBUG")
# A development server may run with a throwaway key; production must set its own.
SECRET_KEY = env("SECRET_KEY", default="insecure-development-key" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: it is required when DEBUG is off. "
        "Set it in the environment or in .env (see .env.example)."
    )
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL").rstrip("/")
SITE_NAME = env("SITE_NAME")
# Where editors log in: a path of the site's own keeps the admin off scanners' usual lists.
ADMIN_URL = env("ADMIN_URL", default="admin/").strip("/") + "/"

# HTTPS (README "HTTPS and security headers"): on by default in production, off while
# developing on plain http. Each can be turned off, e.g. when a proxy already redirects.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer probes the app's own port over plain http: it must see the status, not a 301.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a proxy that ends TLS, Django sees plain http: this header, set by the proxy, tells it
# the reader's scheme. Only name a header the proxy always sets (or strips), or anyone could.
_proxy_ssl_header = env("SECURE_PROXY_SSL_HEADER", default="")
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https") if _proxy_ssl_header else None
# Browsers keep to https for this long once they have seen the site over it.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# Preloading binds the domain and its subdomains to https in browsers for months, and anyone
# may submit a domain that asks for it: off unless the operator chooses it.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# Outlets we link to learn that readers came from us, not from which page.
SECURE_REFERRER_POLICY = env("SECURE_REFERRER_POLICY", default="strict-origin-when-cross-origin")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The deploy check warns when preloading is off; leaving it off is a choice made above.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Imported back issues: the old site's pages as flat pages, its permalinks as redirects.
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "nested_admin",
    # Versions of briefings and excerpts saved in the admin, to compare, restore and recover.
    "reversion",
    "taggit",
    "csp",
    "axes",
    # Ours, from the shared base up (docs/architecture.md): nothing imports an app below it.
    "newsroom",
    "publishing",
    "images",
    "people",
    "search",
    "articles",
    "briefings",
    "sources",
    "public",
    "backissues",
    "backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so a page answered from the cache carries the policy too.
    "newsroom.http.content_security.ContentSecurityPolicyMiddleware",
    # Before the session, locale and CSRF middleware: answers a stored page before they run,
    # and stores a new one only once they have added their cookies and headers.
    "newsroom.http.page_cache.PageCacheMiddleware",
    # Turns a view's database error into the maintenance page (503), after the page cache has
    # answered what it holds without the database.
    "newsroom.http.db_outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language comes from the address alone (/de/…), so a page has one language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # These answer only where the site has nothing; the last listed is tried first: an item's
    # old address, then the redirects, then the flat pages.
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    "public.old_addresses.OldAddressFallbackMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
SITE_ID = 1
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "public.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Seconds to wait for PostgreSQL (README "When the database hangs"): to connect, and for any one
# statement, which the server cancels after DATABASE_STATEMENT_TIMEOUT; a server that does not
# answer at all is given up on half a second later (newsroom/db_timeouts.py). 0 waits without
# end, as commands do unless told otherwise: a migration or an import may run statements far
# longer than a page's.
RUNNING_A_COMMAND = Path(sys.argv[0]).name == "manage.py"
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=2)
DATABASE_STATEMENT_TIMEOUT = env.float(
    "DATABASE_STATEMENT_TIMEOUT", default=0 if RUNNING_A_COMMAND else 2
)
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": DATABASE_CONNECT_TIMEOUT,
        "options": f"-c statement_timeout={int(DATABASE_STATEMENT_TIMEOUT * 1000)}",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every public page asks the cache first: a Redis that cannot be reached or does not answer
# must fail fast, in seconds to connect and to answer; pages are then built afresh
# (newsroom/http/page_cache.py), and the cache is left alone for CACHE_RETRY_AFTER seconds
# (publishing/cache_breaker.py), so not every request waits for it.
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.5)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.5)
CACHE_RETRY_AFTER = env.float("CACHE_RETRY_AFTER", default=10)
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Keeps this site's keys apart from another's in the same Redis database.
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="")

# Whole public pages for anonymous readers (newsroom/http/page_cache.py, README "Page cache"):
# kept at most this many seconds on the server (0 turns the page cache off), and reused by
# browsers and CDNs, which no publication can reach, for at most PAGE_CACHE_MAX_AGE seconds.
# Off by default with DEBUG, so a changed template or view shows on the next reload.
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=0 if DEBUG else 300)
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=60)
# Item cards as rendered, shared by every list that shows them (public/cards.py), kept at most
# this many seconds (0 renders them on every request); off with DEBUG, as the page cache is.
CARD_CACHE_TIMEOUT = env.int("CARD_CACHE_TIMEOUT", default=0 if DEBUG else 86_400)
# Seconds between reads of the content version in the database (publishing/content_version.py):
# how long a server may answer pages stored before a change made through another server that
# could not reach the cache. One small query per process per interval.
CONTENT_VERSION_CHECK_INTERVAL = env.float("CONTENT_VERSION_CHECK_INTERVAL", default=1)

# Admin logins throttled (django-axes): after AXES_FAILURE_LIMIT failed attempts for one user
# name from one address, that pair is refused for AXES_COOLOFF_MINUTES, even with the right
# password. Keyed on both, so a stranger cannot lock an editor out from everywhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After a login whose next page is not on our host (Django refuses it), the admin rather than
# Django's default /accounts/profile/, which this site does not have.
LOGIN_REDIRECT_URL = "admin:index"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The reverse proxies (addresses or networks) whose X-Forwarded-For is believed: the reader's
# address is the rightmost one in it that is not theirs (newsroom/http/client_ip.py).
if "TRUSTED_PROXY_COUNT" in os.environ:
    # A count trusted whoever reached the app's port directly: fail rather than ignore it.
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT is no longer read: list the proxies' addresses or networks in "
        "TRUSTED_PROXIES instead (e.g. TRUSTED_PROXIES=10.0.0.5), and remove it."
    )
try:
    TRUSTED_PROXIES = [
        ipaddress.ip_network(entry.strip(), strict=False) for entry in env.list("TRUSTED_PROXIES")
    ]
except ValueError as error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from error
AXES_CLIENT_IP_CALLABLE = "newsroom.http.client_ip.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
TIME_ZONE = env("TIME_ZONE")
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# Languages an item's text may be written in (the interface has only English and German).
CONTENT_LANGUAGES = [
    ("en", "English"),
    ("de", "German"),
    ("fr", "French"),
    ("ar", "Arabic"),
    ("fa", "Persian"),
    ("he", "Hebrew"),
    ("tr", "Turkish"),
]

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT")
# Media on local disk by default. With a bucket named, in S3-compatible object storage, so that
# several app servers share the same uploads (README: "Media in object storage").
MEDIA_BUCKET = env("AWS_STORAGE_BUCKET_NAME", default="")
MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if MEDIA_BUCKET:
    # Imported only here: it costs every process a tenth of a second at start.
    from botocore.config import Config as BotoConfig

    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            # Credentials may also come from boto3's own sources (instance role, ~/.aws).
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "location": env("AWS_LOCATION", default=""),
            # Public images get plain, cacheable addresses rather than expiring signed ones.
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
            "file_overwrite": False,
            "object_parameters": {
                "CacheControl": env("AWS_S3_CACHE_CONTROL", default="public, max-age=604800")
            },
            # An upload or a rendition waits on the bucket: one that hangs costs an editor's
            # save seconds (two tries at most), not the worker (boto3 waits 60 s a try).
            "client_config": BotoConfig(
                connect_timeout=env.float("MEDIA_CONNECT_TIMEOUT", default=2),
                read_timeout=env.float("MEDIA_READ_TIMEOUT", default=5),
                retries={"mode": "standard", "max_attempts": 2},
            ),
        },
    }
# Where browsers fetch media from when it is in a bucket: the CDN's host, the provider's
# endpoint, or AWS's own addresses for the bucket (MEDIA_ORIGINS names them by hand).
_media_origins = []
if MEDIA_BUCKET:
    if custom_domain := env("AWS_S3_CUSTOM_DOMAIN", default=""):
        _media_origins = [f"https://{custom_domain}"]
    elif endpoint := env("AWS_S3_ENDPOINT_URL", default=""):
        _media_origins = [endpoint.rstrip("/")]
    else:
        region = env("AWS_S3_REGION_NAME", default="")
        _media_origins = [f"https://{MEDIA_BUCKET}.s3.amazonaws.com"]
        if region:
            _media_origins.append(f"https://{MEDIA_BUCKET}.s3.{region}.amazonaws.com")
MEDIA_ORIGINS = env.list("MEDIA_ORIGINS", default=_media_origins)
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Content-Security-Policy (django-csp): public pages run no inline script and load nothing
# from elsewhere; JSON-LD is data, which browsers neither run nor check against script-src.
# The admin has a policy of its own (newsroom/http/content_security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Uploaded images: limits checked before an image is decoded, and the widths made for srcset.
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=20 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=50_000_000)
IMAGE_RENDITION_WIDTHS = env.list(
    "IMAGE_RENDITION_WIDTHS", cast=int, default=[480, 800, 1200, 1600]
)
# AVIF renditions too, when this Pillow can write them (they are the smallest, and the slowest).
IMAGE_AVIF = env.bool("IMAGE_AVIF", default=True)

TAGGIT_CASE_INSENSITIVE = True
ITEMS_PER_PAGE = env("ITEMS_PER_PAGE")

# WordPress categories that name an excerpt's kicker ("Analysis") rather than a tag.
IMPORT_KICKER_CATEGORIES = env.list("IMPORT_KICKER_CATEGORIES", default=[])

# LOG_FORMAT=json writes one JSON object a line (newsroom/http/json_log.py) for a log collector;
# plain is for reading in a terminal. LOG_LEVEL is the least level logged (INFO shows the
# development server's request lines).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "newsroom.http.json_log.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Replaces Django's own console handler, which would print each line twice.
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # django-axes says its version at every start, in every management command's output.
        "axes.apps": {"level": "WARNING"},
    },
}
