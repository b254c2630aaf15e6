"""Application factory: configuration, extensions, blueprints, errors, CLI."""
from flask import Flask

from app.urls import App
from config import Config, ProductionConfig, from_env


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the Flask application for the given configuration class."""
    config_class = config_class or from_env()
    if issubclass(config_class, ProductionConfig):
        config_class.check()
    app = App(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    _check_time_zone(app)
    _prepare_instance(app)
    _init_extensions(app)
    _register_blueprints(app)
    from app import access, assets, cli, errors, request_guard, security

    errors.register(app)
    request_guard.register(app)
    security.register(app)
    assets.register(app)
    cli.register(app)
    access.init_app(app)  # registered last, so its after_request hook runs first
    if issubclass(config_class, ProductionConfig) and app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        app.logger.warning("RATELIMIT_STORAGE_URI is memory://: the per-address login limit counts per worker "
                           "(the per-account guard is in the database and is shared regardless)")
    return app


def _check_time_zone(app: Flask) -> None:
    """Refuse to start with a CYCLE_TIME_ZONE that zoneinfo does not know (deadlines depend on it)."""
    from app.services.deadlines import zone

    try:
        zone(app.config["CYCLE_TIME_ZONE"])
    except ValueError as error:
        raise RuntimeError(str(error)) from None


def _prepare_instance(app: Flask) -> None:
    from pathlib import Path

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def _init_extensions(app: Flask) -> None:
    from app import chrome, database, formatting, i18n, labels, navigation
    from app.extensions import babel, bootstrap, csrf, db, mail, migrate
    from app.web_extensions import limiter, login_manager

    from app import audit, models  # noqa: F401  (mappers and the audit guard)

    db.init_app(app)
    database.configure(app)
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR", _migrations_dir())))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    bootstrap.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    i18n.register(app)
    labels.register(app)
    navigation.register(app)
    chrome.register(app)
    formatting.register(app)
    _configure_login(app)


def _configure_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from app.web_extensions import login_manager

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"


def _migrations_dir() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent / "migrations")


def _register_blueprints(app: Flask) -> None:
    from app.admin import bp as admin_bp
    from app.assessments import bp as assessments_bp
    from app.auth import bp as auth_bp
    from app.cycles import bp as cycles_bp
    from app.dashboard import bp as dashboard_bp
    from app.exports import bp as exports_bp
    from app.main import bp as main_bp
    from app.notifications import bp as notifications_bp
    from app.review import bp as review_bp
    from app.transfer import bp as transfer_bp

    for blueprint in (auth_bp, main_bp, assessments_bp, review_bp, transfer_bp, dashboard_bp, exports_bp,
                      admin_bp, cycles_bp, notifications_bp):
        app.register_blueprint(blueprint)
