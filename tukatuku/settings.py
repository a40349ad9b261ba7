"""Tuka-Tuku settings. The environment is read once, here.

Development needs no configuration at all (SQLite, console e-mail, a fixed development key).
Production is selected with TUKATUKU_ENV=production and then requires SECRET_KEY, ALLOWED_HOSTS,
NIK_ENCRYPTION_KEY and NIK_HASH_KEY; it passes `manage.py check --deploy`.
"""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = os.environ.get("TUKATUKU_ENV", "development")
PRODUCTION = ENV == "production"


def env_required(name: str, dev_default: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when TUKATUKU_ENV=production")
    return dev_default


SECRET_KEY = env_required("SECRET_KEY", "dev-only-insecure-key-tuka-tuku-do-not-use-in-production-0123456789")
DEBUG = not PRODUCTION and os.environ.get("DEBUG", "1") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# The site's public address, for links in e-mails sent outside a request (e.g. a training seat offer).
SITE_URL = os.environ.get("SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000")

# Personal data (UU 27/2022): NIK is encrypted with NIK_ENCRYPTION_KEY (a Fernet key) and looked up by
# an HMAC keyed with NIK_HASH_KEY. Rotating the hash key needs a re-hash of every stored NIK.
NIK_ENCRYPTION_KEY = env_required("NIK_ENCRYPTION_KEY", "ZGV2LW9ubHktbmlrLWtleS10dWthLXR1a3UtMzJieXQ=")
NIK_HASH_KEY = env_required("NIK_HASH_KEY", "dev-only-nik-hash-key")
# A registry search by NIK is posted and continues under a signed token holding only the keyed hash and the
# masked NIK (apps.core.nik.nik_search_token); links carrying it stop working after this many seconds.
NIK_SEARCH_TOKEN_SECONDS = int(os.environ.get("NIK_SEARCH_TOKEN_SECONDS", str(60 * 60)))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    # django-ninja as an app: its Swagger UI is rendered from the package's own static files, not a CDN.
    "ninja",
    "django_ratelimit",
    "apps.core",
    "apps.regions",
    "apps.accounts",
    "apps.audit",
    "apps.jobs",
    "apps.imports",
    "apps.umkm",
    "apps.store",
    "apps.omzet",
    "apps.orders",
    "apps.koperasi",
    "apps.program",
    "apps.pengembangan",
    "apps.pinjaman",
    "apps.konsinyasi",
    "apps.settlement",
    "apps.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "apps.core.middleware.NulQueryGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "apps.audit.middleware.RequestOriginMiddleware",
    "apps.accounts.middleware.StaffIdleTimeoutMiddleware",
    "apps.core.ratelimits.UploadRateLimitMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "tukatuku.urls"
WSGI_APPLICATION = "tukatuku.wsgi.application"

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
                "apps.core.context_processors.navigation",
                "apps.core.context_processors.roles",
            ],
            "builtins": ["apps.core.templatetags.tukatuku", "django.templatetags.static"],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Persistent connections (seconds; 0 = one per request) are checked before each request reuses them, so a node
# gets through a restart of the database server without a restart of its own (SPEC §13).
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "60" if PRODUCTION else "0"))
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=CONN_MAX_AGE > 0)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work during an import; IMMEDIATE takes the write lock at BEGIN so two writers
    # queue on the busy timeout instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME", str(BASE_DIR / ".test-db.sqlite3"))}
else:
    # Unless DATABASE_URL says otherwise (`?options=...`): no JIT (it costs ~0.8 s to compile each large
    # report aggregate and gains less) and the planner's page costs of an SSD, where a random read costs
    # little more than a sequential one (the default 4.0 makes it scan whole tables for a regency's rows).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off -c random_page_cost=1.1")

