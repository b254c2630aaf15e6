"""The health check of one application server: can it reach the database, and is the schema current?"""
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db


@lru_cache(maxsize=4)
def migration_heads(directory: str) -> frozenset[str]:
    """The head revision(s) of the migration scripts this code ships with."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def check() -> dict[str, str]:
    """{"status": "ok"|"fail", "database": ..., "migrations": ...}; never raises."""
    heads = migration_heads(current_app.extensions["migrate"].directory)  # as create_app configured it
    try:
        with db.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
            applied = (set(conn.scalars(sa.text("SELECT version_num FROM alembic_version")).all())
                       if sa.inspect(conn).has_table("alembic_version") else set())
    except SQLAlchemyError as error:
        current_app.logger.warning("health check: database unreachable (%s)", error.__class__.__name__)
        return {"status": "fail", "database": "unreachable", "migrations": "unknown"}
    if applied != set(heads):
        return {"status": "fail", "database": "ok",
                "migrations": f"at {','.join(sorted(applied)) or 'none'}, head is {','.join(sorted(heads))}"}
    return {"status": "ok", "database": "ok", "migrations": "head"}
