"""Every form answers a refused value with the form and its error, never a 500; every POST that changes
something ends in a redirect (PRG), so Back and reload are safe."""
import io
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Assessment, ReviewFlag

REFUSED_CYCLES = ["next year", "2026 H1", "2026/27", "２０２６", "2026\n27", "", "   ", "x" * 21, "<b>2026</b>",
                  "2026;DROP", "20\u200b26", "٢٠٢٦"]
JUNK = ["", " ", "x" * 6000, "２０２６", "<script>alert(1)</script>", "\u0000", "' OR 1=1 --", "=1+1",
        "null", "-1", "9" * 40, "ü\u200bñ"]


@pytest.mark.parametrize("cycle", REFUSED_CYCLES)
def test_a_refused_cycle_returns_the_start_form_with_its_error(app, client, auth, make_user, mini_version, cycle):
    auth.login(make_user("coordinator", "AM"))
    response = client.post("/assessments/start", data={"country": "AM", "questionnaire": str(mini_version),
                                                       "cycle": cycle})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="form-control is-invalid"' in page and 'aria-invalid="true"' in page
    assert re.search(r'class="invalid-feedback" id="cycle-error">[^<]+<', page)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 0


def test_a_refused_start_in_russian_says_why_in_russian(client, auth, make_user, mini_version):
    auth.login(make_user("coordinator", "AM"))
    client.post("/language/ru")
    page = client.post("/assessments/start", data={"country": "AM", "questionnaire": str(mini_version),
                                                   "cycle": "2026/27"}).get_data(as_text=True)
    assert "латинские буквы" in page


def test_a_service_refusal_of_the_start_is_shown_on_the_form(client, auth, make_user, start, mini_version):
    coordinator = make_user("coordinator", "AM")
    start(coordinator, cycle="2026")
    auth.login(coordinator)
    response = client.post("/assessments/start", data={"country": "AM", "questionnaire": str(mini_version),
                                                       "cycle": "2026"})
    assert response.status_code == 422
    assert 'data-testid="start-errors"' in response.get_data(as_text=True)


def test_a_good_start_redirects_to_the_new_assessment(client, auth, make_user, mini_version):
    auth.login(make_user("coordinator", "AM"))
    response = client.post("/assessments/start", data={"country": "AM", "questionnaire": str(mini_version),
                                                       "cycle": "2026-H1"})
    assert response.status_code == 302 and re.search(r"/assessments/\d+$", response.location)


def test_back_after_submitting_shows_that_the_assessment_was_submitted(client, auth, make_user, start, save):
    coordinator = make_user("coordinator", "AM")
    assessment = start(coordinator)
    auth.login(coordinator)
    save(assessment, "legal.e-docs", value="full", evidence_url="https://law.example/act")
    save(assessment, "legal.e-signature", value="yes")
    save(assessment, "release.hours", value="3.5")
    response = client.post(f"/assessments/{assessment}/submit")
    assert response.status_code == 302
    back = client.get(f"/assessments/{assessment}/submit").get_data(as_text=True)
    assert 'data-testid="already-submitted"' in back and "Only the coordinator" not in back


@pytest.fixture
def world(app, make_user, start, save, client, auth):
    """A submitted assessment with an open flag and an attachment, and one user of every role."""
    users = {role: make_user(role, "AM" if role in ("respondent", "coordinator") else None)
             for role in ("respondent", "coordinator", "analyst", "admin")}
    assessment = start(users["coordinator"])
    auth.login(users["coordinator"])
    save(assessment, "legal.e-docs", value="full", evidence_url="https://law.example/act")
    save(assessment, "legal.e-signature", value="yes")
    save(assessment, "release.hours", value="3.5")
    client.post(f"/assessments/{assessment}/answers/legal.e-docs/attachments",
                data={"file": (io.BytesIO(b"%PDF-1.7 law"), "law.pdf")}, content_type="multipart/form-data")
    client.post(f"/assessments/{assessment}/submit")
    auth.logout()
    with app.app_context():
        flag = ReviewFlag(assessment_id=assessment, question_key="release.hours", comment="Source?",
                          created_by_id=users["analyst"].id)
        db.session.add(flag)
        db.session.commit()
        flag_id = flag.id
    return {"users": users, "assessment": assessment, "flag": flag_id}


def _post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/static"):
            yield rule


def _url(rule, world, user_id: int) -> str:
    values = {"assessment_id": world["assessment"], "flag_id": world["flag"], "user_id": user_id,
              "attachment_id": 1, "question_key": "legal.e-docs", "dimension_key": "legal", "lang": "ru",
              "token": "A" * 43, "code": "AM"}
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<(?:[a-z]+:)?{name}>", str(values.get(name, "x")), url)
    return url


@pytest.mark.parametrize("role", ["respondent", "coordinator", "analyst", "admin"])
def test_no_post_of_junk_to_any_form_of_the_app_answers_5xx(app, client, auth, world, role):
    """Every POST endpoint, every field the app's forms know, junk values: the answer is never a 5xx."""
    user = world["users"][role]
    auth.login(user)
    fields = ["email", "password", "code", "name", "role", "country", "questionnaire", "cycle", "carry_forward",
              "comment", "response", "question_key", "reason", "confirm", "flags", "next", "dimension"]
    rules = list(_post_rules(app))
    assert len(rules) >= 15, "the crawl should see every form of the app"
    for rule in rules:
        if rule.endpoint in ("auth.logout", "auth.login"):
            continue
        url = _url(rule, world, user.id)
        for junk in JUNK:
            response = client.post(url, data={field: junk for field in fields})
            assert response.status_code < 500, (url, junk, response.status_code)
            response = client.post(url, data={"file": (io.BytesIO(junk.encode()), junk[:50] or "x")},
                                   content_type="multipart/form-data")
            assert response.status_code < 500, (url, "file", junk, response.status_code)
        assert client.post(url, json={"base_revision": "x", "value": JUNK}).status_code < 500, url
