"""The review page's question cards as HTML (issue 16: the page repeats one card per question, ~141).

A Jinja loop spends ~40 µs per card on attribute look-ups, escaping and generator steps; this module
spends a few. What a card prints from the questionnaire — the stage badge and the question text, the
option labels — is escaped once per (questionnaire version, sha256, language) and kept for the life of
the process (a version never changes: DESIGN.md §2); the labels a card repeats are escaped once per
language. Per request only the assessment's own facts (answer, comment, evidence, flags) are escaped
and joined. The markup is the one `templates/review/assessment.html` printed per question before; keep
the two in step when the card changes.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup, escape

from app.assessments import views
from app.formatting import human_size
from app.labels import flag_state_label
from app.models import QuestionnaireVersion
from app.review.workspace import ReviewItem, SectionView
from app.services.questionnaires import parsed
from app.text import LIMITS

_FLAG_CLASSES = {"open": "alert-danger", "answered": "alert-warning"}


def _e(value) -> str:
    """`value` escaped for HTML as Jinja's autoescape prints it (None as "None")."""
    return str(escape(value))


@dataclass(frozen=True)
class CardText:
    """One question's printed texts in one language, already escaped for HTML."""

    #: the question key (attribute values: ids, test ids, hidden fields)
    key: str
    #: the badge row up to and including the title: stage badge (scored questions with a stage) and <h3>
    head: str
    #: answer value -> option label; values not listed (numbers, text) are printed themselves
    options: dict[str, str]


@dataclass(frozen=True)
class Texts:
    """A questionnaire version's card texts in one language, escaped for HTML."""

    questions: dict[str, CardText]
    #: dimension key -> localised title
    titles: dict[str, str]


_texts: dict[tuple[int, str, str], Texts] = {}
_labels: dict[str, dict[str, str]] = {}
_lock = threading.Lock()


def card_texts(version: QuestionnaireVersion, lang: str) -> Texts:
    """The version's card texts in `lang`, built on first use (key: version id, sha256, language; the
    texts come from app.assessments.views.questionnaire_view)."""
    key = (version.id, version.sha256, lang)
    texts = _texts.get(key)
    if texts is None:
        texts = _build(parsed(version), views.questionnaire_view(version, lang))
        with _lock:
            _texts[key] = texts
    return texts


def _build(questionnaire, view: views.QuestionnaireView) -> Texts:
    texts = {}
    for q in questionnaire.questions:
        v = view.questions[q.key]
        badge = (f'<span class="badge stage-badge stage-{_e(q.stage)}">{_e(v.stage_label)}</span>'
                 if q.stage and q.type != "text" else "")
        texts[q.key] = CardText(
            key=_e(q.key), head=f'{badge}\n<h3 class="h6 fw-semibold mb-0">{_e(v.text)}</h3>',
            options={value: _e(label) for value, label in v.options})
    return Texts(texts, {key: _e(title) for key, title in view.dimension_titles.items()})


def card_labels(lang: str) -> dict[str, str]:
    """app.assessments.views.card_labels(lang), escaped for HTML (called within a request in `lang`)."""
    labels = _labels.get(lang)
    if labels is None:
        labels = _labels[lang] = {name: _e(text) for name, text in views.card_labels(lang).items()}
    return labels


@dataclass(frozen=True)
class Page:
    """What every card of one page shares: escaped labels, URLs and the forms' CSRF field."""

    assessment_id: int
    #: flag and resolve forms are offered (the assessment is submitted)
    submitted: bool
    #: the questionnaire's card texts in the page's language (card_texts)
    texts: Texts
    #: card_labels of the page's language
    t: dict[str, str]
    #: the history URL with views.KEY in place of the question key
    history_url: str
    flag_url: str
    #: the hidden CSRF <input> of the flag and resolve forms, or "" when CSRF protection is off
    csrf: str


def render(sections: list[SectionView], page: Page) -> Markup:
    """The <section>s of the sections with shown questions, each with its cards (HTML)."""
    out: list[str] = []
    for s in sections:
        if not s.items:
            continue
        out.append(f'<section aria-labelledby="dim-{_e(s.key)}">\n')
        out.append(f'<h2 class="h5 mt-3" id="dim-{_e(s.key)}">{page.texts.titles[s.key]}</h2>\n')
        for item in s.items:
            _card(out, item, page)
        out.append("</section>\n")
    return Markup("".join(out))


