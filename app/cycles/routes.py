"""Views of the cycles blueprint: thin wrappers around app.services.cycles."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_date, format_datetime, gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app import access
from app.cycles import bp
from app.cycles.forms import CloseCycleForm, OpenCycleForm
from app.i18n import current_language, localised
from app.models import Cycle
from app.services import countries, cycles, questionnaires
from app.services.dashboard import DEFAULT_QUESTIONNAIRE, version_key

STAFF = ("analyst", "admin")


@bp.route("/")
@access.roles_required(*STAFF)
def index():
    return render_template("cycles/index.html", cycles=cycles.all_cycles(), close_form=CloseCycleForm(),
                           today=cycles.deadlines.local_today(cycles.now(), cycles.time_zone()))


def _open_form() -> OpenCycleForm:
    form = OpenCycleForm()
    versions = sorted(questionnaires.published_versions(), key=lambda v: (
        v.questionnaire_id != DEFAULT_QUESTIONNAIRE, v.questionnaire_id, tuple(-k[1] for k in version_key(v.version))))
    form.questionnaire.choices = [SelectChoice(v.id, f"{localised(v.title)} ({v.version})") for v in versions]
    known = countries.all_countries()
    lang = current_language()
    members = [c for c in known if c.code in countries.EEU_MEMBERS]
    others = [c for c in known if c.code not in countries.EEU_MEMBERS]
    form.countries.choices = [SelectChoice(c.code, c.name(lang)) for c in members + sorted(others, key=lambda c: c.name(lang))]
    if form.countries.data is None:
        form.countries.data = list(countries.EEU_MEMBERS)
    return form


@bp.route("/new", methods=["GET", "POST"])
@access.roles_required(*STAFF)
def new():
    form = _open_form()
    if form.validate_on_submit():
        try:
            opened = cycles.open_cycle(
                current_user, label=form.label.data, version=questionnaires.get_version(form.questionnaire.data),
                country_codes=form.countries.data, submission_deadline=form.submission_deadline.data,
                review_deadline=form.review_deadline.data, create_drafts=form.create_drafts.data,
                carry_forward=form.carry_forward.data)
        except cycles.CycleError as error:
            flash(str(error), "danger")
        else:
            flash(_("Cycle %(label)s was opened: %(drafts)d draft(s) started, %(carried)d of them pre-filled, "
                    "%(linked)d existing assessment(s) linked.", label=opened.cycle.label,
                    drafts=len(opened.carried) + len(opened.empty), carried=len(opened.carried),
                    linked=len(opened.linked)), "success")
            return redirect(url_for(".index"))
    return render_template("cycles/new.html", form=form, time_zone=cycles.time_zone())


def _cycle(cycle_id: int) -> Cycle:
    found = cycles.get(cycle_id)
    if found is None:
        abort(404)
    return found


@bp.route("/<int:cycle_id>/close", methods=["GET", "POST"])
@access.roles_required(*STAFF)
def close(cycle_id: int):
    """POST closes, or shows what is still under review and asks to confirm (a second POST with confirm)."""
    cycle = _cycle(cycle_id)
    form = CloseCycleForm()
    if not form.validate_on_submit():
        return redirect(url_for(".index"))
    try:
        pending = cycles.close_cycle(current_user, cycle, confirmed=form.confirm.data)
    except cycles.CycleError as error:
        flash(str(error), "danger")
        return redirect(url_for(".index"))
    if cycle.status == "open":
        return render_template("cycles/confirm_close.html", cycle=cycle, pending=pending, form=CloseCycleForm())
    flash(_("Cycle %(label)s was closed.", label=cycle.label), "success")
    return redirect(url_for(".index"))


@bp.app_template_global()
def cycle_overview_url(cycle: Cycle) -> str:
    """The dashboard's cycle overview for this cycle."""
    if not current_user.is_authenticated:
        return url_for("dashboard.overview")
    return url_for("dashboard.overview", questionnaire=cycle.questionnaire_version.label, cycle=cycle.label,
                   status="all" if current_user.is_national else "submitted")


CYCLE_STATUS_LABELS = {"open": _l("In progress"), "closed": _l("Closed")}


@bp.app_template_global()
def cycle_status_label(status: str) -> str:
    return str(CYCLE_STATUS_LABELS.get(status, status))


@bp.app_template_global()
def deadline_days(deadline) -> int:
    """Days from today in CYCLE_TIME_ZONE to the deadline (negative once it has passed)."""
    return cycles.deadlines.days_left(deadline, cycles.now(), cycles.time_zone())


bp.add_app_template_global(format_date, "format_date")
bp.add_app_template_global(format_datetime, "format_datetime")
