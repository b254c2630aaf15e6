"""Security headers, the end of server-side sessions, and audited CSRF and rate-limit refusals."""
from flask import Flask, Response, current_app, flash, g, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, TooManyRequests

from app import audit
from app.extensions import db
from app.services import sessions

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    # blob: lets plotly.js turn a chart into a PNG for download (it draws the chart's SVG from a blob: URL
    # onto a canvas); blob: URLs are made only by our own scripts, which script-src keeps to 'self'.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def register(app: Flask) -> None:
    app.before_request(_end_refused_session)
    app.after_request(_add_headers)
    app.register_error_handler(CSRFError, _csrf_refused)
    app.register_error_handler(TooManyRequests, _audited_refusal("rate_limit.refused"))


def _end_refused_session():
    """Tell the user why their session ended (idle, absolute limit, logged out elsewhere) and ask them to log in.

    The user loader (app.auth.routes) checks the server-side session record and leaves the reason in g.
    """
    current_user.is_authenticated  # noqa: B018  (loads the user, which checks the session record)
    reason = g.pop("session_ended", None)
    if reason is None:
        return None
    from app.auth.routes import keep_language_only

    keep_language_only()
    message = _ended_message(reason)
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(error=message), 401
    flash(message, "warning")
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


def _ended_message(reason: str) -> str:
    config = current_app.config
    if reason == sessions.IDLE:
        minutes = int(config["IDLE_TIMEOUT"].total_seconds() // 60)
        return ngettext("Your session ended after %(num)d idle minute. Please log in again.",
                        "Your session ended after %(num)d idle minutes. Please log in again.", minutes)
    if reason == sessions.ABSOLUTE:
        hours = int(config["SESSION_MAX_AGE"].total_seconds() // 3600)
        return ngettext("Your session ended after %(num)d hour, the longest a session lasts. Please log in again.",
                        "Your session ended after %(num)d hours, the longest a session lasts. Please log in again.",
                        hours)
    return _("Your session has ended (logged out, password changed, or ended from another device or by an "
             "administrator). Please log in again.")


def _audited_refusal(action: str):
    """An error handler that records the refusal in the audit log, then shows the usual error page."""
    def handle(error: HTTPException):
        try:
            db.session.rollback()
            audit.record(action, target=f"{request.method} {request.path}"[:500],
                         after={"code": error.code, "reason": str(error.description)[:200]})
            db.session.commit()
        except SQLAlchemyError:  # the refusal stands even when it cannot be recorded
            db.session.rollback()
            current_app.logger.exception("could not record %s", action)
        from app.errors import _handle_http

        return _handle_http(error)
    return handle


def _csrf_refused(error: CSRFError):
    """A refused form token is audited; an autosave (JSON) gets 401, since its session or page is out of date:
    the browser keeps the edit and asks for a new login, as for an ended session (DESIGN §6, nothing lost)."""
    response = _audited_refusal("csrf.refused")(error)
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(error=_("Not saved: your session has ended. Log in again and reopen this page; "
                               "your changes are kept in this browser.")), 401
    return response


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint not in ("static", "bootstrap.static"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response
