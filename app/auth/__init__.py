"""Logging in and out, and the second factor."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import account_routes, routes, totp_routes  # noqa: E402,F401  (registers the views)
