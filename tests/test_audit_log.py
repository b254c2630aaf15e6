"""The audit log: the database refuses changes, refusals are recorded, and the log can be read and exported."""
import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from app import create_app
from app.extensions import db
from app.models import AuditEvent, ReviewFlag, User
from tests.conftest import BACKENDS, database_url, fresh_schema, make_config


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        return [(e.assessment_id, e.target, e.after) for e in rows]


def _one_event(app) -> int:
    from app import audit

    with app.app_context():
        event = audit.record("test.event", target="kept")
        db.session.commit()
        return event.id


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET action = 'forged'",
    "UPDATE audit_event SET target = NULL WHERE id = :id",
    "DELETE FROM audit_event WHERE id = :id",
    "DELETE FROM audit_event",
])
def test_the_database_refuses_raw_updates_and_deletes_of_audit_rows(app, statement):
    event_id = _one_event(app)
    with app.app_context():
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(sa.text(statement), {"id": event_id})
        assert db.session.scalar(sa.select(AuditEvent.target).where(AuditEvent.id == event_id)) == "kept"


def test_core_bulk_statements_and_truncate_are_refused_too(app):
    event_id = _one_event(app)
    with app.app_context():
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(sa.update(AuditEvent).values(action="forged"))
        db.session.rollback()
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(sa.delete(AuditEvent))
        db.session.rollback()
        if db.engine.dialect.name == "postgresql":
            with pytest.raises(sa.exc.DatabaseError, match="append-only"):
                db.session.execute(sa.text("TRUNCATE audit_event CASCADE"))
            db.session.rollback()
        assert db.session.get(AuditEvent, event_id).action == "test.event"


# ---- refusals are recorded ---------------------------------------------------------------------

