"""`flask countries ...` and `flask users ...`."""
import os

import click
from flask.cli import AppGroup

from app.services import accounts, countries
from app.vocabulary import Role

countries_cli = AppGroup("countries", help="ISO 3166 countries and their groups.")
users_cli = AppGroup("users", help="User accounts.")


@countries_cli.command("sync")
def sync_countries() -> None:
    """Load or update all ISO 3166-1 countries with English and Russian names."""
    changed = countries.sync_countries()
    click.echo(f"countries: {changed} added or updated")


@users_cli.command("create")
@click.option("--email", required=True, help="Login e-mail address.")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]), help="The user's role.")
@click.option("--country", "country_code", help="ISO alpha-2 code; required for national roles.")
@click.option("--name", default="", help="Display name (defaults to the e-mail).")
def create_user(email: str, role: str, country_code: str | None, name: str) -> None:
    """Create a user; the password comes from USER_PASSWORD or a prompt."""
    password = os.environ.get("USER_PASSWORD") or click.prompt("Password", hide_input=True,
                                                               confirmation_prompt=True)
    try:
        user = accounts.create_user(email=email, name=name or email, role=role, password=password,
                                    country_code=country_code)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"created {user.role} {user.email}" + (f" ({user.country_code})" if user.country_code else ""))


COMMANDS = (countries_cli, users_cli)