def _card(out: list[str], item: ReviewItem, page: Page) -> None:
    q, a, t = item.question, item.answer, page.t
    c = page.texts.questions[q.key]
    key = c.key
    classes = "card mb-2 question"
    if item.flagged:
        classes += " flagged"
    if not item.visible and a:
        classes += " hidden-answer"
    out.append(f'<article id="q-{key}" class="{classes}" data-testid="review-question">\n'
               f'<div class="card-body py-2">\n<div class="d-flex flex-wrap gap-2 align-items-baseline">\n{c.head}\n')
    if item.changed:
        out.append(f'<span class="badge text-bg-info">{t["changed"]}</span>\n')
    if not item.visible:
        if a and (a.value is not None or a.not_applicable):
            out.append(f'<span class="badge text-bg-light border" data-testid="hidden-{key}">'
                       f'{t["hidden_not_counted"]}</span>\n')
        else:
            out.append(f'<span class="badge text-bg-light border">{t["hidden"]}</span>\n')
    if a and a.not_applicable:
        shown = t["not_applicable"]
    elif a and a.value is not None:
        shown = c.options.get(a.value)
        if shown is None:
            shown = _e(a.value)
    else:
        shown = "—"
    out.append(f'</div>\n<div class="mt-1"><span class="text-body-secondary small">{t["answer_colon"]}</span> '
               f'<span data-testid="answer-{key}">{shown}</span>\n')
    if a and a.comment:
        out.append(f'<div class="small"><span class="text-body-secondary">{t["comment_colon"]}</span> '
                   f'{_e(a.comment)}</div>\n')
    if a and a.evidence_url:
        url = _e(a.evidence_url)
        out.append(f'<div class="small"><span class="text-body-secondary">{t["evidence_link_colon"]}</span> '
                   f'<a href="{url}" rel="noopener noreferrer" target="_blank">{url}</a></div>\n')
    if item.files:
        links = ", ".join(
            f'<a href="{_e(url_for("assessments.download", assessment_id=page.assessment_id, attachment_id=f.id))}">'
            f'{_e(f.filename)}</a> ({_e(human_size(f.size))})' for f in item.files)
        out.append(f'<div class="small" data-testid="evidence-files-{key}">'
                   f'<span class="text-body-secondary">{t["evidence_files_colon"]}</span>\n{links}</div>\n')
    if item.no_evidence:
        out.append(f'<div class="small text-body-secondary">{t["no_evidence"]}</div>\n')
    out.append(f'<a class="small" href="{page.history_url.replace(views.KEY, key)}">{t["history"]}</a></div>\n')
    for flag in item.flags:
        _flag(out, flag, key, page)
    if page.submitted:
        out.append(
            f'<details class="mt-2"><summary class="small">{t["flag_question"]}</summary>\n'
            f'<form method="post" action="{page.flag_url}" class="mt-1">\n'
            f'{page.csrf}<input type="hidden" name="question_key" value="{key}">\n'
            f'<label class="form-label small mb-1" for="flag-{key}">{t["comment_for_country"]}</label>\n'
            f'<textarea class="form-control form-control-sm" id="flag-{key}" name="comment" rows="2" required\n'
            f' data-limit="{LIMITS["flag"]}" aria-describedby="flag-{key}-count"></textarea>\n'
            f'<div class="form-text char-count mb-1" id="flag-{key}-count" aria-live="polite"></div>\n'
            f'<button class="btn btn-sm btn-outline-danger" type="submit">{t["flag_question"]}</button>\n'
            f'</form></details>\n')
    out.append("</div>\n</article>\n")


def _flag(out: list[str], flag, key: str, page: Page) -> None:
    t = page.t
    out.append(f'<div class="alert {_FLAG_CLASSES.get(flag.state, "alert-secondary")} small mt-2 mb-0">\n'
               f'<span class="badge flag-{_e(flag.state)}">{_e(flag_state_label(flag.state))}</span> '
               f'{_e(flag.comment)}\n')
    if flag.response:
        out.append(f'<div><strong>{t["reply"]}</strong> {_e(flag.response)}</div>\n')
    if flag.resolution:
        by = f" ({_e(flag.resolved_by.name)})" if flag.resolved_by else ""
        out.append(f'<div><strong>{t["resolved_because"]}</strong> {_e(flag.resolution)}{by}</div>\n')
    if page.submitted and flag.state != "resolved":
        action = _e(url_for("review.resolve_flag", assessment_id=page.assessment_id, flag_id=flag.id))
        out.append(
            f'<details class="mt-1"><summary>{t["resolve_this_flag"]}</summary>\n'
            f'<form method="post" action="{action}" class="mt-1">\n'
            f'{page.csrf}<input type="hidden" name="question_key" value="{key}">\n'
            f'<label class="form-label mb-1" for="resolve-{flag.id}">{t["why_resolved"]}</label>\n'
            f'<textarea class="form-control form-control-sm mb-1" id="resolve-{flag.id}" name="reason" rows="2" '
            f'required></textarea>\n'
            f'<button class="btn btn-sm btn-outline-success" type="submit">{t["resolve_flag"]}</button>\n'
            f'</form></details>\n')
    out.append("</div>\n")
