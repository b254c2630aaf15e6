"""`flask scores recompute` and `flask scores export` (DESIGN.md §5)."""
import sys

import click
from flask.cli import AppGroup

from app.exports import formats
from app.services import exports, scores
from app.services.dashboard import STATUS_FILTERS, Filters

scores_cli = AppGroup("scores", help="Scores: recompute them from the answers, export them.")


@scores_cli.command("recompute")
def recompute() -> None:
    """Rescore every assessment with the current scoring engine."""
    count = scores.recompute_all()
    click.echo(f"rescored {count} assessments")


@scores_cli.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: standard output; required for xlsx).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True,
              help="csv: one table (see --table); xlsx: a workbook with scores, answers and questionnaire sheets.")
@click.option("--lang", type=click.Choice(["en", "ru"]), default="en", show_default=True,
              help="Language of labels (level, dimension, answer and country names).")
@click.option("--status", type=click.Choice(STATUS_FILTERS), default="validated", show_default=True,
              help="validated; submitted = submitted and validated; all = every status, drafts included.")
@click.option("--questionnaire", "label", metavar="ID@VERSION", help="Only this questionnaire version.")
@click.option("--table", type=click.Choice(["scores", "answers", "measures"]), default="scores", show_default=True,
              help="For csv: scores.csv, answers.csv or measures.csv.")
def export(output: str | None, fmt: str, lang: str, status: str, label: str | None, table: str) -> None:
    """Export scores (or answers) as CSV, or everything as an XLSX workbook; the same data as the web export."""
    filters = Filters(questionnaire=label, status=status, lang=lang)
    try:
        exports.versions_in_scope(None, filters)  # refuses an unknown questionnaire before writing anything
        if fmt == "xlsx":
            _write_xlsx(filters, lang, output)
        else:
            _write_csv(filters, lang, output, table)
    except exports.ExportError as error:
        raise click.ClickException(str(error)) from error


TABLES = {"scores": exports.score_rows, "answers": exports.answer_rows, "measures": exports.measure_rows}


def _write_csv(filters: Filters, lang: str, output: str | None, table: str) -> None:
    rows = TABLES[table](None, filters, lang)
    if output is None:
        for chunk in formats.csv_chunks(rows):
            sys.stdout.write(chunk)
        return
    counter = _Counter(rows)
    with open(output, "w", encoding="utf-8", newline="") as handle:
        for chunk in formats.csv_chunks(counter):
            handle.write(chunk)
    click.echo(f"{table}: {max(counter.count - 1, 0)} rows written to {output}", err=True)


class _Counter:
    """Passes rows through and counts them (the header included)."""

    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def _write_xlsx(filters: Filters, lang: str, output: str | None) -> None:
    if output is None:
        raise click.UsageError("--format xlsx needs -o FILE")
    formats.write_xlsx(None, filters, lang, output)
    click.echo(f"workbook written to {output}", err=True)


COMMANDS = (scores_cli,)
