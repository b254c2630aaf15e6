"""The account page: the user's active sessions, and changing one's own password."""
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import bp
from app.auth.forms import ChangePasswordForm, SessionActionForm
from app.auth.routes import SESSION_TOKEN, start_session
from app.models import User
from app.services import accounts, sessions

#: where a user who must change a temporary password may still go
OPEN_WHILE_MUST_CHANGE = {"auth.change_password", "auth.logout", "auth.security", "static", "bootstrap.static",
                          "main.set_language", "main.healthz"}


@bp.route("/account")
@login_required
def account():
    token = session.get(SESSION_TOKEN)
    rows = [(row, sessions.is_current(row, token)) for row in sessions.active(current_user)]
    return render_template("auth/account.html", sessions=rows, action_form=SessionActionForm())


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    if SessionActionForm().validate_on_submit():
        if sessions.end_one(current_user, session_id):
            flash(_("The session was ended."), "info")
        else:
            flash(_("This session had already ended."), "warning")
    return redirect(url_for(".account"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    if SessionActionForm().validate_on_submit():
        count = accounts.end_other_sessions(_me(), session.get(SESSION_TOKEN))
        flash(_("Sessions ended: %(count)d.", count=count), "info")
    return redirect(url_for(".account"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            me = _me()
            accounts.change_password(me, form.current_password.data, form.new_password.data)
            start_session(me)
            flash(_("Your password was changed. Your other sessions were ended."), "success")
            return redirect(url_for(".account"))
        except accounts.AccountError as error:
            flash(str(error), "danger")
    return render_template("auth/change_password.html", form=form,
                           forced=current_user.must_change_password)


def _me() -> User:
    return accounts.get_user(current_user.id)


@bp.before_app_request
def _require_new_password():
    """A user who logged in with a temporary password chooses their own before doing anything else."""
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in OPEN_WHILE_MUST_CHANGE):
        flash(_("You logged in with a temporary password. Choose your own password to continue."), "warning")
        return redirect(url_for("auth.change_password"))
    return None
