"""What the question pages print, built once per questionnaire version and language, and once per page.

A questionnaire version never changes (DESIGN.md §2: its content is an immutable snapshot with a
sha256), so the texts a page shows for its questions — localised text, help, unit, stage label,
option labels, the skip rule as JSON — are worked out once per (version id, sha256, language) and
kept for the life of the process. The user-interface labels a question card repeats (badges, field
labels, buttons) are translated once per language instead of once per question.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

import scoring
from app.i18n import localised
from app.labels import source_labels
from app.models import QuestionnaireVersion
from app.services.questionnaires import parsed
from app.services.workbook import number_range


@dataclass(frozen=True)
class QuestionView:
    """One question's texts in one language."""

    key: str
    text: str
    help: str
    unit: str
    stage_label: str
    #: (value, label) in the questionnaire's order
    options: tuple[tuple[str, str], ...]
    option_labels: dict[str, str]
    #: the skip rule as the browser script reads it (JSON), or "" when the question always shows
    show_if_json: str
    #: number questions: what the field accepts (range, decimal mark); "" for the other types
    number_hint: str
    #: the question's sources as people read them (app.labels.source_labels), joined by "; "
    sources: str

    def value_label(self, value: str | None) -> str:
        """An answer value in words: its option label, or the value itself (numbers, text)."""
        return "" if value is None else self.option_labels.get(value, value)


@dataclass(frozen=True)
class QuestionnaireView:
    """Every question and dimension of a version in one language."""

    questions: dict[str, QuestionView]
    dimension_titles: dict[str, str]
    stage_labels: dict[str, str]


_views: dict[tuple[int, str, str], QuestionnaireView] = {}
_lock = threading.Lock()


def questionnaire_view(version: QuestionnaireVersion, lang: str) -> QuestionnaireView:
    """The version's texts in `lang`, built on first use (key: version id, sha256, language)."""
    key = (version.id, version.sha256, lang)
    view = _views.get(key)
    if view is None:
        view = _build(parsed(version), lang)
        with _lock:
            _views[key] = view
    return view


def _build(questionnaire: scoring.Questionnaire, lang: str) -> QuestionnaireView:
    stages = {s.key: localised(s.label, lang) for s in questionnaire.stages}
    questions = {}
    with force_locale(lang):
        decimals = _("Decimals after a comma or a point (9,5 or 9.5); no thousands separators.")
        for q in questionnaire.questions:
            options = tuple((o.value, localised(o.label, lang)) for o in q.options)
            questions[q.key] = QuestionView(
                key=q.key, text=localised(q.text, lang), help=localised(q.help, lang), unit=localised(q.unit, lang),
                stage_label=stages.get(q.stage or "", ""), options=options, option_labels=dict(options),
                show_if_json=json.dumps(show_if_rule(q)) if q.show_if else "",
                number_hint=f"{number_range(q, lang)} {decimals}" if q.type == "number" else "",
                sources="; ".join(source_labels(questionnaire, q, lang)))
    titles = {d.key: localised(d.title, lang) for d in questionnaire.dimensions}
    return QuestionnaireView(questions, titles, stages)


def show_if_rule(question: scoring.Question) -> dict | None:
    """The skip rule in the form the browser script evaluates."""
    rule = question.show_if
    if rule is None:
        return None
    return {"question": rule.question, "in": list(rule.values) if rule.values is not None else None,
            "op": rule.op, "value": rule.value}


#: the labels a question card repeats; translated once per language (the msgids are the templates' own)
CARD_LABELS = {
    "required": _l("required"),
    "evidence_required": _l("evidence required"),
    "carried": _l("carried forward — confirm or change"),
    "confirm": _l("Confirm"),
    "flagged": _l("flagged by the reviewer"),
    "answer": _l("Answer"),
    "value": _l("Value"),
    "not_applicable_here": _l("Not applicable to our customs administration"),
    "not_applicable": _l("Not applicable"),
    "comment_and_evidence": _l("Comment and evidence"),
    "comment": _l("Comment"),
    "evidence_link": _l("Evidence link (https://…)"),
    "conflict": _l("Someone else changed this answer while you were editing."),
    "theirs": _l("Their saved answer"),
    "mine": _l("Your answer"),
    "keep_mine": _l("Keep my answer"),
    "take_theirs": _l("Use their answer"),
    "remove": _l("remove"),
    "attach_a_file": _l("Attach a file"),
    "attach": _l("Attach"),
    "history": _l("History"),
    "sources_colon": _l("Sources:"),
    "reviewer": _l("Reviewer:"),
    "reply": _l("Reply:"),
    "your_reply": _l("Your reply"),
    "send_reply": _l("Send reply"),
    "changed": _l("changed"),
    "answer_colon": _l("Answer:"),
    "comment_colon": _l("Comment:"),
    "flag_question": _l("Flag this question"),
    "comment_for_country": _l("Comment for the country"),
    "hidden": _l("hidden by an earlier answer"),
    "hidden_not_counted": _l("hidden by an earlier answer — not counted"),
    "evidence_link_colon": _l("Evidence link:"),
    "evidence_files_colon": _l("Evidence files:"),
    "no_evidence": _l("No evidence given."),
    "resolved_because": _l("Resolved because:"),
    "resolve_this_flag": _l("Resolve this flag"),
    "why_resolved": _l("Why the flag is resolved"),
    "resolve_flag": _l("Resolve the flag"),
}
_labels: dict[str, dict[str, str]] = {}


def card_labels(lang: str) -> dict[str, str]:
    """CARD_LABELS translated into `lang` (called within a request in that language)."""
    labels = _labels.get(lang)
    if labels is None:
        labels = _labels[lang] = {name: str(text) for name, text in CARD_LABELS.items()}
    return labels


KEY = "__question__"


def question_url(endpoint: str, **values) -> str:
    """A URL of `endpoint` with the question key left as a placeholder: built once per page, completed per
    question with `|replace("__question__", q.key)` (question keys need no quoting: [a-z0-9._-])."""
    return url_for(endpoint, question_key=KEY, **values)