# A streaming replica of the primary (SPEC §13; docs/deployment.md): safe requests read from it, writes and a
# browser's requests for READ_YOUR_WRITES_SECONDS after it wrote use the primary, and so does everything when
# the replica is unreachable or lags more than REPLICA_MAX_LAG_SECONDS (probed at most every
# REPLICA_CHECK_SECONDS per process). Unset: one database, no router (tukatuku/db_router.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "2"))
READ_YOUR_WRITES_SECONDS = int(os.environ.get("READ_YOUR_WRITES_SECONDS", "10"))
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=CONN_MAX_AGE > 0
    )
    replica_options = DATABASES["replica"].setdefault("OPTIONS", {})
    for key, value in DATABASES["default"].get("OPTIONS", {}).items():
        replica_options.setdefault(key, value)
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        replica_options.setdefault("connect_timeout", 2)  # a dead replica must not hold a request for long
    # Tests see the replica as the primary itself (no second test database to keep in step).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["tukatuku.db_router.PrimaryReplicaRouter"]
    # Before the sessions: a session saved on the way out is a write that makes the browser sticky.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "tukatuku.db_router.ReadYourWritesMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout: after LOGIN_MAX_FAILURES failures for one username (normalised: NFKC, trimmed, lower
# case) within the window, that username is refused until the cool-off has passed. One address (an office
# behind one NAT) is never locked out by other people's typos: after LOGIN_ADDRESS_SLOWDOWN_AFTER failures
# in the window each further attempt from it waits 1, 2, 4 … up to LOGIN_ADDRESS_MAX_DELAY_SECONDS after
# its last failure, and only LOGIN_ADDRESS_MAX_FAILURES failures lock the address for the cool-off.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
LOGIN_COOLOFF_SECONDS = int(os.environ.get("LOGIN_COOLOFF_SECONDS", str(15 * 60)))
LOGIN_ADDRESS_SLOWDOWN_AFTER = int(os.environ.get("LOGIN_ADDRESS_SLOWDOWN_AFTER", "10"))
LOGIN_ADDRESS_MAX_DELAY_SECONDS = int(os.environ.get("LOGIN_ADDRESS_MAX_DELAY_SECONDS", "60"))
LOGIN_ADDRESS_MAX_FAILURES = int(os.environ.get("LOGIN_ADDRESS_MAX_FAILURES", "100"))
# How many reverse proxies in front of the application append to X-Forwarded-For (nginx in README's
# deployment: 1). 0 = none: the client address is REMOTE_ADDR and X-Forwarded-For is ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Staff sessions (every role but buyers, sellers, cooperative officers and the evaluators, who see no NIK
# and move no money) end after this many seconds without a request (ASVS 3.3.2); other sessions keep
# SESSION_COOKIE_AGE. apps.accounts.middleware.StaffIdleTimeoutMiddleware.
STAFF_IDLE_TIMEOUT_SECONDS = int(os.environ.get("STAFF_IDLE_TIMEOUT_SECONDS", str(30 * 60)))

# Rate limits (django-ratelimit, counted in the default cache: set REDIS_URL in production so every worker
# process shares the counts). "<count>/<period>" per signed-in user, else per client address (client_ip:
# the trusted-proxy rule). Exceeding one answers 429 with an Indonesian page (apps.core.ratelimits.rate_limited).
RATELIMIT_ENABLE = os.environ.get("RATELIMIT_ENABLE", "1") == "1"
RATELIMIT_VIEW = "apps.core.ratelimits.rate_limited"
RATELIMIT_IP_META_KEY = "apps.audit.middleware.client_ip"
RATE_LIMIT_SEARCH = os.environ.get("RATE_LIMIT_SEARCH", "60/m")
RATE_LIMIT_API = os.environ.get("RATE_LIMIT_API", "120/m")
RATE_LIMIT_UPLOAD = os.environ.get("RATE_LIMIT_UPLOAD", "20/m")
RATE_LIMIT_NIK_REVEAL = os.environ.get("RATE_LIMIT_NIK_REVEAL", "20/h")
RATE_LIMIT_REGISTER = os.environ.get("RATE_LIMIT_REGISTER", "10/h")