@pytest.fixture(params=BACKENDS)
def strict_app(request, tmp_path):
    """An app with CSRF and the per-address login limit on, as in production."""
    with fresh_schema(create_app(make_config(database_url(request), tmp_path, WTF_CSRF_ENABLED=True,
                                             RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute"))) as app:
        yield app


def test_a_missing_csrf_token_is_refused_and_recorded(strict_app):
    response = strict_app.test_client().post("/login", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    [(_assessment, target, after)] = _events(strict_app, "csrf.refused")
    assert target == "POST /login" and after["code"] == 400


def test_a_rate_limited_login_is_refused_and_recorded(strict_app):
    client = strict_app.test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    codes = [client.post("/login", data={"email": "a@example.org", "password": "x", "csrf_token": token}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]
    [(_assessment, target, after)] = _events(strict_app, "rate_limit.refused")
    assert target == "POST /login" and after["code"] == 429


def _attachment(app, user, assessment_id: int) -> int:
    from app.models import Assessment
    from app.services import attachments

    with app.app_context():
        upload = FileStorage(io.BytesIO(b"%PDF-1.7 secret"), filename="secret.pdf")
        owner = db.session.get(User, user.id)
        return attachments.add(owner, db.session.get(Assessment, assessment_id), "legal.e-docs", upload).id


def test_another_countrys_attachment_reached_through_ones_own_assessment_is_refused_and_recorded(
        app, client, auth, make_user, start):
    by_user = make_user("coordinator", "BY")
    foreign = _attachment(app, by_user, start(by_user))
    am_user = make_user("coordinator", "AM")
    own = start(am_user)
    auth.login(am_user)
    assert client.get(f"/assessments/{own}/attachments/{foreign}").status_code == 404
    assert client.post(f"/assessments/{own}/attachments/{foreign}/delete").status_code == 404
    events = _events(app, "access.refused")
    assert [e[0] for e in events] == [own, own]
    assert all(f"attachment {foreign}" in e[2]["reason"] for e in events)


def test_another_countrys_flag_reached_through_ones_own_assessment_is_refused_and_recorded(
        app, client, auth, make_user, start):
    by_user = make_user("coordinator", "BY")
    foreign_assessment = start(by_user)
    with app.app_context():
        flag = ReviewFlag(assessment_id=foreign_assessment, question_key="legal.e-docs", comment="check")
        db.session.add(flag)
        db.session.commit()
        flag_id = flag.id
    am_user = make_user("coordinator", "AM")
    own = start(am_user)
    auth.login(am_user)
    response = client.post(f"/assessments/{own}/flags/{flag_id}/reply", data={"response": "mine now"})
    assert response.status_code == 404
    [(assessment_id, _target, after)] = _events(app, "access.refused")
    assert assessment_id == own and f"flag {flag_id}" in after["reason"]
    with app.app_context():
        assert db.session.get(ReviewFlag, flag_id).response is None


# ---- reading the log ---------------------------------------------------------------------------

def _seed(app, make_user, start):
    admin, analyst = make_user("admin"), make_user("analyst")
    am, kz = make_user("coordinator", "AM"), make_user("coordinator", "KZ")
    am_assessment, kz_assessment = start(am), start(kz)
    from app import audit

    with app.app_context():
        for number in range(60):
            audit.record("answer.update", user=db.session.get(User, am.id), assessment_id=am_assessment,
                         question_key=f"q{number}")
        audit.record("answer.update", user=db.session.get(User, kz.id), assessment_id=kz_assessment,
                     question_key="=HYPERLINK(\"http://evil\")")
        old = audit.record("login.failure", user=db.session.get(User, am.id), target=am.email)
        old.at = datetime(2025, 1, 15, 10, 0, tzinfo=timezone.utc)
        db.session.commit()
    return admin, analyst, am, kz, am_assessment, kz_assessment


def test_the_admin_reads_the_log_with_filters_and_pages(app, client, auth, make_user, start):
    admin, _analyst, am, _kz, am_assessment, kz_assessment = _seed(app, make_user, start)
    auth.login(admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "login.success" in page and "page 1 of" in page
    page = client.get("/admin/audit", query_string={"country": "AM", "action": "answer.update"}).get_data(as_text=True)
    assert "Events found: 60; page 1 of 2" in page and "q59" in page and "q0<" not in page
    page2 = client.get("/admin/audit", query_string={"country": "AM", "action": "answer.update", "page": 2})
    assert ">q0<" in page2.get_data(as_text=True)
    page = client.get("/admin/audit", query_string={"assessment": kz_assessment, "action": "answer.update"})
    assert "Events found: 1;" in page.get_data(as_text=True)
    page = client.get("/admin/audit", query_string={"user": am.email, "from": "2025-01-01", "to": "2025-01-31"})
    assert "Events found: 1;" in page.get_data(as_text=True) and "login.failure" in page.get_data(as_text=True)
    odd = client.get("/admin/audit", query_string={"assessment": "x", "from": "31.12.2025", "page": "-3",
                                                   "user": "ab%_"})
    assert odd.status_code == 200
    # a NUL character is refused before any view runs (app.request_guard), with a page that says why
    nul = client.get("/admin/audit", query_string={"assessment": "x\x00", "user": "a\x00b%_"})
    assert nul.status_code == 400 and "cannot be stored" in nul.get_data(as_text=True)


def test_the_log_exports_to_csv_with_formulas_neutralised(app, client, auth, make_user, start):
    admin, *_rest, kz_assessment = _seed(app, make_user, start)
    auth.login(admin)
    response = client.get("/admin/audit", query_string={"format": "csv", "assessment": kz_assessment,
                                                         "action": "answer.update"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")  # a UTF-8 byte-order mark, like every CSV of the app (Excel reads Cyrillic)
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["id", "at_utc", "user", "action"] and len(rows) == 2
    assert rows[1][7].startswith("'=HYPERLINK") and rows[1][5] == "KZ"
    assert _events(app, "audit.export")


def test_an_analyst_reads_the_events_of_assessments_but_not_of_accounts(app, client, auth, make_user, start):
    _admin, analyst, *_rest = _seed(app, make_user, start)
    auth.login(analyst)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "answer.update" in page and "login.failure" not in page and "login.success" not in page
    rows = list(csv.reader(io.StringIO(client.get("/admin/audit?format=csv").get_data(as_text=True).removeprefix("\ufeff"))))
    assert {row[3] for row in rows[1:]} == {"answer.update", "assessment.create"}
    assert client.get("/admin/audit", query_string={"action": "login.failure"}).status_code == 200
    assert "Events found: 0;" in client.get("/admin/audit", query_string={"action": "login.failure"}).get_data(as_text=True)


def test_national_users_cannot_read_the_log(client, auth, make_user):
    auth.login(make_user("coordinator", "AM"))
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit?format=csv").status_code == 403


def test_dates_filter_inclusively_by_utc_day(app, client, auth, make_user, start):
    admin, *_rest = _seed(app, make_user, start)
    auth.login(admin)
    today = datetime.now(timezone.utc).date()
    page = client.get("/admin/audit", query_string={"from": str(today), "to": str(today), "action": "login.failure"})
    assert "Events found: 0;" in page.get_data(as_text=True)
    page = client.get("/admin/audit", query_string={"to": str(today - timedelta(days=1))}).get_data(as_text=True)
    assert "Events found: 1;" in page


def test_any_filter_values_give_a_page_never_an_error(app, client, auth, make_user):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    auth.login(make_user("admin"))
    junk = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
        ["0", "-1", "99999999999999999999", "2025-02-30", "2025-12-31", "AM", "%", "_", "'", "\x00"])
    keys = st.sampled_from(["user", "country", "assessment", "action", "from", "to", "page", "format"])

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.dictionaries(keys, junk, max_size=5))
    def check(args):
        response = client.get("/admin/audit", query_string=args)
        has_nul = any("\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value) for value in args.values())
        assert response.status_code == (400 if has_nul else 200), args
        response.close()

    check()


def _recorded_event_types() -> set[str]:
    """Every event type the application records: record("...") literals, both arms of a conditional one,
    the transitions' `assessment.<target>` and the refusals the security module records by name."""
    from pathlib import Path

    from app.vocabulary import TRANSITIONS

    found: set[str] = set()
    for path in (Path(__file__).resolve().parent.parent / "app").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"\brecord\(([^,]+),", text):
            found.update(re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', call.group(1)))
        found.update(re.findall(r'_audited_refusal\("([a-z_.]+)"\)', text))
    found.update(f"assessment.{change.target}" for change in TRANSITIONS)
    return found


def test_every_recorded_event_type_has_a_name_in_both_languages(app):
    from app import audit

    recorded = _recorded_event_types()
    assert {"answer.update", "user.disable", "assessment.validated", "csrf.refused"} <= recorded  # the scan works
    assert recorded - set(audit.EVENT_TYPES) == set(), "event types without a name in app.audit.EVENT_TYPES"
    from flask_babel import force_locale

    with app.test_request_context():
        with force_locale("ru"):
            untranslated = {a for a in audit.EVENT_TYPES if str(audit.EVENT_TYPES[a]) == str(audit.EVENT_TYPES[a]._args[0])}
        assert untranslated == set(), "event types without a Russian name"


def test_the_audit_page_names_event_types_in_the_readers_language(app, client, auth, make_user, start):
    admin, *_rest = _seed(app, make_user, start)
    auth.login(admin)
    page = client.get("/admin/audit", query_string={"action": "answer.update"}).get_data(as_text=True)
    assert "Answer changed" in page and "<code class=\"small\">answer.update</code>" in page
    assert re.search(r'<option value="login.failure">Login failed</option>', page)
    client.post("/language/ru")
    page = client.get("/admin/audit", query_string={"action": "answer.update"}).get_data(as_text=True)
    assert "Ответ изменён" in page and "Answer changed" not in page
    # the CSV keeps the codes (its readers filter and join on them)
    body = client.get("/admin/audit", query_string={"format": "csv", "action": "answer.update"}).get_data(as_text=True)
    assert "answer.update" in body and "Ответ изменён" not in body
