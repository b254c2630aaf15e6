"""`flask demo seed`."""
import click
from flask.cli import AppGroup

from app.services import demo

demo_cli = AppGroup("demo", help="Illustrative demo data.")


@demo_cli.command("seed")
def seed() -> None:
    """Create demo accounts and assessments for the five EEU members, an analyst and an admin (idempotent)."""
    created = demo.seed_accounts()
    click.echo(f"demo accounts: {len(created)} created")
    click.echo(f"demo assessments: {demo.seed_assessments()} created (load the questionnaires first)")
    click.echo(f"Log in at http://127.0.0.1:5000 as, for example, am.coordinator@{demo.DEMO_DOMAIN}, "
               f"analyst@{demo.DEMO_DOMAIN} or admin@{demo.DEMO_DOMAIN}")
    click.echo(f"Every demo account has the password: {demo.DEMO_PASSWORD}")


COMMANDS = (demo_cli,)
