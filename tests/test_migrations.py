"""The migrations build exactly the schema the models describe, on every backend, and undo it."""
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from tests.conftest import BACKENDS, PG_URL, make_config


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path):
    """An empty database: a SQLite file, or a new PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/migrations.db"
        return
    server = sa.make_url(PG_URL)
    name = f"cm_migrations_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _compare(conn):
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return compare_metadata(context, db.metadata)


def test_upgrade_to_head_matches_the_models_and_downgrade_returns_to_empty(empty_database_url, tmp_path):
    app = create_app(make_config(empty_database_url, tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            assert _compare(conn) == [], "models and migrations have drifted apart: add a migration"
        downgrade(revision="base")
        with db.engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()


def test_the_migrations_have_a_single_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from app import _migrations_dir

    config = Config()
    config.set_main_option("script_location", _migrations_dir())
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrading_an_existing_database_keeps_its_rows(empty_database_url, tmp_path):
    """SQLite batch migrations rebuild tables; child rows (here an attachment) must survive that."""
    from tests.test_file_storage import _seed_revision_0002

    app = create_app(make_config(empty_database_url, tmp_path))
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as conn:
            _seed_revision_0002(conn, "f" * 32)
        upgrade()
        with db.engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM attachment")) == 1
            assert conn.scalar(sa.text("SELECT count(*) FROM assessment")) == 1
        downgrade(revision="base")
        db.engine.dispose()
