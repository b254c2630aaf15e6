"""`flask demo seed`."""
import click
from flask.cli import AppGroup

from app.services import demo, demo_cycles

demo_cli = AppGroup("demo", help="Illustrative demo data.")


@demo_cli.command("seed")
def seed() -> None:
    """Create demo accounts and assessments for the five EEU members, an analyst and an admin (idempotent)."""
    created = demo.seed_accounts()
    click.echo(f"demo accounts: {len(created)} created")
    created_assessments = demo.seed_assessments()
    click.echo(f"demo assessments: {created_assessments} created")
    click.echo(f"demo cycles: {demo_cycles.seed_cycles()} opened")
    if not demo.has_demo_questionnaire():
        click.echo("no published digital-customs-maturity questionnaire is loaded: run "
                   "`flask questionnaires load questionnaires/*/*.yaml` first for demo assessments")
    click.echo(f"Log in at http://127.0.0.1:5000 as, for example, am.coordinator@{demo.DEMO_DOMAIN}, "
               f"analyst@{demo.DEMO_DOMAIN} or admin@{demo.DEMO_DOMAIN}")
    click.echo(f"Every demo account has the password: {demo.DEMO_PASSWORD}")


COMMANDS = (demo_cli,)
