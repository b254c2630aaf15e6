"""Administration: user accounts and the loaded questionnaire versions."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.admin import routes  # noqa: E402,F401  (registers the views)
