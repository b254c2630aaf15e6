"""The KPI trends tab: a number question's values per country over cycles, chart and table."""
from __future__ import annotations

from dataclasses import replace

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import charts_kpis
from app.charts import plain
from app.dashboard import bp, pages
from app.i18n import current_language, localised
from app.models import User
from app.services import dashboard_kpis
from app.services.dashboard import Filters


def kpi_page(user: User, filters: Filters, lang: str, key: str | None) -> dict:
    """The KPIs of the questionnaire, the chosen one (default: the first) and its values over cycles."""
    context = pages._base(user, filters, lang)
    context.update(kpis=[], kpi=None)
    if context["version"] is None:
        return context
    questionnaire_id = context["version"].questionnaire_id
    newest, found = dashboard_kpis.kpis(questionnaire_id)
    chosen = next((q for q in found if q.key == key), found[0] if found else None)
    context.update(kpis=found, kpi=chosen)
    if chosen is None:
        return context
    points = dashboard_kpis.kpi_points(user, replace(context["filters"], cycle=None), questionnaire_id,
                                       chosen.key, lang)
    cycles = sorted({p.cycle for p in points})
    table: dict[str, dict] = {}
    for p in points:
        table.setdefault(p.country_name, {})[p.cycle] = p
    caption = f"{localised(newest.title, lang)} · {plain(localised(chosen.text, lang))}"
    context.update(points=points, cycles=cycles, table=table, unit=localised(chosen.unit, lang),
                   bands=charts_kpis.band_lines(chosen),
                   kpi_chart=charts_kpis.kpi_trend(points, chosen, lang, _("KPI over cycles"), caption))
    return context


@bp.route("/kpis")
@login_required
def kpis():
    """KPI trends: values of number questions per country over cycles."""
    return render_template("dashboard/kpis.html", **kpi_page(current_user, Filters.from_args(request.args),
                                                              current_language(),
                                                              (request.args.get("kpi") or "").strip()[:100] or None))
