"""Views of the notifications blueprint: thin wrappers around app.services.notifications."""
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import access
from app.i18n import current_language
from app.notifications import bp
from app.notifications.forms import LAST_SESSION, ActionForm, PreferencesForm
from app.services import mail, notifications
from app.services.notification_texts import render


@bp.route("/")
@login_required
def index():
    lang = current_language()
    items = [(n, render(n, lang, current_user)) for n in notifications.recent(current_user)]
    return render_template("notifications/index.html", items=items, form=ActionForm())


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_one(notification_id: int):
    """Mark the notification read and go to the page it is about."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".index"))
    found = notifications.mark_read(current_user, notification_id)
    if found is None:
        access.record_refusal(404, f"notification {notification_id} is not the user's")
        return redirect(url_for(".index"))
    return redirect(render(found, current_language(), current_user).path)


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    if ActionForm().validate_on_submit():
        notifications.mark_read(current_user)
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for(".index"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    form = PreferencesForm()
    if form.validate_on_submit():
        language = None if form.language.data == LAST_SESSION else form.language.data
        notifications.set_preferences(current_user, language, form.email.data)
        flash(_("Your notification settings were saved."), "success")
        return redirect(url_for(".preferences"))
    if not form.is_submitted():
        form.language.data = current_user.notification_language or LAST_SESSION
        form.email.data = current_user.email_notifications
    return render_template("notifications/preferences.html", form=form, mail_configured=mail.configured(),
                           effective=notifications.language_of(current_user))


@bp.app_template_global()
def unread_notifications() -> int:
    """The bell's count for the logged-in user (0 when nobody is logged in)."""
    return notifications.unread_count(current_user) if current_user.is_authenticated else 0


@bp.after_app_request
def _remember_session_language(response):
    """A user's first session sets the default language of their notifications."""
    if request.endpoint in (None, "static", "bootstrap.static"):
        return response  # no user lookup for assets
    if not (current_user and current_user.is_authenticated):
        return response
    # the loader read it before any commit of the request (reading it now would reload the user); a request
    # that logged the user in did not go through the loader
    unset = g.get("language_unset")
    if unset is None:
        unset = current_user.language is None
    if unset:
        notifications.remember_session_language(current_user, current_language())
    return response
