"""The roadmap measures tracker tab: measures x countries, a cell's criteria, the measures.csv link."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import charts_measures
from app.dashboard import bp, pages
from app.i18n import current_language, localised
from app.models import User
from app.services import dashboard_measures
from app.services.dashboard import Filters


def tracker(user: User, filters: Filters, lang: str, measure_id: str | None, country: str | None) -> dict:
    """The matrix of the chosen version and cycle, and the criteria of one cell when one is asked for."""
    context = pages._base(user, filters, lang)
    context.update(matrix=None, detail=None)
    if context["version"] is None or not context["questionnaire"].measures:
        return context
    questionnaire, filters = context["questionnaire"], context["filters"]
    found = dashboard_measures.matrix(user, filters, context["version"], lang)
    caption = pages._caption(context, filters.cycle)
    context.update(matrix=found, figure=charts_measures.measure_matrix(
        found, questionnaire, lang, _("Roadmap measures by country"), caption))
    series = next((s for s in found.series if s.country_code == country), None)
    measure = next((m for m in questionnaire.measures if m.id == measure_id), None)
    if series is not None and measure is not None:
        rows, shown = dashboard_measures.criteria(user, series, questionnaire, measure.id)
        context["detail"] = {"measure": measure, "series": series, "cell": found.cell(measure.id, series.country_code),
                             "criteria": [_criterion(questionnaire, c, lang) for c in rows], "answers_shown": shown}
    return context


def _criterion(questionnaire, c: dashboard_measures.Criterion, lang: str) -> dict:
    question = c.question
    if c.not_applicable:
        answer = _("Not applicable")
    elif c.hidden:
        answer = _("Not shown (its condition is not met)")
    else:
        answer = pages.answer_label(question, {"value": c.value, "not_answered": c.value is None}, lang)
    dimension = next(d for d in questionnaire.dimensions if d.key == question.dimension)
    stage = next((s for s in questionnaire.stages if s.key == question.stage), None)
    return {"key": question.key, "text": localised(question.text, lang), "dimension": localised(dimension.title, lang),
            "stage": localised(stage.label, lang) if stage else "", "weight": question.weight,
            "answer": answer, "share": c.share}


@bp.route("/measures")
@login_required
def measures():
    """Roadmap measures tracker: status and attainment of every measure per country."""
    args = request.args
    context = tracker(current_user, Filters.from_args(args), current_language(),
                      (args.get("measure") or "").strip()[:40] or None,
                      (args.get("cell") or "").strip().upper()[:2] or None)
    return render_template("dashboard/measures.html", **context)
