"""Analyst dashboards: comparison, heatmap, trends, cycle overview, country profile."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

from app.dashboard import assets, kpis, measures, report, routes  # noqa: E402,F401  (registers the views)
