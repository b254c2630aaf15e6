"""The country report for management: one print-ready page per country and cycle (A4, both languages)."""
from __future__ import annotations

from dataclasses import replace

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import charts
from app.dashboard import bp, pages
from app.dashboard.routes import country_or_404
from app.i18n import current_language, localised
from app.labels import dimension_titles
from app.models import Country, User
from app.services import dashboard as service
from app.services import dashboard_kpis
from app.services.countries import EEU_MEMBERS
from app.services.dashboard import Filters
from app.services.dashboard_average import average

#: the radar is drawn at a fixed size that fits the printable width of A4 (180 mm at 96 dpi = 680 px)
RADAR_SIZE = {"width": 660, "height": 520}


def report(user: User, country: Country, filters: Filters, lang: str) -> dict:
    """Headline, weakest dimensions, radar against the EEU average, levels and evidence, the way to the
    next level, measures and KPIs of the country's assessment in the filtered cycle (default: its latest)."""
    context = pages.profile(user, country, filters, lang)
    found = context.get("profile")
    if found is None or found.assessment is None:
        return context
    assessment, questionnaire = found.assessment, found.questionnaire
    version = assessment.questionnaire_version
    others = service.comparison(user, replace(context["filters"], cycle=assessment.cycle, countries=EEU_MEMBERS),
                                version, lang)
    keys = [d.key for d in questionnaire.dimensions]
    mean = average(others, keys + [service.OVERALL]) if others else None
    label = _("EEU average (mean of the %(count)d countries shown)", count=len(others))
    own = [s for s in service.comparison(user, replace(context["filters"], cycle=assessment.cycle,
                                                       countries=(country.code,)), version, lang)]
    radar = charts.radar(own, questionnaire, lang, "index", _("Dimension index (0–100)"),
                         f"{country.name(lang)} · {assessment.cycle}", mean, label)
    radar["layout"].update(RADAR_SIZE)
    radar["config"].update(responsive=False, displayModeBar=False, staticPlot=True)
    overall = found.rows.get(service.OVERALL)
    context.update(radar_report=radar, average=mean, average_label=label, overall=overall,
                   weakest=dimension_titles(questionnaire, overall.weakest_dimensions or []) if overall else "",
                   kpi_rows=_kpis(user, context["filters"], country, assessment, lang),
                   stage_names=" → ".join(localised(s.label, lang) for s in questionnaire.stages))
    return context


def _kpis(user: User, filters: Filters, country: Country, assessment, lang: str) -> list[dict]:
    """Each KPI's values of this country over cycles up to the report's cycle, and the change from the one before."""
    _newest, kpis = dashboard_kpis.kpis(assessment.questionnaire_id)
    rows = []
    for question in kpis:
        points = [p for p in dashboard_kpis.kpi_points(user, replace(filters, cycle=None, countries=(country.code,)),
                                                       assessment.questionnaire_id, question.key, lang)
                  if p.cycle <= assessment.cycle]
        if points:
            change = points[-1].value - points[-2].value if len(points) > 1 else None
            rows.append({"text": localised(question.text, lang), "unit": localised(question.unit, lang),
                         "points": points, "change": change})
    return rows


@bp.route("/country/<code>/report")
@login_required
def country_report(code: str):
    """The print-ready country report (A4)."""
    return render_template("dashboard/report.html",
                           **report(current_user, country_or_404(code), Filters.from_args(request.args),
                                    current_language()))
