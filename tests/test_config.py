import pytest

import config
from app import create_app


def test_production_refuses_to_start_with_the_default_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config.ProductionConfig)


def test_production_refuses_a_short_secret(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "short")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    prod = type("Prod", (config.ProductionConfig,), {"SECRET_KEY": "short"})
    with pytest.raises(RuntimeError, match="at least 32"):
        create_app(prod)


def test_production_requires_an_explicit_database(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    prod = type("Prod", (config.ProductionConfig,), {"SECRET_KEY": "x" * 40})
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(prod)


def test_production_starts_with_a_real_secret_and_database(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.db")
    prod = type("Prod", (config.ProductionConfig,), {
        "SECRET_KEY": "s" * 48, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/prod.db"})
    app = create_app(prod)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_an_unknown_app_env_is_refused(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(RuntimeError, match="APP_ENV"):
        config.from_env()


def test_an_unknown_cycle_time_zone_is_refused_at_start(tmp_path):
    from tests.conftest import make_config

    with pytest.raises(RuntimeError, match="CYCLE_TIME_ZONE 'Europe/Atlantis'"):
        create_app(make_config("sqlite://", tmp_path, CYCLE_TIME_ZONE="Europe/Atlantis"))


def test_production_with_mail_needs_the_address_e_mails_link_to(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.db")
    monkeypatch.delenv("APP_BASE_URL", raising=False)
    prod = type("Prod", (config.ProductionConfig,), {
        "SECRET_KEY": "s" * 48, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/prod.db",
        "MAIL_SERVER": "smtp.customs.example"})
    with pytest.raises(RuntimeError, match="APP_BASE_URL"):
        create_app(prod)
    monkeypatch.setenv("APP_BASE_URL", "https://maturity.eec.example")
    assert create_app(prod).config["MAIL_SERVER"] == "smtp.customs.example"
