import pytest
import sqlalchemy as sa

from app.audit import AuditLogIsAppendOnly, record
from app.extensions import db
from app.models import Answer, Assessment, QuestionnaireVersion, ScoreRow, User


def _version(code="q", version="1", status="published"):
    v = QuestionnaireVersion(questionnaire_id=code, version=version, status=status, title={"en": "Q", "ru": "В"},
                             content="format: 1", sha256="0" * 64)
    db.session.add(v)
    db.session.flush()
    return v


def _assessment(v, country="AM", cycle="2026", **kw):
    a = Assessment(country_code=country, questionnaire_version_id=v.id, questionnaire_id=v.questionnaire_id,
                   cycle=cycle, **kw)
    db.session.add(a)
    db.session.flush()
    return a


def _fails(statement) -> bool:
    try:
        statement()
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        return True
    return False


@pytest.mark.parametrize("role, country", [
    pytest.param("coordinator", None, id="a national role requires a country"),
    pytest.param("analyst", "AM", id="an analyst has no country"),
    pytest.param("superuser", None, id="an unknown role is refused"),
])
def test_the_users_table_refuses_a_role_and_country_that_do_not_fit(app, countries, role, country):
    with app.app_context():
        user = User(email="n@example.org", name="N", role=role, country_code=country, password_hash="-",
                    session_token="t")
        assert _fails(lambda: db.session.add(user))


def test_one_assessment_per_country_questionnaire_and_cycle(app, countries):
    with app.app_context():
        first, second = _version(version="1"), _version(version="2")
        _assessment(first)
        assert _fails(lambda: _assessment(second))


def test_the_same_country_may_answer_another_cycle(app, countries):
    with app.app_context():
        v = _version()
        _assessment(v, cycle="2025")
        _assessment(v, cycle="2026")
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 2


def test_an_assessment_status_must_be_known(app, countries):
    with app.app_context():
        v = _version()
        assert _fails(lambda: _assessment(v, status="archived"))


def test_one_answer_per_assessment_and_question(app, countries):
    with app.app_context():
        a = _assessment(_version())
        db.session.add(Answer(assessment_id=a.id, question_key="legal.e-docs", value="full"))
        db.session.flush()
        assert _fails(lambda: db.session.add(Answer(assessment_id=a.id, question_key="legal.e-docs", value="no")))


def test_a_score_index_stays_within_0_and_100(app, countries):
    with app.app_context():
        v = _version()
        a = _assessment(v)
        row = ScoreRow(assessment_id=a.id, dimension_key="_overall", index=120.0, questionnaire_version_id=v.id,
                       scoring_version="1")
        assert _fails(lambda: db.session.add(row))


def test_a_questionnaire_version_is_unique_per_id(app):
    with app.app_context():
        _version(version="2026.1")
        assert _fails(lambda: _version(version="2026.1"))


def test_audit_events_cannot_be_updated(app):
    with app.app_context():
        event = record("test.event", target="x")
        db.session.commit()
        event.target = "changed"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()


def test_audit_events_cannot_be_deleted(app):
    with app.app_context():
        event = record("test.event", target="x")
        db.session.commit()
        db.session.delete(event)
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
