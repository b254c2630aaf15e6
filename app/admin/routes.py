"""Views of the admin blueprint (administrators only)."""
import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app import access
from app.admin import bp
from app.admin.forms import ActionForm, UserForm
from app.extensions import db
from app.i18n import current_language
from app.models import Country, User
from app.services import accounts, questionnaires


@bp.route("/")
@access.roles_required("admin")
def index():
    users = db.session.scalars(sa.select(User).order_by(User.country_code.nulls_first(), User.email)).all()
    return render_template("admin/index.html", users=users, form=_user_form(), action_form=ActionForm(),
                           versions=questionnaires.list_versions())


def _user_form() -> UserForm:
    form = UserForm()
    countries = db.session.scalars(sa.select(Country).order_by(Country.code)).all()
    eeu_first = sorted(countries, key=lambda c: ("eeu-member" not in (c.groups or []), c.name(current_language())))
    form.country.choices = [SelectChoice("", "—")] + [SelectChoice(c.code, c.name(current_language()))
                                                       for c in eeu_first]
    return form


@bp.route("/users", methods=["POST"])
@access.roles_required("admin")
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
@access.roles_required("admin")
def toggle_active(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        access.refuse(404, f"user {user_id} not found")
    if ActionForm().validate_on_submit():
        try:
            accounts.set_active(current_user, user, not user.active)
            flash(_("The account of %(email)s is now %(state)s.", email=user.email,
                    state=_("active") if user.active else _("disabled")), "info")
        except accounts.AccountError as error:
            flash(str(error), "danger")
    return redirect(url_for(".index"))
