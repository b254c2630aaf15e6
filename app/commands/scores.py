"""`flask scores recompute` and `flask scores export` (DESIGN.md §5)."""
import sys

import click
from flask.cli import AppGroup

from app.services import export_formats as formats, exports, scores, sensitivity
from app.services.dashboard import STATUS_FILTERS, Filters
from scoring import HIDDEN_RULES
from scoring.sensitivity import thresholds

OVERALL_LEVELS = ("min", "median", "mean_floor")

scores_cli = AppGroup("scores", help="Scores: recompute them from the answers, export them.")


@scores_cli.command("recompute")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=500, show_default=True,
              help="Assessments scored and committed together.")
@click.option("--quiet", is_flag=True, help="No progress lines on standard error.")
def recompute(batch_size: int, quiet: bool) -> None:
    """Rescore every assessment with the current scoring engine, in batches, showing progress."""
    def progress(done: int, total: int) -> None:
        click.echo(f"rescored {done}/{total} assessments", err=True)

    count = scores.recompute_all(batch_size, None if quiet else progress)
    click.echo(f"rescored {count} assessments")


@scores_cli.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: standard output; required for xlsx).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True,
              help="csv: one table (see --table); xlsx: a workbook with scores, answers and questionnaire sheets.")
@click.option("--lang", type=click.Choice(["en", "ru"]), default="en", show_default=True,
              help="Language of labels (level, dimension, answer and country names).")
@click.option("--status", type=click.Choice(STATUS_FILTERS), default=STATUS_FILTERS[0], show_default=True,
              help="validated; submitted = submitted and validated; all = every status, drafts included.")
@click.option("--questionnaire", "label", metavar="ID@VERSION", help="Only this questionnaire version.")
@click.option("--table", type=click.Choice(["scores", "answers", "measures"]), default="scores", show_default=True,
              help="For csv: scores.csv, answers.csv or measures.csv.")
@click.option("--no-bom", "no_bom", is_flag=True,
              help="For csv: no UTF-8 byte-order mark at the start (for tools that do not expect one).")
def export(output: str | None, fmt: str, lang: str, status: str, label: str | None, table: str,
           no_bom: bool) -> None:
    """Export scores (or answers) as CSV, or everything as an XLSX workbook; the same data as the web export."""
    filters = Filters(questionnaire=label, status=status, lang=lang)
    try:
        exports.versions_in_scope(None, filters)  # refuses an unknown questionnaire before writing anything
        if fmt == "xlsx":
            _write_xlsx(filters, lang, output)
        else:
            _write_csv(filters, lang, output, table, bom=not no_bom)
    except exports.ExportError as error:
        raise click.ClickException(str(error)) from error


TABLES = {"scores": exports.score_rows, "answers": exports.answer_rows, "measures": exports.measure_rows}


def _write_csv(filters: Filters, lang: str, output: str | None, table: str, *, bom: bool) -> None:
    rows = TABLES[table](None, filters, lang)
    if output is None:
        for chunk in formats.csv_chunks(rows, bom=bom):
            sys.stdout.write(chunk)
        return
    counter = _Counter(rows)
    with open(output, "w", encoding="utf-8", newline="") as handle:
        for chunk in formats.csv_chunks(counter, bom=bom):
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


@scores_cli.command("sensitivity")
@click.option("--questionnaire", "label", metavar="ID@VERSION", required=True, help="The questionnaire version.")
@click.option("--threshold", "threshold_spec", default="0.6:0.9:0.05", show_default=True,
              help="Stage thresholds: start:stop:step (both ends included) or values separated by commas.")
@click.option("--overall-level", "levels", default=",".join(OVERALL_LEVELS), show_default=True,
              help="Overall-level rules, separated by commas.")
@click.option("--hidden", "hidden", default=",".join(HIDDEN_RULES), show_default=True,
              help="Rules for questions hidden by show_if, separated by commas (applied to every question).")
@click.option("--status", type=click.Choice(STATUS_FILTERS), default=STATUS_FILTERS[0], show_default=True,
              help="validated; submitted = submitted and validated; all = every status, drafts included.")
def sensitivity_command(label: str, threshold_spec: str, levels: str, hidden: str, status: str) -> None:
    """Levels of every assessment under each variant of the scoring rules, as CSV on standard output.

    Reads the stored answers and writes nothing: a methodologist's what-if, not a rescoring.
    """
    try:
        values = thresholds(threshold_spec)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--threshold") from error
    level_rules = _choices(levels, OVERALL_LEVELS, "--overall-level")
    hidden_rules = _choices(hidden, HIDDEN_RULES, "--hidden")
    try:
        rows = list(sensitivity.sensitivity_rows(label, values, level_rules, hidden_rules, status))
    except sensitivity.SensitivityError as error:
        raise click.ClickException(str(error)) from error
    for chunk in formats.csv_chunks(rows):
        sys.stdout.write(chunk)


def _choices(text: str, allowed: tuple[str, ...], option: str) -> list[str]:
    values = [v.strip() for v in text.split(",") if v.strip()]
    unknown = [v for v in values if v not in allowed]
    if unknown or not values:
        raise click.BadParameter(f"use one or more of {', '.join(allowed)}, separated by commas",
                                 param_hint=option)
    return list(dict.fromkeys(values))


COMMANDS = (scores_cli,)
