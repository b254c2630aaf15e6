"""Second-factor views: the code step of the login, and enrolment on the account security page."""
from datetime import datetime, timezone

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import bp
from app.auth.forms import TotpForm
from app.extensions import limiter
from app.models import User
from app.redirects import safe_next
from app.services import accounts, throttle, totp

PENDING_SECONDS = 300
OPEN_ENDPOINTS = {"auth.security", "auth.logout", "auth.login", "auth.verify", "auth.change_password", "static",
                  "bootstrap.static", "main.set_language", "main.healthz"}


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login/verify", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def verify():
    user = _pending_user()
    if user is None:
        flash(_("Please log in to open this page."), "info")
        return redirect(url_for("auth.login"))
    form = TotpForm()
    if form.validate_on_submit():
        from app.auth.routes import locked_message, start_session

        try:
            throttle.count_attempt(user.email)
        except throttle.AccountLocked as locked:
            accounts.record_failed_second_factor(user, locked=locked.until)
            flash(locked_message(locked), "danger")
            return render_template("auth/verify.html", form=form), 429
        if totp.verify_login(user, form.code.data):
            target = session.get("pending_next")
            start_session(user)
            return redirect(safe_next(target, url_for("main.index")))
        accounts.record_failed_second_factor(user)
        flash(_("The code is not valid. Enter the current 6-digit code from your authenticator app."), "danger")
    return render_template("auth/verify.html", form=form)


def begin_second_factor(user: User, next_url: str | None):
    """After a correct password: remember who is half logged in, and ask for the code."""
    from app.auth.routes import keep_language_only

    keep_language_only()
    session["pending_user"] = user.get_id()
    session["pending_since"] = datetime.now(timezone.utc).timestamp()
    session["pending_next"] = next_url
    return redirect(url_for("auth.verify"))


def _pending_user() -> User | None:
    since = session.get("pending_since", 0)
    if datetime.now(timezone.utc).timestamp() - since > PENDING_SECONDS:
        return None
    user = accounts.load_user(session.get("pending_user", ""))
    return user if user is not None and user.active else None


@bp.route("/account/security", methods=["GET", "POST"])
@login_required
def security():
    form = TotpForm()
    if current_user.totp_secret:
        if form.validate_on_submit():
            try:  # guessing codes from a stolen session meets the per-account guard too
                throttle.count_attempt(current_user.email)
            except throttle.AccountLocked as locked:
                from app.auth.routes import locked_message

                flash(locked_message(locked), "danger")
                return redirect(url_for("auth.security"))
            if totp.disable(accounts.get_user(current_user.id), form.code.data):
                flash(_("The second factor was turned off."), "info")
                return redirect(url_for("auth.security"))
            flash(_("The second factor could not be turned off: the code is wrong or the second factor is mandatory for your role."), "danger")
        return render_template("auth/security.html", form=form, enabled=True, required=totp.required_for(current_user))
    secret = session.get("totp_enrol") or totp.new_secret()
    session["totp_enrol"] = secret
    if form.validate_on_submit():
        if totp.enable(accounts.get_user(current_user.id), secret, form.code.data):
            session.pop("totp_enrol", None)
            flash(_("The second factor is on. From now on you log in with a code from your authenticator app."), "success")
            return redirect(url_for("main.index"))
        flash(_("The code is not valid. Enter the current 6-digit code from your authenticator app."), "danger")
    return render_template("auth/security.html", form=form, enabled=False, secret=secret,
                           qr=totp.qr_data_uri(current_user, secret), required=totp.required_for(current_user))


@bp.before_app_request
def _require_second_factor():
    """Staff for whom the second factor is mandatory must enrol before doing anything else."""
    if (current_user.is_authenticated and not current_user.totp_secret and totp.required_for(current_user)
            and request.endpoint not in OPEN_ENDPOINTS):
        flash(_("Your role requires a second factor. Set it up to continue."), "warning")
        return redirect(url_for("auth.security"))
    return None
