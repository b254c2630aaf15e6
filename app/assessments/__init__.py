"""Filling in assessments: lists, sections, autosave, evidence, submission, history."""
from flask import Blueprint

bp = Blueprint("assessments", __name__, url_prefix="/assessments")

from app.assessments import routes, answers_api  # noqa: E402,F401  (registers the views)
