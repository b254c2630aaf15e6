"""The navigation bar: which links each role sees (only links whose views exist)."""
from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from app.vocabulary import STAFF_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    roles: frozenset[str]


ALL = frozenset(Role)
NAV = (
    NavItem("main.index", _l("Home"), ALL),
    NavItem("assessments.index", _l("Assessments"), ALL),
    NavItem("review.index", _l("Review"), frozenset({Role.ANALYST})),
    NavItem("cycles.index", _l("Cycles"), frozenset(STAFF_ROLES)),
    NavItem("dashboard.index", _l("Dashboards"), ALL),
    NavItem("exports.index", _l("Exports"), ALL),
    NavItem("admin.index", _l("Administration"), frozenset({Role.ADMIN})),
    NavItem("admin.audit_log", _l("Audit log"), frozenset({Role.ANALYST})),  # admins: from the administration page
)


def nav_items() -> list[NavItem]:
    """The links the current user may follow, in menu order."""
    if not current_user.is_authenticated:
        return []
    views = current_app.view_functions
    return [item for item in NAV if current_user.role in item.roles and item.endpoint in views]


def register(app: Flask) -> None:
    app.jinja_env.globals["nav_items"] = nav_items
