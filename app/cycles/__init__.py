"""Assessment cycles: list, open, close (analysts and administrators)."""
from flask import Blueprint

bp = Blueprint("cycles", __name__, url_prefix="/cycles")

from app.cycles import routes  # noqa: E402,F401  (registers the views)
