"""The section page's question cards, compiled once per questionnaire version, language and editability
(app.assessments.cards), give the HTML of the one-stage macro they replaced (tests/data/
question_macro_reference.html) for every question of the shipped and test questionnaires, in both
languages, editable or not, with answers, comments, evidence, attachments and flags of every kind —
and for questionnaire and answer texts that look like template code or HTML."""
import dataclasses
import glob
import os
import re
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from markupsafe import Markup

from app.assessments import cards, views
from app.services import questionnaires
from app.services.questionnaires import parsed
from tests.conftest import DATA

ROOT = os.path.dirname(os.path.dirname(__file__))
FILES = sorted(glob.glob(os.path.join(ROOT, "questionnaires", "*", "*.yaml"))) + sorted(
    glob.glob(os.path.join(DATA, "*.yaml")) + glob.glob(os.path.join(DATA, "handworked", "*.yaml")))
with open(os.path.join(DATA, "question_macro_reference.html"), encoding="utf-8") as _reference:
    REFERENCE = _reference.read()
TRICKY = "{{ 7*7 }} {% if x %} {# c #} <b>&amp;</b> \"quoted\" 'single' }}"


def _normal(html: str) -> str:
    """Whitespace-only lines and runs of spaces do not matter; braces may come as character references."""
    html = html.replace("&#123;", "{").replace("&#125;", "}")
    return "\n".join(re.sub(r"\s+", " ", line).strip() for line in html.splitlines() if line.strip())


def _answers(question):
    """Answers of every kind for the question: none, each value, not applicable, carried forward, tricky texts."""
    if question.options:
        values = [o.value for o in question.options]
    elif question.type == "number":
        values = ["1234.5", "0", "-7"]
    else:
        values = ["A text answer", TRICKY]
    yield None
    for i, value in enumerate(values):
        yield SimpleNamespace(value=value, not_applicable=False, revision=i + 1, carried_forward=i % 2 == 1,
                              comment=TRICKY if i % 2 else None, evidence_url="https://example.org/?a=1&b={x}" if i else None)
    yield SimpleNamespace(value=None, not_applicable=True, revision=9, carried_forward=False, comment="", evidence_url="")


FILES_OF = [SimpleNamespace(id=5, filename="rule{{x}}.pdf", size=2048), SimpleNamespace(id=6, filename="<b>.png", size=10)]
FLAGS = [SimpleNamespace(id=3, state="open", comment=TRICKY, response=None),
         SimpleNamespace(id=4, state="resolved", comment="Fixed", response="Thanks {{ me }}")]


@pytest.mark.parametrize("tricky_texts", [False, True], ids=["as published", "texts like template code"])
def test_two_stage_cards_equal_the_one_stage_macro(app, monkeypatch, tricky_texts):
    with app.test_request_context():
        for path in FILES:  # one by one, in order: a later version checks the earlier one
            questionnaires.load_paths([path])
        versions = questionnaires.list_versions()
        assert len(versions) == len(FILES)
        if tricky_texts:  # the largest questionnaire and a hand-worked one suffice for texts like template code
            versions = [v for v in versions if v.label.startswith(("digital-customs-maturity@2026.2", "border-ops@2026.2"))]
            assert len(versions) == 2
        macro = app.jinja_env.from_string(REFERENCE).module.question_card
        compared = 0
        for version in versions:
            questionnaire = parsed(version)
            for lang in ("en", "ru"):
                with force_locale(lang):
                    view = views.questionnaire_view(version, lang)
                    if tricky_texts:
                        view = dataclasses.replace(view, questions={
                            k: dataclasses.replace(v, text=TRICKY + v.text, help=TRICKY, unit="{%", sources=TRICKY,
                                                   options=tuple((o, TRICKY + label) for o, label in v.options))
                            for k, v in view.questions.items()})
                        monkeypatch.setattr(views, "questionnaire_view", lambda *_a, _view=view: _view)
                        app.extensions.pop("question_cards", None)
                    labels = views.card_labels(lang)
                    urls = {"key": views.KEY, "save": views.question_url("assessments.save", assessment_id=7),
                            "upload": views.question_url("assessments.upload", assessment_id=7),
                            "history": views.question_url("assessments.history", assessment_id=7)}
                    hidden_tag = Markup('<input type="hidden" name="csrf_token" value="t">')
                    for editable in (True, False):
                        templates = cards.card_templates(version, lang, editable)
                        for dimension in questionnaire.dimensions:
                            for q in dimension.questions:
                                for n, answer in enumerate(_answers(q)):
                                    hidden = {q.key} if n % 3 == 2 else set()
                                    attachments, flags = (FILES_OF, FLAGS) if n % 2 else ([], [])
                                    can_reply = n % 4 == 1
                                    expected = macro(q, view.questions[q.key], answer, SimpleNamespace(id=7), hidden,
                                                     attachments, flags, editable, can_reply, hidden_tag, hidden_tag,
                                                     dimension, labels, urls)
                                    got = cards.render_card(templates[q.key], answer=answer, assessment_id=7,
                                                            hidden=hidden, attachments=attachments, flags=flags,
                                                            can_reply=can_reply, reply_hidden=hidden_tag,
                                                            action_hidden=hidden_tag, dimension_key=dimension.key,
                                                            urls=urls)
                                    assert _normal(got) == _normal(str(expected)), (version.label, lang, q.key, n)
                                    compared += 1
                    monkeypatch.undo()
        app.extensions.pop("question_cards", None)
    assert compared > 1000
