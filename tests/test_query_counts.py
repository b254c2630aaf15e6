"""No page issues a query per question or per assessment: the number of SQL statements a page runs
is the same for a 4-question and a 122-question questionnaire, and for 2 and 12 assessments."""
import os
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, Assessment
from app.services import questionnaires, scores
from app.services.questionnaires import parsed
from tests.conftest import DATA

ROOT = os.path.dirname(os.path.dirname(__file__))
SMALL = os.path.join(DATA, "mini-2026.1.yaml")
LARGE = os.path.join(ROOT, "questionnaires", "digital-customs-maturity", "2026.1.yaml")


def _value(question) -> str:
    if question.options:
        return question.options[-1].value
    if question.type == "number":
        return question.normalise(question.min or 0)
    return "An answer."


def add_assessment(path: str, country: str, cycle: str, status: str) -> int:
    """An assessment of the questionnaire file with every question answered, scored."""
    version = questionnaires.find_version(*_id_and_version(path))
    assessment = Assessment(country_code=country, questionnaire_version_id=version.id,
                            questionnaire_id=version.questionnaire_id, cycle=cycle, status=status)
    db.session.add(assessment)
    db.session.flush()
    for question in parsed(version).questions:
        db.session.add(Answer(assessment_id=assessment.id, question_key=question.key, value=_value(question)))
    db.session.flush()
    scores.rescore(assessment)
    db.session.commit()
    return assessment.id


def _id_and_version(path: str) -> tuple[str, str]:
    import yaml

    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return data["id"], data["version"]


@pytest.fixture
def counted(app):
    """counted(client, method, url, **kw) -> the number of SQL statements the request ran."""
    statements = []
    with app.app_context():
        engine = db.engine

    def listen(*_args):
        statements.append(1)

    @contextmanager
    def counting():
        statements.clear()
        sa.event.listen(engine, "before_cursor_execute", listen)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", listen)

    def count(client, method: str, url: str, **kwargs) -> int:
        with counting():
            response = client.open(url, method=method, **kwargs)
        assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:300])
        return len(statements)

    return count


@pytest.fixture
def both_sizes(app, countries):
    """The same assessments of a small and a large questionnaire: {"small"|"large": {(country, cycle): id}}."""
    with app.app_context():
        questionnaires.load_paths([SMALL, LARGE])
        return {size: {("AM", "2026"): add_assessment(path, "AM", "2026", "draft"),
                       ("KZ", "2026"): add_assessment(path, "KZ", "2026", "submitted")}
                for size, path in (("small", SMALL), ("large", LARGE))}


def first_dimension(app, assessment_id: int) -> str:
    with app.app_context():
        return parsed(db.session.get(Assessment, assessment_id).questionnaire_version).dimensions[0].key


def test_assessment_pages_run_as_many_queries_for_122_questions_as_for_4(app, client, auth, make_user, both_sizes,
                                                                        counted):
    coordinator, analyst = make_user("coordinator", "AM"), make_user("analyst")
    counts = {}
    for size, ids in both_sizes.items():
        am, kz = ids[("AM", "2026")], ids[("KZ", "2026")]
        auth.login(coordinator)
        section = f"/assessments/{am}/section/{first_dimension(app, am)}"
        counts[size] = {"overview": counted(client, "GET", f"/assessments/{am}"),
                        "section": counted(client, "GET", section),
                        "submit page": counted(client, "GET", f"/assessments/{am}/submit")}
        auth.logout()
        auth.login(analyst)
        counts[size]["review"] = counted(client, "GET", f"/review/{kz}")
        auth.logout()
    assert counts["small"] == counts["large"]
    assert max(counts["large"].values()) <= 12, counts


def test_autosave_runs_as_many_queries_for_122_questions_as_for_4(app, client, auth, make_user, both_sizes, counted):
    auth.login(make_user("coordinator", "AM"))
    counts = {}
    for size, ids in both_sizes.items():
        am = ids[("AM", "2026")]
        with app.app_context():
            version = db.session.get(Assessment, am).questionnaire_version
            question = next(q for q in parsed(version).questions if q.options and q.show_if is None)
            revision = db.session.scalar(sa.select(Answer.revision).where(
                Answer.assessment_id == am, Answer.question_key == question.key))
        counts[size] = counted(client, "POST", f"/assessments/{am}/answers/{question.key}",
                               json={"base_revision": revision, "value": question.options[0].value})
    assert counts["small"] == counts["large"], counts


LISTS = ("/", "/assessments/", "/review/", "/dashboard/", "/dashboard/trends", "/dashboard/overview",
         "/dashboard/country/AM", "/exports/")


def test_list_pages_and_dashboards_run_as_many_queries_for_12_assessments_as_for_2(app, client, auth, make_user,
                                                                                   countries, counted):
    with app.app_context():
        questionnaires.load_paths([LARGE])
        add_assessment(LARGE, "AM", "2025", "validated")
        add_assessment(LARGE, "BY", "2025", "submitted")
    analyst = make_user("analyst")
    auth.login(analyst)
    few = {url: counted(client, "GET", url) for url in LISTS}
    with app.app_context():
        for code in ("AM", "BY", "KZ", "KG", "RU"):
            for cycle, status in (("2023", "validated"), ("2024", "validated")):
                add_assessment(LARGE, code, cycle, status)
    many = {url: counted(client, "GET", url) for url in LISTS}
    assert few == many
