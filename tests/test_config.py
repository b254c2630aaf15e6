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
