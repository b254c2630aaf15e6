"""Walks app.url_map: every non-public endpoint refuses anonymous users, and every endpoint that
names an assessment answers 404 to a national user of another country."""
import re

import pytest

PUBLIC = {"static", "bootstrap.static", "auth.login", "auth.logout", "auth.verify", "main.set_language", "main.healthz"}
PUBLIC_PREFIXES = ("dashboard.plotly", "dashboard.asset", "dashboard.static")


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC or rule.endpoint.startswith(PUBLIC_PREFIXES):
            continue
        yield rule


def _url(rule, **values) -> str:
    path = rule.rule
    for arg in rule.arguments:
        value = values.get(arg, {"int": 1}.get(_converter(rule, arg), "x"))
        path = re.sub(rf"<(?:[^:<>]+:)?{arg}>", str(value), path)
    return path


def _converter(rule, arg):
    return type(rule._converters[arg]).__name__.replace("Converter", "").lower().replace("integer", "int")


def _call(client, rule, url):
    method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
    return client.open(url, method=method)


def test_every_non_public_endpoint_refuses_anonymous_users(app, client):
    checked = 0
    for rule in _rules(app):
        response = _call(client, rule, _url(rule))
        assert response.status_code in (302, 401), f"{rule.endpoint} {rule.rule} answered {response.status_code}"
        if response.status_code == 302:
            assert "/login" in response.location, rule.endpoint
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("role", ["respondent", "coordinator"])
def test_endpoints_naming_an_assessment_hide_other_countries(app, client, auth, make_user, start, save, role):
    from app.models import Attachment
    from app.extensions import db

    owner = make_user("coordinator", "AM")
    assessment = start(owner)
    auth.login(owner)
    save(assessment, "legal.e-docs", value="full")
    auth.logout()
    with app.app_context():
        db.session.add(Attachment(assessment_id=assessment, question_key="legal.e-docs", filename="a.pdf",
                                  stored_name="f" * 32, content_type="application/pdf", size=1, sha256="0" * 64))
        db.session.commit()
    auth.login(make_user(role, "BY"))
    checked = 0
    for rule in _rules(app):
        if "assessment_id" not in rule.arguments:
            continue
        url = _url(rule, assessment_id=assessment, question_key="legal.e-docs", dimension_key="legal",
                   attachment_id=1, flag_id=1, token="t" * 32)
        response = _call(client, rule, url)
        assert response.status_code in (403, 404), f"{rule.endpoint} {url} answered {response.status_code}"
        if not rule.endpoint.startswith("review."):
            assert response.status_code == 404, f"{rule.endpoint} revealed another country's assessment"
        checked += 1
    assert checked >= 8


def test_refused_access_is_audited(app, client, auth, make_user, start):
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import AuditEvent

    assessment = start(make_user("coordinator", "AM"))
    auth.login(make_user("respondent", "KG"))
    client.get(f"/assessments/{assessment}")
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "access.refused"))
    assert event.target == f"GET /assessments/{assessment}" and event.after["code"] == 404
