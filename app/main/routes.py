"""Views of the main blueprint."""
from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.main import bp
from app.services import accounts, cycles, workflow


@bp.route("/")
@login_required
def index():
    return render_template("main/index.html", waiting=workflow.needs_action(current_user),
                           due=cycles.due(current_user))


@bp.route("/language/<lang>", methods=["POST"])
def set_language(lang: str):
    if lang not in current_app.config["LANGUAGES"] or not FlaskForm().validate_on_submit():
        abort(400)
    session["lang"] = lang
    accounts.set_language(current_user, lang)
    return redirect(_back())


def _back() -> str:
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.index")