# Content-Security-Policy (django-csp): scripts only from this origin and never inline (page data travels
# in <script type="application/json"> blocks, which browsers do not run); styles only from files; images
# also as data: URIs (Pico's icons); nothing may frame the site or receive its forms.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Private uploads (transfer proofs, dissolution letters, import files; apps.core.uploads): outside MEDIA_ROOT,
# never under a URL, served only by views that check access. PROTECTED_FILES_SERVE: "django" (streamed by
# the application), "x-accel-redirect" (nginx `internal` location PROTECTED_FILES_INTERNAL_URL aliased to
# PROTECTED_MEDIA_ROOT), "x-sendfile" (Apache mod_xsendfile), or "signed-url" (object storage set as
# STORAGES["protected"] by PROTECTED_STORAGE_BACKEND, e.g. storages.backends.s3.S3Storage with private
# objects and query-string auth; links live PROTECTED_FILES_URL_SECONDS).
PROTECTED_MEDIA_ROOT = Path(os.environ.get("PROTECTED_MEDIA_ROOT", BASE_DIR / "protected"))
PROTECTED_FILES_SERVE = os.environ.get("PROTECTED_FILES_SERVE", "django")
PROTECTED_FILES_INTERNAL_URL = os.environ.get("PROTECTED_FILES_INTERNAL_URL", "/_protected/")
PROTECTED_FILES_URL_SECONDS = int(os.environ.get("PROTECTED_FILES_URL_SECONDS", "60"))
# Uploaded import files are deleted when their import ends; rejected-row files (they may hold NIK) and
# files of imports that never ended are deleted after this many hours.
IMPORT_FILE_RETENTION_HOURS = int(os.environ.get("IMPORT_FILE_RETENTION_HOURS", "72"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "protected": {
        "BACKEND": os.environ.get("PROTECTED_STORAGE_BACKEND", "apps.core.uploads.ProtectedFileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "apps.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# django-ratelimit names only memcached and django-redis as supported; Django's own Redis cache (ours) has
# an atomic incr too. Without REDIS_URL the counts are per process (fine for one development server).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + ([] if REDIS_URL else ["django_ratelimit.E003"])

# Development keeps every mail as a file under var/surel/ (one file per message) instead of printing whole MIME
# messages into the `./dev run` console; production sends through SMTP.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", BASE_DIR / "var" / "surel"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tuka-Tuku <noreply@tukatuku.local>")

# The regency of marketplace imports run without --regency (Purbalingga).
TUKATUKU_DEFAULT_REGENCY = os.environ.get("TUKATUKU_DEFAULT_REGENCY", "33.03")

# The leadership report's letterhead and signature (apps/reports/exports.py). REPORT_SIGNATORIES maps a regency
# or province code to who signs its report: {"33.03": {"name": "...", "nip": "...", "title": "..."}} (JSON in
# the environment); development signs Purbalingga's with the demo head of department. REPORT_LOGO is an image
# file printed at the letterhead's left (a "LOGO" box marks the place while it is empty); REPORT_ADDRESS the
# agency's address line.
REPORT_SIGNATORIES = json.loads(
    os.environ.get(
        "REPORT_SIGNATORIES",
        "{}"
        if PRODUCTION
        else '{"33.03": {"name": "Budi Susetyono, S.E., M.M.", "nip": "19700512 199803 1 006",'
        ' "title": "Kepala Dinas Koperasi dan UKM"}}',
    )
)
REPORT_LOGO = os.environ.get("REPORT_LOGO", "")
REPORT_ADDRESS = os.environ.get("REPORT_ADDRESS", "")

# Demo builders, run in this order by `manage.py demo`; each app adds its own module.
DEMO_BUILDERS = [
    "apps.accounts.demo",
    "apps.umkm.demo",
    "apps.store.demo",
    "apps.orders.demo",
    "apps.koperasi.demo",
    "apps.pengembangan.demo",
    "apps.program.demo",
    # last: it sells the catalogue's products and tops the omzet of 33.03 up to the article's figure
    "apps.omzet.demo",
    "apps.konsinyasi.demo",
    # after the omzet: last month's statements of Purbalingga from its ledger
    "apps.settlement.demo",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
