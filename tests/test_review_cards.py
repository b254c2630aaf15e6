"""The review page's question cards, built in Python (app/review/cards.py), print what the Jinja loop printed
before (tests/data/review_cards_reference.html): for every question of every shipped questionnaire, in both
languages, with answers of every kind, texts that need escaping, evidence files, flags in every state and
changes since the assessment was returned."""
import glob
import os
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from markupsafe import Markup

from app.assessments import views
from app.extensions import db
from app.models import Answer, Assessment, Attachment, AuditEvent, ReviewFlag
from app.models._types import utcnow
from app.review import cards
from app.review.workspace import SHOW_FILTERS, workspace
from app.services import questionnaires, scores
from app.services.questionnaires import parsed
from tests.conftest import DATA

ROOT = os.path.dirname(os.path.dirname(__file__))
SHIPPED = sorted(glob.glob(os.path.join(ROOT, "questionnaires", "*", "*.yaml")))
PATHS = [*SHIPPED, os.path.join(DATA, "mini-2026.1.yaml")]
TRICKY = '<b>bold</b> & "quoted" \'single\' {{ 7*7 }} {% raw %} __question__'

with open(os.path.join(DATA, "review_cards_reference.html"), encoding="utf-8") as _file:
    REFERENCE = _file.read()


def _value(question, i: int) -> str:
    if question.options:
        return question.options[i % len(question.options)].value
    if question.type == "number":
        return question.normalise(question.min or 0)
    return TRICKY


def _assessment(version, country: str, status: str, resolver_id: int) -> int:
    """An assessment of the version with answers of every kind, flags, files and changes since a return."""
    assessment = Assessment(country_code=country, questionnaire_version_id=version.id,
                            questionnaire_id=version.questionnaire_id, cycle=version.version, status=status,
                            returned_at=utcnow() - timedelta(days=1))
    db.session.add(assessment)
    db.session.flush()
    questions = parsed(version).questions
    for i, question in enumerate(questions):
        kind = i % 5
        if kind == 2:
            continue  # not answered
        db.session.add(Answer(
            assessment_id=assessment.id, question_key=question.key, value=None if kind == 1 else _value(question, i),
            not_applicable=kind == 1, comment=TRICKY if kind == 3 else None,
            evidence_url="https://e.example/?a=1&b=<2>" if kind in (3, 4) else None))
    db.session.flush()
    scores.rescore(assessment)
    for i, question in enumerate(questions[:12]):
        state = ("open", "answered", "resolved")[i % 3]
        db.session.add(ReviewFlag(
            assessment_id=assessment.id, question_key=question.key, comment=f"{TRICKY} {i}", state=state,
            response=TRICKY if state != "open" else None, resolution=TRICKY if state == "resolved" else None,
            resolved_by_id=resolver_id if state == "resolved" and i % 2 else None))
        if i % 4 == 0:
            db.session.add(Attachment(assessment_id=assessment.id, question_key=question.key,
                                      filename=f"<law> & {i}.pdf", stored_name=f"{assessment.id:08d}{i:056d}",
                                      content_type="application/pdf", size=10 ** (i % 7), sha256="0" * 64))
        if i % 2:
            db.session.add(AuditEvent(action="answer.update", assessment_id=assessment.id, question_key=question.key,
                                      before={"value": None}, after={"value": None}))
    db.session.commit()
    return assessment.id


@pytest.fixture
def assessments(app, countries, make_user):
    """{(questionnaire file, status): assessment id} for every shipped questionnaire and the mini one."""
    resolver = make_user("analyst", name='<i>Ana</i> & "B"')
    with app.app_context():
        questionnaires.load_paths(PATHS)
        found = {}
        for path in PATHS:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            qid = re.search(r"^id: *(\S+)", text, re.M).group(1)
            version = re.search(r"^version: *\"?([^\"\s]+)", text, re.M).group(1)
            found_version = questionnaires.find_version(qid, version)
            for country, status in (("KZ", "submitted"), ("AM", "validated")):
                found[(os.path.basename(path), status)] = _assessment(found_version, country, status, resolver.id)
        return found


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_cards_print_what_the_jinja_loop_printed(app, assessments, lang):
    csrf = Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="t0k__question__">')
    for (name, status), assessment_id in assessments.items():
        with app.test_request_context(f"/review/{assessment_id}", headers={"Accept-Language": lang}):
            assessment = db.session.get(Assessment, assessment_id)
            version = assessment.questionnaire_version
            history_url = views.question_url("assessments.history", assessment_id=assessment_id)
            flag_url = f"/review/{assessment_id}/flags"
            page = cards.page(assessment_id, status == "submitted", version, lang, history_url=history_url,
                              flag_url=flag_url, csrf=csrf)
            reference = app.jinja_env.from_string(REFERENCE)
            for show in SHOW_FILTERS:
                data = workspace(assessment, show)
                built = str(cards.render(data["sections"], page))
                expected = reference.render(
                    assessment=assessment, sections=data["sections"], view=views.questionnaire_view(version, lang),
                    t=views.card_labels(lang), history_url=history_url, flag_url=flag_url, flag_csrf=csrf,
                    resolve_csrf=csrf, submitted=status == "submitted")
                assert _normal(built) == _normal(expected), (name, status, show)
            shown = {key for show in SHOW_FILTERS for s in workspace(assessment, show)["sections"]
                     for key in (i.question.key for i in s.items)}
            assert len(shown) == len(parsed(version).questions), (name, status)


def test_the_reference_sees_every_kind_of_card(app, assessments):
    """The comparison above covers flags in every state, files, changes, hidden questions and escaped texts."""
    assessment_id = assessments[("mini-2026.1.yaml", "submitted")]
    with app.app_context():
        states = set(db.session.scalars(sa.select(ReviewFlag.state).where(ReviewFlag.assessment_id == assessment_id)))
    assert states == {"open", "answered", "resolved"}
    large = next(i for (name, status), i in assessments.items() if name.startswith("20") and status == "submitted")
    with app.test_request_context(f"/review/{large}"):
        data = workspace(db.session.get(Assessment, large))
        items = [i for s in data["sections"] for i in s.items]
        assert any(i.files for i in items) and any(i.changed for i in items) and any(i.no_evidence for i in items)
        assert any(not i.visible for i in items), "a hidden question"
