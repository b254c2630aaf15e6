"""`flask questionnaires validate | load | list | diff`."""
from pathlib import Path

import click
from flask.cli import AppGroup

import scoring
from app.services import questionnaires
from scoring.diff import report

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


@questionnaires_cli.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
def diff(old: str, new: str) -> None:
    """Questions added, removed, renamed and changed from OLD to NEW (paths or ID@VERSION).

    Exit 1 when a question of OLD is missing from NEW and NEW's supersedes neither renames nor drops it.
    """
    try:
        before = _questionnaire(old)
        after = _questionnaire(new, before)
    except scoring.QuestionnaireError as error:
        for issue in error.issues:
            click.echo(str(issue), err=True)
        raise SystemExit(2) from error
    result = scoring.diff(before, after)
    for line in report(result):
        click.echo(line)
    if not result.ok:
        raise SystemExit(1)


def _questionnaire(argument: str, previous: scoring.Questionnaire | None = None) -> scoring.Questionnaire:
    """A questionnaire from a file or a loaded version; NEW's crosswalk is checked against OLD when it names it."""
    def resolve(questionnaire_id: str, version: str) -> scoring.Questionnaire | None:
        return previous if (previous.id, previous.version) == (questionnaire_id, version) else None

    path = Path(argument)
    if path.is_file():
        text = path.read_text(encoding="utf-8-sig")
        parsed = scoring.load_text(text, argument)  # without a resolver, the crosswalk is not checked
        if previous is not None and parsed.supersedes and parsed.supersedes.version == previous.version:
            parsed = scoring.load_text(text, argument, resolve)
        return parsed
    if "@" in argument:
        version = questionnaires.find_by_label(argument)
        if version is not None:
            return questionnaires.parsed(version)
    raise click.ClickException(f"{argument} is neither a questionnaire file nor a loaded version (ID@VERSION)")


COMMANDS = (questionnaires_cli,)
