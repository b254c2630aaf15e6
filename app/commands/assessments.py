"""`flask assessments import FILE --country CC --cycle C --questionnaire ID@VERSION [--submit]`."""
from pathlib import Path

import click
from flask.cli import AppGroup

from app.services import imports
from app.services.assessments import AssessmentError
from app.services.import_files import MAX_FILE_BYTES

assessments_cli = AppGroup("assessments", help="Assessments: import answers from CSV or XLSX.")

DECIMAL_MARKS = {"comma": ",", "point": "."}
MISSING = {"unanswered": "not answered", "evidence": "evidence required (a link or an attached file)",
           "flag": "open review flag"}


@assessments_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--country", "country_code", required=True, help="ISO alpha-2 code of the country.")
@click.option("--cycle", required=True, help="Assessment cycle, e.g. 2026.")
@click.option("--questionnaire", "label", required=True, help="Questionnaire version as ID@VERSION.")
@click.option("--submit", is_flag=True, help="Submit the assessment after the import (refused if incomplete).")
@click.option("--decimal", "decimal", type=click.Choice(["comma", "point"]),
              help="How to read a number such as 1,500 or 1.500, which is otherwise refused as ambiguous: "
                   "comma = the comma is the decimal mark (1,500 is 1.5; points group thousands); "
                   "point = the point is the decimal mark (1,500 is 1500).")
def import_answers(path: str, country_code: str, cycle: str, label: str, submit: bool, decimal: str | None) -> None:
    """Import answers (columns question_key,value[,comment,evidence_url,not_applicable]); all or nothing."""
    file = Path(path)
    if file.stat().st_size > MAX_FILE_BYTES:
        _fail([f"{path}: the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"])
    try:
        result = imports.import_file(file.name, file.read_bytes(), country_code=country_code, cycle=cycle,
                                     label=label, submit=submit, decimal=DECIMAL_MARKS.get(decimal))
    except imports.ImportInvalid as error:
        _fail([f"{path}: {problem}" for problem in error.problems])
    except imports.NotSubmittable as error:
        _fail([f"{m.question_key} ({m.dimension}): {MISSING.get(m.problem, m.problem)}" for m in error.missing],
              f"cannot submit: {len(error.missing)} problem(s) remain")
    except (imports.ImportRefused, AssessmentError) as error:
        _fail([f"{path}: {error}"])
    a = result.assessment
    click.echo(f"{a.country_code} {a.cycle} {label}: assessment {a.id} {'created' if result.created else 'updated'}; "
               f"{result.changed} answer(s) changed, {result.unchanged} unchanged"
               + ("; submitted" if result.submitted else ""))


def _fail(lines: list[str], headline: str = "") -> None:
    if headline:
        click.echo(headline, err=True)
    for line in lines:
        click.echo(line, err=True)
    click.echo("nothing was imported", err=True)
    raise SystemExit(1)


COMMANDS = (assessments_cli,)
