"""Views of the exports: the filter page and the streamed downloads."""
import re
from dataclasses import replace

from flask import Response, abort, render_template, request, stream_with_context
from flask_login import current_user, login_required

from app.i18n import current_language
from scoring.flags import parse_bool
from app.services import exports
from app.exports import bp
from app.services import export_formats as formats
from app.services.dashboard import Filters, allowed_statuses, versions_with_data


def _filters() -> Filters:
    filters = Filters.from_args(request.args)
    if filters.status not in allowed_statuses(current_user):
        filters = replace(filters, status=Filters.status)
    return filters


def _lang(filters: Filters) -> str:
    return filters.lang or current_language()


@bp.route("/")
@login_required
def index():
    """The export filters and the download links."""
    filters = _filters()
    return render_template("exports/index.html", filters=filters, lang=_lang(filters),
                           versions=versions_with_data(current_user, filters),
                           statuses=allowed_statuses(current_user),
                           cycles=exports.cycles_in_scope(current_user, filters),
                           countries=exports.countries_in_scope(current_user, filters))


def download_name(table: str, filters: Filters, extension: str) -> str:
    """What the file holds, in its name: scores_digital-customs-maturity-2026.1_2026_AM-BY_validated.csv.

    Parts: the table, the questionnaire version (or all-questionnaires), the cycle (or all-cycles), the
    countries (or all-countries) and the status filter; only [A-Za-z0-9._-] survive, so the name is safe
    in a Content-Disposition header on every system.
    """
    parts = [table, (filters.questionnaire or "all-questionnaires").replace("@", "-"),
             filters.cycle or "all-cycles", "-".join(filters.countries) or "all-countries", filters.status]
    safe = [re.sub(r"[^A-Za-z0-9.-]+", "-", part).strip("-.") or "x" for part in parts]
    return "_".join(safe)[:150] + "." + extension


def _download(name: str, rows) -> Response:
    """A streamed CSV file; with a byte-order mark unless ?bom=0 (or no/false: for tools that do not expect one)."""
    bom = parse_bool(request.args.get("bom")) is not False
    response = Response(stream_with_context(formats.csv_chunks(rows, bom=bom)),
                        content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _checked(kind: str) -> Filters:
    filters = _filters()
    try:
        exports.record_export(current_user, kind, filters)
    except exports.ExportError:
        abort(400)
    return filters


@bp.route("/scores.csv")
@login_required
def scores_csv():
    filters = _checked("scores.csv")
    return _download(download_name("scores", filters, "csv"), exports.score_rows(current_user, filters, _lang(filters)))


@bp.route("/answers.csv")
@login_required
def answers_csv():
    filters = _checked("answers.csv")
    return _download(download_name("answers", filters, "csv"), exports.answer_rows(current_user, filters, _lang(filters)))


@bp.route("/measures.csv")
@login_required
def measures_csv():
    filters = _checked("measures.csv")
    return _download("measures.csv", exports.measure_rows(current_user, filters, _lang(filters)))


@bp.route("/workbook.xlsx")
@login_required
def workbook():
    """The XLSX is written to a temporary file (write-only mode, constant memory), then streamed."""
    filters = _checked("workbook.xlsx")
    handle = formats.xlsx_file(current_user, filters, _lang(filters))
    response = Response(formats.file_chunks(handle),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f'attachment; filename="{download_name("scores", filters, "xlsx")}"'
    return response
