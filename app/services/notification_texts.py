"""The words of each notification kind, in a given language, from the plain values the notification keeps.

A notification stores its kind and params (app.models.Notification); the text is made when it is
shown or e-mailed, in the reader's language: the UI language in the list, the recipient's
notification language in e-mail (app.services.notifications.language_of).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from flask import current_app
from flask_babel import force_locale, gettext as _, ngettext

from app.extensions import db
from app.i18n import localised
from app.models import Assessment, Country, Notification, User
from app.services.questionnaires import parsed
from app.vocabulary import Role


@dataclass(frozen=True)
class Text:
    """A notification in words: a subject line, paragraphs, and the path of the page it is about."""

    subject: str
    paragraphs: list[str]
    path: str


def render(notification: Notification, lang: str, reader: User | None = None) -> Text:
    """Subject, paragraphs and link path of a notification in `lang` ("en" or "ru")."""
    reader = reader or notification.user
    params = notification.params or {}
    with force_locale(lang):
        values = {"cycle": params.get("cycle", ""), "country": _country(params.get("country"), lang),
                  "deadline": _date(params.get("deadline"), lang)}
        subject, paragraphs = WORDS[notification.kind](notification, params, values, lang)
    return Text(subject, paragraphs, _path(notification, reader))


def _country(code: str | None, lang: str) -> str:
    country = db.session.get(Country, code) if code else None
    return country.name(lang) if country else (code or "")


def _date(iso: str | None, lang: str) -> str:
    return format_date(date.fromisoformat(iso), format="long", locale=lang) if iso else ""


def _submitted(_n, params, values, _lang):
    paragraphs = [_("%(country)s submitted its assessment for cycle %(cycle)s. It is waiting for your review.",
                    **values)]
    if params.get("late"):
        paragraphs.append(_("It was submitted after the submission deadline of %(deadline)s.", **values))
    return _("Assessment submitted: %(country)s, cycle %(cycle)s", **values), paragraphs


def _returned(notification, params, values, lang):
    flags = params.get("flags", [])
    paragraphs = [ngettext(
        "The analyst returned the assessment of %(country)s for cycle %(cycle)s with %(num)d flagged question.",
        "The analyst returned the assessment of %(country)s for cycle %(cycle)s with %(num)d flagged questions.",
        len(flags), **values),
        _("Answer each flag, correct the answers where needed and submit the assessment again.")]
    paragraphs += [_("• “%(question)s” — %(comment)s", question=_question_text(notification, f.get("key"), lang),
                     comment=f.get("comment", "")) for f in flags]
    return _("Assessment returned for revision: %(country)s, cycle %(cycle)s", **values), paragraphs


def _flag_answered(notification, params, values, lang):
    question = _question_text(notification, params.get("key"), lang)
    return (_("Flag answered: %(country)s, cycle %(cycle)s", **values),
            [_("%(country)s replied to your flag on the question “%(question)s”:", question=question, **values),
             params.get("response", "")])


def _validated(_n, _params, values, _lang):
    return (_("Assessment validated: %(country)s, cycle %(cycle)s", **values),
            [_("The Commission validated the assessment of %(country)s for cycle %(cycle)s. It is now final.",
               **values)])


def _due(_n, params, values, _lang):
    days = int(params.get("days", 0))
    if days == 0:
        left = _("The assessment of %(country)s for cycle %(cycle)s is due today, %(deadline)s.", **values)
    else:
        left = ngettext("The assessment of %(country)s for cycle %(cycle)s is due on %(deadline)s: %(num)d day left.",
                        "The assessment of %(country)s for cycle %(cycle)s is due on %(deadline)s: %(num)d days left.",
                        days, **values)
    return (_("Submission deadline approaching: %(country)s, cycle %(cycle)s", **values),
            [left, _("Complete the answers and submit the assessment to the Commission before the end of that day "
                     "(%(zone)s time).", zone=current_app.config["CYCLE_TIME_ZONE"])])


def _overdue(_n, _params, values, _lang):
    return (_("Submission overdue: %(country)s, cycle %(cycle)s", **values),
            [_("The submission deadline of %(deadline)s has passed and the assessment of %(country)s for cycle "
               "%(cycle)s has not been submitted yet.", **values),
             _("Please submit it as soon as possible; a late submission is still accepted and marked as late.")])


WORDS = {"submitted": _submitted, "returned": _returned, "flag_answered": _flag_answered,
         "validated": _validated, "due_7": _due, "due_1": _due, "overdue": _overdue}


def _question_text(notification: Notification, key: str | None, lang: str) -> str:
    assessment = db.session.get(Assessment, notification.assessment_id) if notification.assessment_id else None
    if assessment is None or not key:
        return key or ""
    try:
        return localised(parsed(assessment.questionnaire_version).question(key).text, lang)
    except KeyError:
        return key


def _path(notification: Notification, reader: User) -> str:
    """The page the notification is about, for this reader (analysts review, countries fill in)."""
    adapter = current_app.url_map.bind("localhost")
    if notification.assessment_id is None:
        return adapter.build("assessments.index")
    endpoint = "review.assessment" if reader.role == Role.ANALYST else "assessments.overview"
    return adapter.build(endpoint, {"assessment_id": notification.assessment_id})


def email_text(text: Text, reader: User, lang: str, base_url: str) -> str:
    """The plain-text e-mail body: greeting, the paragraphs, the link, and how to turn e-mail off."""
    adapter = current_app.url_map.bind("localhost")
    with force_locale(lang):
        lines = [_("Hello, %(name)s,", name=reader.name), "", *text.paragraphs, "",
                 _("Open: %(url)s", url=base_url.rstrip("/") + text.path), "", "-- ",
                 _("Digital Customs Maturity. You can turn these e-mails off on your notification settings page: "
                   "%(url)s", url=base_url.rstrip("/") + adapter.build("notifications.preferences"))]
    return "\n".join(lines)
