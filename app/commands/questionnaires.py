"""`flask questionnaires validate | load | list`."""
import click
from flask.cli import AppGroup

import scoring
from app.services import questionnaires

questionnaires_cli = AppGroup("questionnaires", help="Questionnaire versions (the methodology as data).")


@questionnaires_cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(paths: tuple[str, ...]) -> None:
    """Check questionnaire files; exit 1 with precise messages."""
    issues = questionnaires.validate_paths(list(paths))
    for issue in issues:
        click.echo(str(issue), err=True)
    if issues:
        raise SystemExit(1)
    click.echo(f"{len(paths)} file(s) valid")


@questionnaires_cli.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
def load(paths: tuple[str, ...]) -> None:
    """Validate and store questionnaire files (idempotent; a changed published version is refused)."""
    try:
        results = questionnaires.load_paths(list(paths))
    except scoring.QuestionnaireError as error:
        for issue in error.issues:
            click.echo(str(issue), err=True)
        raise SystemExit(1) from error
    except questionnaires.QuestionnaireRefused as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from error
    for result in results:
        click.echo(f"{result.label}: {result.outcome} ({result.path})")


@questionnaires_cli.command("list")
def list_versions() -> None:
    """Loaded versions with their status and sha256."""
    versions = questionnaires.list_versions()
    if not versions:
        click.echo("no questionnaire loaded")
    for v in versions:
        click.echo(f"{v.label}\t{v.status}\t{v.sha256}\t{v.loaded_at:%Y-%m-%d %H:%M}\t{v.title.get('en', '')}")


COMMANDS = (questionnaires_cli,)
