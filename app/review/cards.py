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
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.assessments import views
from app.formatting import human_size, number_text
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
    """One question's card texts in one language, already escaped for HTML."""

    #: the question key (attribute values: ids, test ids, hidden fields)
    key: str
    #: the card's opening tag up to its class list, which the card completes (flagged, hidden-answer)
    open: str
    #: from the end of the class list to the question's title (stage badge for scored questions, <h3>)
    top: str
    #: from the end of the badge row to the answer's place
    answer: str
    #: answer value -> option label; values not listed (numbers, text) are printed themselves
    options: dict[str, str]
    #: a number question: its stored value (canonical, with a point) is shown with the language's mark
    number: bool = False


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
    texts come from app.assessments.views.questionnaire_view; called within a request in `lang`)."""
    key = (version.id, version.sha256, lang)
    texts = _texts.get(key)
    if texts is None:
        texts = _build(parsed(version), views.questionnaire_view(version, lang), card_labels(lang))
        with _lock:
            _texts[key] = texts
    return texts


def _build(questionnaire, view: views.QuestionnaireView, t: dict[str, str]) -> Texts:
    texts = {}
    for q in questionnaire.questions:
        v, key = view.questions[q.key], _e(q.key)
        badge = (f'<span class="badge stage-badge stage-{_e(q.stage)}">{_e(v.stage_label)}</span>'
                 if q.stage and q.type != "text" else "")
        texts[q.key] = CardText(
            key=key, open=f'<article id="q-{key}" class="card mb-2 question',
            top=(f'" data-testid="review-question">\n<div class="card-body py-2">\n'
                 f'<div class="d-flex flex-wrap gap-2 align-items-baseline">\n{badge}\n'
                 f'<h3 class="h6 fw-semibold mb-0">{_e(v.text)}</h3>\n'),
            answer=(f'</div>\n<div class="mt-1"><span class="text-body-secondary small">{t["answer_colon"]}</span> '
                    f'<span data-testid="answer-{key}">'),
            options={value: _e(label) for value, label in v.options}, number=q.type == "number")
    return Texts(texts, {key: _e(title) for key, title in view.dimension_titles.items()})


def card_labels(lang: str) -> dict[str, str]:
    """app.assessments.views.card_labels(lang), escaped for HTML (called within a request in `lang`)."""
    labels = _labels.get(lang)
    if labels is None:
        labels = _labels[lang] = {name: _e(text) for name, text in views.card_labels(lang).items()}
    return labels


#: the review page's own labels around the cards (filters, navigator, buttons); translated once per language
PAGE_LABELS = {
    "review": _l("Review"),
    "return": _l("Return to the country…"),
    "validate": _l("Validate and lock…"),
    "show": _l("Show"),
    "stage": _l("Stage"),
    "every_stage": _l("Every stage"),
    "apply": _l("Apply"),
    "sections": _l("Sections"),
    "all_sections": _l("All sections"),
}
#: the "show" filter (app.review.workspace.SHOW_FILTERS) -> its label
SHOW_LABELS = {
    "all": _l("All questions"),
    "flagged": _l("Flagged (not resolved)"),
    "changed": _l("Changed since return"),
    "unanswered": _l("Unanswered"),
    "hidden": _l("Hidden by an earlier answer"),
    "no-evidence": _l("Answered without evidence"),
}
_page_labels: dict[str, tuple[dict[str, str], dict[str, str]]] = {}


def page_labels(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """(PAGE_LABELS, SHOW_LABELS) translated into `lang` (plain text; called within a request in that language)."""
    labels = _page_labels.get(lang)
    if labels is None:
        labels = _page_labels[lang] = ({name: str(text) for name, text in PAGE_LABELS.items()},
                                       {name: str(text) for name, text in SHOW_LABELS.items()})
    return labels


@dataclass(frozen=True)
class Page:
    """What every card of one page shares: texts, labels, URLs and the forms' CSRF field (see `page`)."""

    assessment_id: int
    #: flag and resolve forms are offered (the assessment is submitted)
    submitted: bool
    #: the questionnaire's card texts in the page's language (card_texts)
    texts: Texts
    #: card_labels of the page's language
    t: dict[str, str]
    #: the hidden CSRF <input> of the flag and resolve forms, or "" when CSRF protection is off
    csrf: str
    #: the history link that closes the answer block, cut where the question key goes (key.join(history))
    history: list[str]
    #: what follows the flags: the flag form (submitted assessments) and the card's end, cut the same way
    end: list[str]


def page(assessment_id: int, submitted: bool, version: QuestionnaireVersion, lang: str, history_url: str,
         flag_url: str, csrf: str) -> Page:
    """The shared part of one review page's cards. `history_url` has views.KEY in place of the question key;
    `csrf` is the hidden CSRF <input> (or "")."""
    t = card_labels(lang)
    history = f'<a class="small" href="{_e(history_url)}">{t["history"]}</a></div>\n'.split(views.KEY)
    end = ["</div>\n</article>\n"]
    if submitted:
        key = views.KEY
        end = (f'<input type="hidden" name="question_key" value="{key}">\n'
               f'<label class="form-label small mb-1" for="flag-{key}">{t["comment_for_country"]}</label>\n'
               f'<textarea class="form-control form-control-sm" id="flag-{key}" name="comment" rows="2" required\n'
               f' data-limit="{LIMITS["flag"]}" aria-describedby="flag-{key}-count"></textarea>\n'
               f'<div class="form-text char-count mb-1" id="flag-{key}-count" aria-live="polite"></div>\n'
               f'<button class="btn btn-sm btn-outline-danger" type="submit">{t["flag_question"]}</button>\n'
               f'</form></details>\n{end[0]}').split(key)
        # the form's opening and the CSRF field go in after the cut: nothing in them is read as the placeholder
        end[0] = (f'<details class="mt-2"><summary class="small">{t["flag_question"]}</summary>\n'
                  f'<form method="post" action="{_e(flag_url)}" class="mt-1">\n{csrf}') + end[0]
    return Page(assessment_id=assessment_id, submitted=submitted, texts=card_texts(version, lang), t=t, csrf=csrf,
                history=history, end=end)


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
    a, t = item.answer, page.t
    c = page.texts.questions[item.question.key]
    key = c.key
    out.append(c.open)
    if item.flagged:
        out.append(" flagged")
    if not item.visible and a:
        out.append(" hidden-answer")
    out.append(c.top)
    if item.changed:
        out.append(f'<span class="badge text-bg-info">{t["changed"]}</span>\n')
    if not item.visible:
        if a and (a.value is not None or a.not_applicable):
            out.append(f'<span class="badge text-bg-light border" data-testid="hidden-{key}">'
                       f'{t["hidden_not_counted"]}</span>\n')
        else:
            out.append(f'<span class="badge text-bg-light border">{t["hidden"]}</span>\n')
    out.append(c.answer)
    if a is None:
        out.append("—</span>\n")
    else:
        if a.not_applicable:
            out.append(t["not_applicable"])
        elif a.value is not None:
            shown = c.options.get(a.value)
            if shown is None:
                shown = _e(number_text(a.value) if c.number else a.value)
            out.append(shown)
        else:
            out.append("—")
        out.append("</span>\n")
        if a.comment:
            out.append(f'<div class="small"><span class="text-body-secondary">{t["comment_colon"]}</span> '
                       f'{_e(a.comment)}</div>\n')
        if a.evidence_url:
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
    out.append(key.join(page.history))
    for flag in item.flags:
        _flag(out, flag, key, page)
    out.append(key.join(page.end))


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
