"""Views of the dashboards: parse the URL filters, ask pages.py, render."""
from flask import abort, render_template, request
from flask_login import current_user, login_required

from app.dashboard import bp, pages
from app.dashboard.assets import plotly_version
from app.dashboard.formats import FORMATS
from app.i18n import current_language
from app.models import Country
from app.services import countries
from app.services.dashboard import Filters


@bp.context_processor
def _assets() -> dict:
    return {"plotly_version": plotly_version(), **FORMATS}


def country_or_404(code: str) -> Country:
    """The country with this ISO alpha-2 code (any case) for a dashboard page; 404 when there is none."""
    found = countries.get(code)
    if found is None:
        abort(404)
    return found


def _filters() -> Filters:
    return Filters.from_args(request.args)


@bp.route("/")
@login_required
def index():
    """Comparison: radar chart and level heatmap."""
    return render_template("dashboard/comparison.html",
                           **pages.comparison(current_user, _filters(), current_language()))


@bp.route("/trends")
@login_required
def trends():
    return render_template("dashboard/trends.html", **pages.trends(current_user, _filters(), current_language()))


@bp.route("/overview")
@login_required
def overview():
    """Cycle overview: every country's status and completeness."""
    return render_template("dashboard/overview.html",
                           **pages.overview(current_user, _filters(), current_language()))


@bp.route("/country/<code>")
@login_required
def country(code: str):
    """Country profile: stage ladder, roadmap, completeness, status, history."""
    return render_template("dashboard/profile.html",
                           **pages.profile(current_user, country_or_404(code), _filters(), current_language()))
