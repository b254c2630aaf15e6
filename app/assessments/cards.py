"""Question cards of the section page, compiled once per questionnaire version, language and editability.

A section page shows up to a few dozen cards, and rendering each through one general Jinja macro spent
most of the page's time on what is the same for every assessment: the criterion's text, help, options,
stage, sources, labels and field limits (issue 16). The card template (assessments/_question_card.html)
is therefore rendered in two stages:

1. Once per (questionnaire version, sha256, language, editable) and question, with the delimiters
   ``[[ ]]`` / ``[% %]``: everything that depends only on the questionnaire version and the language is
   written out as text (HTML-escaped; braces as character references, so that no questionnaire text
   can be read as template code). The result is the source of a small template of the application's
   Jinja environment, compiled and kept.
2. On each page, that template is rendered with the assessment's part: the answer, its comment and
   evidence, whether skip logic hides it, attachments, review flags, URLs and form tokens.

The HTML is the one the single macro produced: tests/test_section_cards.py compares the two stages with
that macro (kept as tests/data/question_macro_reference.html) for every question of every questionnaire.
"""
from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

import jinja2
from flask import current_app
from markupsafe import Markup, escape

from app import text as text_limits
from app.assessments import views
from app.models import QuestionnaireVersion
from app.services.questionnaires import parsed

TEMPLATE = "assessments/_question_card.html"

_lock = threading.Lock()


def _literal(value) -> Markup:
    """Stage 1 output: escaped text, with braces that stage 2 reads as text, never as template code.

    Values already marked safe (``|tojson`` for literals inside stage-2 expressions) pass unchanged.
    """
    if isinstance(value, Markup):
        return value
    return Markup(str(escape(value)).replace("{", "&#123;").replace("}", "&#125;"))


def _stage_one() -> jinja2.Environment:
    environment = current_app.extensions.get("question_card_stage_one")
    if environment is None:
        folder = Path(current_app.root_path) / (current_app.template_folder or "templates")
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder), autoescape=True, finalize=_literal,
            block_start_string="[%", block_end_string="%]", variable_start_string="[[",
            variable_end_string="]]", comment_start_string="[#", comment_end_string="#]",
            keep_trailing_newline=current_app.jinja_env.keep_trailing_newline)
        current_app.extensions["question_card_stage_one"] = environment
    return environment


def card_templates(version: QuestionnaireVersion, lang: str, editable: bool) -> Mapping[str, jinja2.Template]:
    """{question key: the compiled stage-2 template of its card} for a version, a language and editability.

    Each card is compiled when a page first shows it (a section's dozen cards take a few milliseconds
    each; the whole questionnaire at once would hold up the first page for about a second) and kept
    with the application (key: version id, sha256, language, editable): a published version
    never changes, and a replaced draft has a new sha256. Call within a request in `lang` (the card
    labels are translated there). KeyError for a key that is not a question of the version.
    """
    compiled = current_app.extensions.setdefault("question_cards", {})
    key = (version.id, version.sha256, lang, editable)
    templates = compiled.get(key)
    if templates is None:
        with _lock:
            templates = compiled.setdefault(key, _Cards(
                parsed(version), views.questionnaire_view(version, lang), views.card_labels(lang), editable,
                _stage_one().get_template(TEMPLATE), current_app.jinja_env))
    return templates


class _Cards(dict):
    """Compiled card templates of one version, language and editability, compiled on first use."""

    def __init__(self, questionnaire, view, labels, editable, stage_one, environment):
        super().__init__()
        self._questions = {q.key: q for q in questionnaire.questions}
        self._page = (view, labels, editable, stage_one, environment)

    def __missing__(self, question_key: str) -> jinja2.Template:
        view, labels, editable, stage_one, environment = self._page
        question = self._questions[question_key]
        source = stage_one.render(q=question, v=view.questions[question_key], t=labels, editable=editable,
                                  text_limits=text_limits.LIMITS)
        template = self[question_key] = environment.from_string(source)  # a race compiles twice, harmlessly
        return template


#: the globals stage 2 uses, passed by name: a card renders in a context of its own names only, without
#: copying the application's forty-odd template globals for each card
STAGE_TWO_GLOBALS = ("url_for", "number_shown", "flag_state_label")


def render_card(template: jinja2.Template, **page) -> Markup:
    """Stage 2: one card with the assessment's part (see the template's header for the names)."""
    env_globals = template.environment.globals
    names = {name: env_globals[name] for name in STAGE_TWO_GLOBALS}
    context = template.new_context({**names, **page}, shared=True)
    return Markup(template.environment.concat(template.root_render_func(context)))
