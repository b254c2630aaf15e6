"""Registers the command-line groups of DESIGN.md §5 on the app.

Every command is wrapped so that a database without the schema (never migrated, or migrated to an
older revision than the code) ends the command with one clear line and exit status 1 instead of a
traceback: ``Error: the database schema is missing or older than this version ... flask db upgrade``.
"""
import functools

import click
import sqlalchemy.exc as sa_exc
from flask import Flask

#: SQLSTATEs of PostgreSQL for an unknown table and an unknown column.
_UNDEFINED_TABLE, _UNDEFINED_COLUMN = "42P01", "42703"
_SQLITE_MISSING = ("no such table", "no such column", "has no column named")

SCHEMA_MISSING = (
    "the database schema is missing or older than this version of the application; "
    "run `flask db upgrade` first"
)


def schema_is_missing(error: sa_exc.DBAPIError) -> bool:
    """True when *error* says a table or column of the models does not exist in the database."""
    original = error.orig
    if getattr(original, "sqlstate", None) in (_UNDEFINED_TABLE, _UNDEFINED_COLUMN):
        return True
    return any(text in str(original) for text in _SQLITE_MISSING)


def _guard_schema(command: click.Command) -> click.Command:
    if getattr(command, "_schema_guarded", False):  # command objects outlive each app made by create_app
        return command
    invoke = command.invoke

    @functools.wraps(invoke)
    def guarded(ctx: click.Context):
        try:
            return invoke(ctx)
        except (sa_exc.OperationalError, sa_exc.ProgrammingError) as error:
            if not schema_is_missing(error):
                raise
            raise click.ClickException(SCHEMA_MISSING) from error

    command.invoke = guarded
    command._schema_guarded = True
    return command


def register(app: Flask) -> None:
    from app.commands import accounts, assessments, demo, notifications, questionnaires, scores

    for module in (accounts, assessments, demo, notifications, questionnaires, scores):
        for command in module.COMMANDS:
            app.cli.add_command(_guard_schema(command))
