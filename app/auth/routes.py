"""Views of the auth blueprint: logging in and out."""
from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import bp
from app.auth.forms import LoginForm, LogoutForm
from app.web_extensions import limiter, login_manager
from app.redirects import safe_next
from app.services import accounts, sessions, throttle

#: the session key of the server-side session token (app.services.sessions)
SESSION_TOKEN = "sid"


@login_manager.user_loader
def _load_user(user_id: str):
    """The user of this request's cookie, if its server-side session is still valid."""
    token = session.get(SESSION_TOKEN)
    user, row = accounts.load_user_and_session(user_id, token)
    ended = sessions.resume(user, token, row)
    if ended is not None:
        g.session_ended = ended
        return None
    g.language_unset = user.language is None  # read now: after a commit it would reload the user
    return user


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except throttle.AccountLocked as locked:
            flash(locked_message(locked), "danger")
            return render_template("auth/login.html", form=form), 429
        if user is not None and user.totp_secret:
            from app.auth.totp_routes import begin_second_factor

            return begin_second_factor(user, request.args.get("next"))
        if user is not None:
            start_session(user)
            return redirect(safe_next(request.args.get("next"), url_for("main.index")))
        flash(_("Wrong e-mail or password, or the account is disabled."), "danger")
    return render_template("auth/login.html", form=form)


def locked_message(locked: throttle.AccountLocked) -> str:
    return _("Too many failed logins for this account. Try again after %(time)s UTC, or ask an administrator "
             "to lift the lock.", time=locked.until.strftime("%Y-%m-%d %H:%M"))


def start_session(user) -> None:
    """Log the user in with a fresh cookie session and a new server-side session record."""
    keep_language_only()  # nothing from before the login survives (session fixation)
    login_user(user)
    session.permanent = True
    session[SESSION_TOKEN] = sessions.start(user)


def keep_language_only() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


@bp.route("/logout", methods=["POST"])
def logout():
    if LogoutForm().validate_on_submit():
        sessions.end(session.get(SESSION_TOKEN), sessions.LOGOUT)
        logout_user()
        keep_language_only()
        flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))
