"""Security headers, idle timeout and refused-access auditing on every request."""
from datetime import datetime, timezone

from flask import Flask, Response, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

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

LAST_SEEN_STEP = 60  # seconds

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def register(app: Flask) -> None:
    app.before_request(_enforce_idle_timeout)
    app.after_request(_add_headers)


def _enforce_idle_timeout():
    """Log out a session that has been idle longer than IDLE_TIMEOUT."""
    if not current_user.is_authenticated:
        return None
    from flask import current_app

    now = datetime.now(timezone.utc).timestamp()
    last_seen = session.get("last_seen", now)
    if now - last_seen > current_app.config["IDLE_TIMEOUT"].total_seconds():
        logout_user()
        session.clear()
        flash(_("Your session expired after a period of inactivity. Please log in again."), "warning")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    # Rewrite the signed session cookie only when the idle clock moves by a minute or more: a 30-minute
    # limit needs no finer clock, and an unchanged session is not re-signed and re-sent on every response.
    if now - last_seen >= LAST_SEEN_STEP or "last_seen" not in session:
        session["last_seen"] = now
    if not session.permanent:
        session.permanent = True
    return None


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint not in ("static", "bootstrap.static"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response
