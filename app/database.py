"""Per-connection database settings and the write transaction of a state change.

SQLite gets WAL, a busy timeout and foreign keys. A unit of work that changes state starts with
`begin_write()`: on SQLite its transaction begins with BEGIN IMMEDIATE, so it holds the database's
write lock before it reads anything it will check (a deferred transaction that read first and
writes later fails with "database is locked" when another writer committed in between, or decides
on what it read before that writer). See SQLAlchemy's SQLite dialect documentation, "Serializable
isolation / Savepoints / Transactional DDL", for the `begin` event this uses. On PostgreSQL the
services lock the assessment row instead (app.services.changes).
"""
import sqlalchemy as sa
from flask import Flask

from app.extensions import db

#: execution option that makes the transaction of a connection start with BEGIN IMMEDIATE on SQLite
WRITE_LOCK = "sqlite_begin_immediate"


def configure(app: Flask) -> None:
    """Install the SQLite pragmas and the BEGIN IMMEDIATE hook on this app's engine."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 5000")
    # WAL lets readers work while one writer commits; an in-memory database has no journal file.
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    # Only write transactions ask for the lock up front; reads keep pysqlite's default (no BEGIN
    # before a SELECT), so pages never wait for a writer.
    if connection.get_execution_options().get(WRITE_LOCK):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def begin_write() -> None:
    """Start the session's write transaction for a state change.

    The current transaction (the request's reads) is committed first, so everything the caller
    reads from here on is current; objects loaded before are expired and reload on access. On
    SQLite the new transaction takes the database write lock at once (waits up to the busy
    timeout, then raises OperationalError); on PostgreSQL it is an ordinary READ COMMITTED
    transaction and the caller locks the rows it decides on.
    """
    session = db.session()
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={WRITE_LOCK: True})
