"""Settings, read from the environment (12-factor) with embedded defaults.

Without any variable set the app runs on SQLite, a filesystem Celery transport and console
mail, so that `make run` needs no server. DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY,
ALLOWED_HOSTS and DEBUG switch to the production parts; README.md lists them all.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py is a convenience for developers; real deployments set variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off", ""}


def strict_bool(name, default):
    """A boolean variable; a value that is neither true nor false stops the start-up, so a typo
    never turns a switch silently off."""
    if name not in env:
        return default
    value = env.str(name).strip().lower()
    if value not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use true or false.")
    return value in _TRUE


DEBUG = strict_bool("DEBUG", default=False)

# Runtime state (SQLite database, Celery folders, uploads in development) lives here.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off: production refuses to start without one.")
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use 32 random characters or more.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute address of the site, used for links in mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Our apps first so their templates (allauth overrides included) win; order follows the layers.
    "core",
    "accounts",
    "mentoring",
    "roadbook",
    "evaluations",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # School single sign-on: the school's identity provider, added by staff in the admin.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "import_export",
    "csp",
    # The audit trail of changes (issue 12); reads are recorded by core.AccessRecord.
    "auditlog",
]

# An import file waits between its preview and its confirmation in the cache, which every web
# worker shares (Redis in production), not on one worker's disk.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL byte in the address is a 400, never a database error (PostgreSQL refuses it).
    "core.middleware.RejectNulBytesMiddleware",
    "csp.middleware.CSPMiddleware",
    # Sign-in pages may send their forms to the school's identity providers (CSP form-action).
    "accounts.sso.SignOnFormTargetsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages drawn for a signed-in person are never cached (Cache-Control: no-store).
    "core.middleware.PrivatePagesMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A PDF that can't get a rendering slot in time is a "try again" page (503), not an error.
    "core.middleware.PdfBusyMiddleware",
    # Staff: idle sessions end, and (STAFF_REQUIRE_MFA) staff pages need two-factor sign-in.
    "accounts.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The audit trail records who made each change (issue 12).
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "mentoring.urls"
WSGI_APPLICATION = "mentoring.wsgi.application"

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
                "mentoring.context_processors.programme",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing with
    # "database is locked" halfway through a transaction; WAL lets readers go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and the shared cache ---------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Redis is never the only copy of anything: when it does not answer, the cache behaves as an
# empty one with a logged warning (rate limits then let people through), notices wait in the
# outbox for the re-queue sweep, and /healthz answers 503. Short timeouts keep a request from
# hanging on a Redis that does not answer.
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": REDIS_URL, "OPTIONS": REDIS_CACHE_OPTIONS}
    }
else:
    # A file cache is shared by every process on the machine (web, worker), which allauth's
    # rate limits need; the local-memory cache would give each process its own counters.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Celery --------------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
else:
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
# A request that queues a task while the broker is down gives up within a second or so (the
# notice outbox keeps what it had to send) instead of retrying for long.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A backstop behind core.worker_memory: a worker process still above this resident size (KB) after
# a task is replaced by a fresh one. The largest sweep peaks near 155 MB (bench/REPORT.md).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=300_000)
CELERY_TASK_ALWAYS_EAGER = strict_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = env.str("TIME_ZONE", default="Europe/Paris")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_IGNORE_RESULT = True
# Failed mail deliveries are retried after 30 s, 60 s, 120 s… at most NOTICE_RETRY_BACKOFF_MAX,
# which stays under Redis's visibility timeout so that a delayed retry is never redelivered.
NOTICE_RETRY_BACKOFF = env.int("NOTICE_RETRY_BACKOFF", default=30)
NOTICE_RETRY_BACKOFF_MAX = env.int("NOTICE_RETRY_BACKOFF_MAX", default=3000)
# A notice whose delivery was queued this many seconds ago and is still undelivered is queued
# again by the re-queue sweep; before that, its task is taken to be waiting its turn in the queue.
NOTICE_QUEUE_TIMEOUT = env.int("NOTICE_QUEUE_TIMEOUT", default=3600)
# Delivered notices lose their text and HTML after this many days (the row, their log, stays).
NOTICE_BODY_RETENTION_DAYS = env.int("NOTICE_BODY_RETENTION_DAYS", default=90)

# --- Mail ----------------------------------------------------------------------------------
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Alumni mentoring <mentoring@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20

# --- Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.OneQueryPermissionsBackend",  # ModelBackend, permissions in one query
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "mentoring:me"
ACCOUNT_LOGOUT_REDIRECT_URL = "mentoring:landing"

# Students sign up only with an address in one of the school's domains; alumni sign up freely.
STUDENT_EMAIL_DOMAINS = [d.lower().lstrip("@") for d in env.list("STUDENT_EMAIL_DOMAINS", default=["example.org"])]
# Whether a sub-domain of those (mail.example.org for example.org) is accepted too.
STUDENT_EMAIL_ALLOW_SUBDOMAINS = strict_bool("STUDENT_EMAIL_ALLOW_SUBDOMAINS", default=True)

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
# allauth's sign-in form, whose lockout message says how long to wait.
ACCOUNT_FORMS = {"login": "accounts.signin.LoginForm"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = env.str("EMAIL_SUBJECT_PREFIX", default="[Alumni mentoring] ")
# allauth's mails to a French reader (accounts.adapter).
ACCOUNT_EMAIL_SUBJECT_PREFIX_BY_LANGUAGE = {"fr": env.str("EMAIL_SUBJECT_PREFIX_FR", default="")}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = None
# allauth's rate limits (login failures, sign-ups, password resets) are on by default and
# count in the cache above.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# Limits per address must count the real client, not the proxy every request comes through.
# Production sits behind one proxy that appends the client's address to X-Forwarded-For, so
# the last entry is trusted (earlier ones are whatever the client sent); development and tests
# have none. TRUSTED_CLIENT_IP_HEADER (e.g. X-Real-IP) names a header the proxy sets instead.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0 if DEBUG else 1)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
# Per-user limits on the actions that send someone a mail (core.ratelimit): "20/h" is 20 in any
# hour; empty, no limit. Mentor requests and their withdrawals count together; a pending request
# can always be withdrawn. Interview proposals count new dates and rescheduled ones.
ACTION_RATE_LIMITS = {
    "message": env.str("RATE_LIMIT_MESSAGES", default="20/h"),
    "mentor_request": env.str("RATE_LIMIT_MENTOR_REQUESTS", default="5/h"),
    "interview_proposal": env.str("RATE_LIMIT_INTERVIEW_PROPOSALS", default="10/h"),
    # Each preview of a student's draft road-book is a PDF rendered anew.
    "pdf_preview": env.str("RATE_LIMIT_PDF_PREVIEWS", default="10/10m"),
    # "My data" archives: each one reads everything a person has.
    "data_export": env.str("RATE_LIMIT_DATA_EXPORTS", default="5/h"),
    # Wrong passwords typed to erase one's account.
    "erase_password": env.str("RATE_LIMIT_ERASE_PASSWORDS", default="5/h"),
}
# How long a rendered PDF that no longer changes (a sent road-book, a completed evaluation) is
# kept in the cache, in seconds.
PDF_CACHE_SECONDS = env.int("PDF_CACHE_SECONDS", default=24 * 3600)
# PDFs drawn at once by one web process, and how long a PDF request waits for its turn before
# the "try again in a minute" page (core/pdf.py).
PDF_RENDERS_PER_PROCESS = env.int("PDF_RENDERS_PER_PROCESS", default=1)
PDF_RENDER_WAIT_SECONDS = env.float("PDF_RENDER_WAIT_SECONDS", default=10)

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["mentoring.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static files and uploads --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (CVs) are private: never under STATIC_ROOT nor served by URL; views stream them.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "uploads")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security ------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = strict_bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # HSTS: browsers use HTTPS only, for a year, on every subdomain too. Preloading (a request to
    # the browsers' built-in list, hard to undo) is the school's decision for its whole domain:
    # off unless SECURE_HSTS_PRELOAD says so, and its deploy-check warning is silenced meanwhile.
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = strict_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = strict_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every step of a PDF at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The programme's name, shown in pages, mails and PDFs.
PROGRAMME_NAME = env.str("PROGRAMME_NAME", default="Alumni mentoring programme")
SCHOOL_NAME = env.str("SCHOOL_NAME", default="The School")
# The same names on French pages, mails and PDFs (core.i18n); unset, the name above is shown (our
# own default names have their French version there).
PROGRAMME_NAME_BY_LANGUAGE = {"fr": env.str("PROGRAMME_NAME_FR", default="")}
SCHOOL_NAME_BY_LANGUAGE = {"fr": env.str("SCHOOL_NAME_FR", default="")}

# --- Staff sessions and two-factor sign-in -------------------------------------------------
# A staff session ends after this many minutes without a request (0: never); other people's
# sessions keep Django's length.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=60)
# allauth's MFA: an authenticator app (TOTP) and recovery codes, offered to staff from their
# profile; with STAFF_REQUIRE_MFA, staff must set it up before reaching /admin/ or /staff/.
STAFF_REQUIRE_MFA = strict_bool("STAFF_REQUIRE_MFA", default=False)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PROGRAMME_NAME

# Where the Alumni Career Department's notices go while its group has no active member (an
# address, not an account); empty: nowhere, and the log says so.
CAREER_DEPARTMENT_EMAIL = env.str("CAREER_DEPARTMENT_EMAIL", default="")
# Data protection (issue 12): the versions of the charter and of the privacy notice that sign-up
# records as accepted (templates/accounts/charter.html, privacy.html: change the text, then the
# version); whom people write to about their data.
CHARTER_VERSION = env.str("CHARTER_VERSION", default="2026-1")
PRIVACY_NOTICE_VERSION = env.str("PRIVACY_NOTICE_VERSION", default="2026-1")
DATA_PROTECTION_EMAIL = env.str("DATA_PROTECTION_EMAIL", default="")
# "My data": an account whose files (CVs) weigh more than this is exported by a Celery task and
# mailed a link, valid this many hours; a smaller one downloads at once.
DATA_EXPORT_DIRECT_MAX_BYTES = env.int("DATA_EXPORT_DIRECT_MAX_BYTES", default=2 * 1024 * 1024)
DATA_EXPORT_LINK_HOURS = env.int("DATA_EXPORT_LINK_HOURS", default=24)
# Retention (mentoring.retention): what belongs to no campaign (sent notices' text, the audit
# trail) is kept this many months; each run of the hourly sweep handles at most this many rows
# per table.
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=12)
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=500)
# The audit trail keeps who did what, not from which address (less personal data to keep).
AUDITLOG_DISABLE_REMOTE_ADDR = True

# The road-book's CV: PDF only, at most this many bytes; the road-book view refuses a larger
# file as it arrives (roadbook.uploads), its other fields are still saved.
ROADBOOK_CV_MAX_BYTES = env.int("ROADBOOK_CV_MAX_BYTES", default=5 * 1024 * 1024)
# Every URL keeps Django's default upload handlers: a request up to FILE_UPLOAD_MAX_MEMORY_SIZE
# stays in memory, a larger file goes to a temporary file (FILE_UPLOAD_TEMP_DIR, else the
# system's): a worker holds no more than that of a request's files in memory. A request with
# more files or fields than these is refused (400). The proxy caps the body's size (README).
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2621440)
FILE_UPLOAD_TEMP_DIR = env.str("FILE_UPLOAD_TEMP_DIR", default="") or None
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=5)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
# Stored uploads are readable by the app's user and group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# --- School single sign-on (allauth's openid_connect and saml providers) ---------------------
# Staff add the school's identity provider in the admin (social applications), with its policy
# (accounts.models.SchoolSignOn): README, "School single sign-on".
SOCIALACCOUNT_ADAPTER = "accounts.sso.SchoolSignOnAdapter"
# The school's own identity provider is trusted for the addresses it asserts: a first sign-in
# creates the account with that address, verified, or signs in to the account that already has
# it (and stays connected to it). A provider's "verified_email" setting (a list of domains)
# narrows that trust.
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"VERIFIED_EMAIL": True}, "saml": {"VERIFIED_EMAIL": True}}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
# The provider vouched for the person: no confirmation mail on top. An account found by an address
# its owner never confirmed loses its password on the way (allauth), so whoever typed it is out.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = True
# Calls to the provider (discovery, token, user info, metadata) give up after this many seconds.
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SSO_REQUESTS_TIMEOUT", default=5)
