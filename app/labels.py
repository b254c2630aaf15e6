"""Translated labels for the fixed vocabularies: roles and statuses."""
from flask import Flask
from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "respondent": _l("Respondent"),
    "coordinator": _l("Coordinator"),
    "analyst": _l("Analyst"),
    "admin": _l("Administrator"),
}

STATUS_LABELS = {
    "not_started": _l("Not started"),
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "returned": _l("Returned"),
    "validated": _l("Validated"),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def register(app: Flask) -> None:
    app.jinja_env.globals.update(role_label=role_label, status_label=status_label)
