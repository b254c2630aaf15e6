"""Views of the auth blueprint."""
from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import bp
from app.auth.forms import LoginForm, LogoutForm
from app.extensions import limiter, login_manager
from app.services import accounts


@login_manager.user_loader
def _load_user(user_id: str):
    return accounts.load_user(user_id)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None and user.totp_secret:
            from app.auth.totp_routes import begin_second_factor

            return begin_second_factor(user, request.args.get("next"))
        if user is not None:
            _start_session(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Wrong e-mail or password, or the account is disabled."), "danger")
    return render_template("auth/login.html", form=form)


def _start_session(user) -> None:
    lang = session.get("lang")
    session.clear()  # a fresh session at login: nothing from before survives (session fixation)
    if lang:
        session["lang"] = lang
    login_user(user)
    session.permanent = True
    session["last_seen"] = datetime.now(timezone.utc).timestamp()


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.index")


@bp.route("/logout", methods=["POST"])
def logout():
    if LogoutForm().validate_on_submit():
        logout_user()
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))
