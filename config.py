"""Configuration classes; every setting can be given by an environment variable."""
import os
from datetime import timedelta
from pathlib import Path

from scoring.flags import parse_bool

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET = "dev-only-secret-change-me"


def _bool(name: str, default: bool) -> bool:
    """An on/off setting: unset keeps the default; any value that is not a yes word (scoring.flags) is off."""
    value = os.environ.get(name)
    return default if value is None else parse_bool(value) is True


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


class Config:
    """Defaults for development on a laptop: SQLite under instance/."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", _sqlite_url(BASE_DIR / "instance" / "customs.sqlite3")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    QUESTIONNAIRE_DIR = os.environ.get("QUESTIONNAIRE_DIR", str(BASE_DIR / "questionnaires"))
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(BASE_DIR / "instance" / "uploads"))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "10")) * 1024 * 1024
    LANGUAGES = ("en", "ru")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
    BOOTSTRAP_SERVE_LOCAL = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session, which has its own idle limit
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")))
    #: absolute limit of a login session, however active (app.services.sessions)
    SESSION_MAX_AGE = timedelta(hours=int(os.environ.get("SESSION_MAX_HOURS", "12")))
    # The server-side session record decides when a session ends; the cookie outlives it so that the
    # user is told why ("ended after 30 idle minutes") instead of meeting a bare login page.
    PERMANENT_SESSION_LIFETIME = SESSION_MAX_AGE + timedelta(days=1)
    # Set at login, the cookie already outlives the longest session, so it is not signed and sent again on
    # every response (only when its content changes); the server-side record tracks activity.
    SESSION_REFRESH_EACH_REQUEST = False
    #: the per-address login limit's counters; memory:// counts per worker, so with several workers or
    #: servers give a shared storage such as redis://host:6379 (README "Running on several servers")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    #: per-account guard (app.services.throttle), kept in the database and shared by every server
    LOGIN_LOCK_THRESHOLD = int(os.environ.get("LOGIN_LOCK_THRESHOLD", "5"))
    LOGIN_LOCK_FIRST_SECONDS = int(os.environ.get("LOGIN_LOCK_FIRST_SECONDS", "60"))
    LOGIN_LOCK_MAX_MINUTES = int(os.environ.get("LOGIN_LOCK_MAX_MINUTES", "30"))
    #: a temporary password set by an administrator works once, within this time
    TEMPORARY_PASSWORD_HOURS = int(os.environ.get("TEMPORARY_PASSWORD_HOURS", "72"))
    REQUIRE_TOTP_FOR_STAFF = _bool("REQUIRE_TOTP_FOR_STAFF", False)
    NATIONAL_SEE_OTHER_COUNTRIES = _bool("NATIONAL_SEE_OTHER_COUNTRIES", True)
    #: national users read other countries' answers (validated ones whose scores they see); app.access
    NATIONAL_SEE_OTHER_COUNTRIES_ANSWERS = _bool("NATIONAL_SEE_OTHER_COUNTRIES_ANSWERS", False)
    PASSWORD_MIN_LENGTH = 12
    #: cycle deadlines are calendar dates in this IANA time zone (the EEC's, Moscow)
    CYCLE_TIME_ZONE = os.environ.get("CYCLE_TIME_ZONE", "Europe/Moscow")
    #: where the app is reached, for links in e-mails (no request exists when `send-due` runs)
    APP_BASE_URL = os.environ.get("APP_BASE_URL", "http://127.0.0.1:5000")
    # E-mail copies of notifications (Flask-Mailman): sent only when MAIL_SERVER is set.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "customs-maturity@localhost")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10"))
    #: Flask-Mailman would otherwise keep test mail in memory; a configured server is always used
    MAIL_BACKEND = "smtp"
    TESTING = False


class DevelopmentConfig(Config):
    """Local development: debug tools off by default, demo data allowed."""


class TestConfig(Config):
    """Tests: in-memory SQLite unless TEST_DATABASE_URL is given, fast hashing, no rate limit."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_ENABLED = False
    WTF_CSRF_ENABLED = False
    ARGON2_FAST = True


class ProductionConfig(Config):
    """Production: refuses to start without a real secret and an explicit database."""

    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)

    @classmethod
    def check(cls) -> None:
        """Raise RuntimeError when the configuration is not safe for production."""
        if not os.environ.get("SECRET_KEY") or cls.SECRET_KEY == DEFAULT_SECRET or len(cls.SECRET_KEY) < 32:
            raise RuntimeError("SECRET_KEY must be set to a random value of at least 32 characters in production")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")
        if cls.MAIL_SERVER and not os.environ.get("APP_BASE_URL"):
            raise RuntimeError("APP_BASE_URL must be set when MAIL_SERVER is: notification e-mails link to it")


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig, "testing": TestConfig}


def from_env() -> type[Config]:
    """The config class named by APP_ENV (development by default)."""
    name = os.environ.get("APP_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
