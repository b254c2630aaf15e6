"""Views of the admin blueprint: accounts (administrators) and the audit log (administrators, analysts)."""
from flask import Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app import access
from app.admin import bp
from app.admin.forms import ActionForm, UserForm
from app.i18n import current_language
from app.services import accounts, countries, questionnaires, throttle
from app.services import audit_log as audit_log_service
from app.services.export_formats import csv_chunks
from app.vocabulary import Role


@bp.route("/")
@access.roles_required(Role.ADMIN)
def index():
    return _index_page()


def _index_page(temporary: dict | None = None):
    return render_template("admin/index.html", users=accounts.all_users(), form=_user_form(), action_form=ActionForm(),
                           versions=questionnaires.list_versions(), locks=throttle.locks(), temporary=temporary)


def _user_form() -> UserForm:
    form = UserForm()
    eeu_first = sorted(countries.all_countries(),
                       key=lambda c: (countries.EEU_GROUP not in (c.groups or []), c.name(current_language())))
    form.country.choices = [SelectChoice("", "—")] + [SelectChoice(c.code, c.name(current_language()))
                                                       for c in eeu_first]
    return form


@bp.route("/users", methods=["POST"])
@access.roles_required(Role.ADMIN)
def create_user():
    form = _user_form()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(email=form.email.data, name=form.name.data, role=form.role.data,
                                        password=form.password.data, country_code=form.country.data or None)
            flash(_("The user %(email)s was created.", email=user.email), "success")
        except accounts.AccountError as error:
            flash(str(error), "danger")
    else:
        flash(_("Check the form: %(errors)s", errors="; ".join(str(e) for errs in form.errors.values() for e in errs)),
              "danger")
    return redirect(url_for(".index"))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@login_required
def toggle_active(user_id: int):
    user = access.get_user_to_manage(current_user, user_id)
    if ActionForm().validate_on_submit():
        try:
            accounts.set_active(current_user, user, not user.active)
            flash(_("The account of %(email)s is now %(state)s.", email=user.email,
                    state=_("active") if user.active else _("disabled")), "info")
        except accounts.AccountError as error:
            flash(str(error), "danger")
    return redirect(url_for(".index"))


@bp.route("/users/<int:user_id>/temporary-password", methods=["POST"])
@login_required
def temporary_password(user_id: int):
    user = access.get_user_to_manage(current_user, user_id)
    if ActionForm().validate_on_submit():
        if user.id == current_user.id:
            flash(_("Change your own password on your account page."), "danger")
        else:
            # Shown once, in this response only: never put into the (readable) session cookie or a log.
            password = accounts.set_temporary_password(current_user, user)
            return _index_page({"email": user.email, "password": password})
    return redirect(url_for(".index"))


@bp.route("/users/<int:user_id>/second-factor/reset", methods=["POST"])
@login_required
def reset_second_factor(user_id: int):
    user = access.get_user_to_manage(current_user, user_id)
    if ActionForm().validate_on_submit():
        accounts.reset_second_factor(current_user, user)
        flash(_("The second factor of %(email)s was reset; their sessions were ended.", email=user.email), "info")
    return redirect(url_for(".index"))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@login_required
def unlock(user_id: int):
    user = access.get_user_to_manage(current_user, user_id)
    if ActionForm().validate_on_submit():
        accounts.lift_lock(current_user, user)
        flash(_("The login lock of %(email)s was lifted.", email=user.email), "info")
    return redirect(url_for(".index"))


@bp.route("/audit")
@access.roles_required(Role.ADMIN, Role.ANALYST)
def audit_log():
    filters = audit_log_service.AuditFilters.from_args(request.args)
    if request.args.get("format") == "csv":
        audit_log_service.record_export(current_user, filters)
        rows = audit_log_service.csv_rows(current_user, filters)
        return Response(stream_with_context(csv_chunks(rows)), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=audit-log.csv"})
    number = request.args.get("page", "1")
    result = audit_log_service.page(current_user, filters, int(number) if number.isascii() and number.isdigit() and len(number) < 10 else 1)
    return render_template("admin/audit.html", result=result, filters=filters, args=filters.as_args(),
                           actions=audit_log_service.action_choices(current_user),
                           event_type_label=audit_log_service.event_type_label, countries=countries.all_countries())
