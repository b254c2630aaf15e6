"""The in-app notification list, the navbar bell and the notification preferences."""
from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from app.notifications import routes  # noqa: E402,F401  (registers the views)
