"""Per-connection database settings: SQLite gets WAL, a busy timeout and foreign keys."""
import sqlalchemy as sa
from flask import Flask

from app.extensions import db


def configure(app: Flask) -> None:
    """Install the SQLite pragmas on every new connection of this app's engine."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 5000")
    # WAL lets readers work while one writer commits; an in-memory database has no journal file.
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()
