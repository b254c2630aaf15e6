"""The analysts' review: flag questions, return, validate."""
from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from app.review import routes  # noqa: E402,F401  (registers the views)
