"""The Excel round trip: download an assessment as a workbook, upload a filled one, preview, apply."""
from flask import Blueprint

bp = Blueprint("transfer", __name__)

from app.transfer import routes  # noqa: E402,F401  (registers the views)
