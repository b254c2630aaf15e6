"""Views of the main blueprint."""
from flask import abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.main import bp
from app.web_extensions import limiter
from app.redirects import safe_next
from app.services import accounts, cycles, health, workflow


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
    return safe_next(request.form.get("next"), url_for("main.index"))


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """For the load balancer: 200 when the database answers and its schema is at the migrations' head, else 503."""
    report = health.check()
    return jsonify(report), 200 if report["status"] == "ok" else 503
