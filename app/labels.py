"""Translated labels for the fixed vocabularies: roles, statuses, actions, flags, audit events, sources."""
import re

from flask import Flask
from flask_babel import gettext as _, lazy_gettext as _l, lazy_pgettext

from scoring.seeds import SEED_LABELS
from app.formatting import number_text
from app.i18n import current_language, localised
from app.vocabulary import Role, Status

ROLE_LABELS = {
    Role.RESPONDENT: _l("Respondent"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ANALYST: _l("Analyst"),
    Role.ADMIN: _l("Administrator"),
}

STATUS_LABELS = {
    "not_started": _l("Not started"),
    Status.DRAFT: _l("Draft"),
    Status.SUBMITTED: _l("Submitted"),
    Status.RETURNED: _l("Returned"),
    Status.VALIDATED: _l("Validated"),
}


ACTION_LABELS = {
    "review": _l("Review"),
    "flags": _l("Answer the review flags"),
    "submit": _l("Complete and submit"),
    "answer": _l("Fill in"),
}

MISSING_LABELS = {
    "unanswered": _l("Not answered"),
    "evidence": _l("Evidence required"),
    "flag": _l("Open review flag"),
}


QUESTIONNAIRE_STATUS_LABELS = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "retired": _l("Retired"),
}


FLAG_STATE_LABELS = {
    # a state, not a verb: the context keeps it apart from the "Open" of buttons in the catalogue
    "open": lazy_pgettext("review flag state", "Open"),
    "answered": lazy_pgettext("review flag state", "Answered"),
    "resolved": lazy_pgettext("review flag state", "Resolved"),
}


EVENT_LABELS = {
    "answer.update": _l("Answer changed"),
    "attachment.add": _l("File attached"),
    "attachment.remove": _l("File removed"),
    "flag.create": _l("Flagged by the reviewer"),
    "flag.answer": _l("Flag answered"),
    "flag.resolve": _l("Flag resolved"),
}


def _labeller(table: dict):
    """A function giving the translated label of a key of the table (the key itself if unknown)."""
    def label(key: str) -> str:
        return str(table.get(key, key))
    return label


role_label = _labeller(ROLE_LABELS)
status_label = _labeller(STATUS_LABELS)
action_label = _labeller(ACTION_LABELS)
missing_label = _labeller(MISSING_LABELS)
questionnaire_status_label = _labeller(QUESTIONNAIRE_STATUS_LABELS)
flag_state_label = _labeller(FLAG_STATE_LABELS)
event_label = _labeller(EVENT_LABELS)


MEASURE_STATUS_LABELS = {
    "implemented": _l("Implemented"),
    "in_progress": _l("In progress"),
    "not_started": _l("Not started"),
    "no_data": _l("No data"),
}
measure_status_label = _labeller(MEASURE_STATUS_LABELS)

# A seed cited at the start of a part of the free-text source: "003_946f441bb5a524d9.txt §7 (...)".
_SEED_CITATION = re.compile(r"^\s*(\d{3}_[0-9a-f]+\.txt)\s*(§\s*\d+(?:\.\d+)*)?")


def source_labels(questionnaire, question, lang: str | None = None) -> list[str]:
    """The sources of a question as people read them, in ``lang`` (the UI language by default).

    The question's ``references`` give "instrument label, part" (DESIGN §3). A question without
    references shows the seed documents its free-text ``source`` starts a citation with, by
    their readable label and section; the rest of that text is the methodologist's note, not
    shown on pages (it is in the questionnaire export). A bare seed file name is never shown.
    """
    from app.i18n import current_language

    lang = lang or current_language()
    if question.references:
        cited = [(questionnaire.reference_label(r, lang), r.part) for r in question.references]
    else:
        cited = []
        for part in (question.source or "").split(";"):
            found = _SEED_CITATION.match(part)
            if found and found.group(1) in SEED_LABELS:
                label = SEED_LABELS[found.group(1)]
                cited.append((label.get(lang) or label["en"], (found.group(2) or "").replace(" ", "")))
    labels = [f"{label}, {part}" if part else label for label, part in cited if label]
    return list(dict.fromkeys(labels))


def dimension_titles(questionnaire, keys) -> str:
    """Dimension titles in the UI language for stored keys (e.g. the weakest dimensions), joined by commas."""
    titles = {d.key: d.title for d in questionnaire.dimensions}
    return ", ".join(localised(titles[k]) if k in titles else k for k in keys or ())


def answer_text(question, value: str, lang: str | None = None, *, unlabelled: str | None = None,
                unit: bool = True) -> str:
    """A stored answer value (not None) as people read it, in `lang` (the UI language by default).

    An option's label; a number with the question's unit ("12 %", the number as stored; without the
    unit when `unit` is false, as the audit history shows it); any other value (a free text, an option
    value the questionnaire does not list) as itself, or as `unlabelled` when given (answers.csv:
    value_label is empty then, DESIGN.md §5). The one reading of an answer for pages, the workbook,
    exports and the audit history.
    """
    if question.options:
        label = question.option_label(value, lang or current_language())
        if label:
            return label
    elif question.type == "number" and unit:
        return f"{value} {localised(question.unit, lang)}".strip()
    return value if unlabelled is None else unlabelled


def describe_state(question, state: dict | None) -> str:
    """A one-line human reading of an audited answer state (value label, N/A, comment, link)."""
    if not state:
        return "—"
    parts = []
    if state.get("not_applicable"):
        parts.append(_("Not applicable"))
    elif state.get("value") is not None and question is not None:
        shown = answer_text(question, str(state["value"]), unit=False)
        parts.append(number_text(shown) if question.type == "number" else shown)
    for field in ("comment", "response", "evidence_url", "filename"):
        if state.get(field):
            parts.append(str(state[field]))
    return " · ".join(parts) or "—"


def level_name(questionnaire, level: int | None, lang: str | None = None) -> str:
    """The label of a maturity level of a questionnaire, in `lang` (the UI language by default).

    Level 0 is "below the first stage"; level i names stage i (attained); "" when there is no level
    (None, or a questionnaire without stages). DESIGN.md §4: the level is the number of stages attained.
    """
    if level is None or not questionnaire.stages:
        return ""
    if level == 0:
        return _("Below “%(stage)s”", stage=localised(questionnaire.stages[0].label, lang))
    return localised(questionnaire.stages[min(level, len(questionnaire.stages)) - 1].label, lang)


def level_names(questionnaire, lang: str | None = None) -> list[str]:
    """level_name of every level, 0 to the number of stages."""
    return [level_name(questionnaire, level, lang) for level in range(len(questionnaire.stages) + 1)]


def numbered_level_name(questionnaire, level: int | None, lang: str | None = None) -> str:
    """'2 · Electronic', '0 · Below “Paperless”': the level number with level_name; "—" when there is no level."""
    if level is None:
        return "—"
    name = level_name(questionnaire, level, lang)
    return f"{level} · {name}" if name else str(level)


def register(app: Flask) -> None:
    app.jinja_env.globals.update(role_label=role_label, status_label=status_label, action_label=action_label,
                                  missing_label=missing_label, flag_state_label=flag_state_label,
                                  questionnaire_status_label=questionnaire_status_label, event_label=event_label,
                                  describe_state=describe_state, source_labels=source_labels,
                                  dimension_titles=dimension_titles,
                                  measure_status_label=measure_status_label,
                                  view_exists=lambda e: e in app.view_functions)
