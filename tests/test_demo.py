import sqlalchemy as sa

from app.extensions import db
from app.models import User
from app.services.demo import DEMO_PASSWORD


def test_demo_seed_creates_labelled_accounts_for_every_eeu_member(app, runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    with app.app_context():
        users = db.session.scalars(sa.select(User)).all()
    assert all(u.is_demo for u in users)
    national = {(u.country_code, u.role) for u in users if u.country_code}
    assert national == {(c, r) for c in ("AM", "BY", "KZ", "KG", "RU") for r in ("coordinator", "respondent")}
    assert sorted(u.role for u in users if not u.country_code) == ["admin", "analyst"]


def test_demo_seed_twice_creates_nothing_more(app, runner):
    runner.invoke(args=["demo", "seed"])
    result = runner.invoke(args=["demo", "seed"])
    assert "0 created" in result.output


def test_a_demo_coordinator_can_log_in_and_is_labelled_demo(client, runner, auth):
    runner.invoke(args=["demo", "seed"])
    auth.login("am.coordinator@demo.example", DEMO_PASSWORD)
    page = client.get("/").get_data(as_text=True)
    assert "Demo coordinator AM" in page and ">demo<" in page


def test_demo_assessments_span_the_version_change_through_the_crosswalk(app, runner):
    """2024 and 2025 answer DCM 2026.1, 2026 answers 2026.2 with 2025's answers carried forward."""
    import scoring
    from app.models import Answer, Assessment
    from app.services import questionnaires

    files = ["questionnaires/digital-customs-maturity/2026.1.yaml", "questionnaires/digital-customs-maturity/2026.2.yaml"]
    loaded = runner.invoke(args=["questionnaires", "load", *files])
    assert loaded.exit_code == 0, loaded.output
    assert "15 created" in runner.invoke(args=["demo", "seed"]).output
    with app.app_context():
        rows = db.session.scalars(sa.select(Assessment)).all()
        assert {(a.cycle, a.questionnaire_version.version) for a in rows} == {
            ("2024", "2026.1"), ("2025", "2026.1"), ("2026", "2026.2")}
        by = {(a.country_code, a.cycle): a for a in rows}
        old_q = questionnaires.parsed(by["RU", "2025"].questionnaire_version)
        new_q = questionnaires.parsed(by["RU", "2026"].questionnaire_version)

        def answers(assessment):
            return {a.question_key: a.value for a in db.session.scalars(
                sa.select(Answer).where(Answer.assessment_id == assessment.id))}

        before, after = answers(by["RU", "2025"]), answers(by["RU", "2026"])
        carried = scoring.crosswalk(old_q, new_q, before)
        assert set(after) == {q.key for q in new_q.questions}  # RU answers everything in every cycle
        assert not set(new_q.supersedes.dropped) & set(after)
        kept = 0
        for key, value in carried.items():
            q = new_q.question(key)
            if q.type == "text" or q.points(value) is None:
                continue  # no longer a valid answer: answered afresh
            share = lambda v: (q.points(v) or 0) / q.max_points  # noqa: E731
            assert share(after[key]) >= share(value), key  # kept, or one step of progress
            kept += after[key] == value
        renamed = dict(new_q.supersedes.renamed)
        assert any(after[new] == before[old] for old, new in renamed.items())
        assert kept > len(carried) / 2


def test_demo_seed_opens_a_cycle_per_demo_label_past_ones_closed_the_current_one_with_days_left(app, runner):
    import glob
    from datetime import datetime, timezone

    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Assessment, Cycle
    from app.services import deadlines

    runner.invoke(args=["countries", "sync"])
    runner.invoke(args=["questionnaires", "load", *sorted(glob.glob("questionnaires/*/*.yaml"))])
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0 and "demo cycles:" in result.output
    with app.app_context():
        labels = set(db.session.scalars(sa.select(Assessment.cycle).where(Assessment.is_demo.is_(True))))
        found = {c.label: c for c in db.session.scalars(sa.select(Cycle))}
        assert set(found) == labels and labels
        today = deadlines.local_today(datetime.now(timezone.utc), app.config["CYCLE_TIME_ZONE"])
        for cycle in found.values():
            assert cycle.country_codes == ["AM", "BY", "KG", "KZ", "RU"]
            if cycle.status == "open":
                assert cycle.submission_deadline > today and cycle.review_deadline > cycle.submission_deadline
            else:
                assert cycle.review_deadline < today
        assert any(c.status == "open" for c in found.values())
        unlinked = db.session.scalar(sa.select(sa.func.count(Assessment.id)).where(
            Assessment.is_demo.is_(True), Assessment.cycle_id.is_(None)))
        assert unlinked == 0
    assert "demo cycles: 0 opened" in runner.invoke(args=["demo", "seed"]).output


def test_every_status_is_reached_from_draft_through_the_transition_table():
    from app.vocabulary import RETURN, SUBMIT, VALIDATE, Status, path_from_draft

    assert path_from_draft(Status.DRAFT) == ()
    assert path_from_draft(Status.SUBMITTED) == (SUBMIT,)
    assert path_from_draft(Status.RETURNED) == (SUBMIT, RETURN)
    assert path_from_draft(Status.VALIDATED) == (SUBMIT, VALIDATE)


def test_every_dashboard_tab_answers_on_the_demo_data_with_every_switch(app, runner, client, auth):
    """The demo data spans DCM 2026.1 and 2026.2, which share no criterion with the same stage and scoring:
    the like-for-like trend says so instead of failing (it answered 500), and no tab with any of its
    switches, in either language, answers with an error."""
    files = ["questionnaires/digital-customs-maturity/2026.1.yaml", "questionnaires/digital-customs-maturity/2026.2.yaml",
             "questionnaires/single-window/2026.1.yaml", "questionnaires/single-window/2026.2.yaml"]
    assert runner.invoke(args=["questionnaires", "load", *files]).exit_code == 0
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    auth.login("analyst@demo.example", DEMO_PASSWORD)
    tabs = ["/dashboard/", "/dashboard/trends", "/dashboard/country/AM", "/dashboard/measures", "/dashboard/kpis",
            "/dashboard/overview", "/dashboard/country/AM/report"]
    switches = ["", "?comparable=1", "?cycle=2025", "?status=all", "?dimension=legal", "?country=AM&country=KZ",
                "?comparable=1&dimension=legal"]
    for language in ("en", "ru"):
        client.post(f"/language/{language}", data={"next": "/"})
        for tab in tabs:
            for switch in switches:
                response = client.get(tab + switch)
                assert response.status_code == 200, (language, tab + switch, response.status_code)
    client.post("/language/en", data={"next": "/"})
    page = client.get("/dashboard/trends?comparable=1").get_data(as_text=True)
    assert "share no criterion with the same stage and scoring" in page


def test_russian_pages_write_indices_with_a_decimal_comma_and_the_same_digits(app, runner, client, auth):
    """An index or a number answer reads 62.5 in English and 62,5 in Russian, with the same digits (Python's rounding, as the
    CSV exports write them); the charts use the language's mark in their own number formats too."""
    import json
    import re

    files = ["questionnaires/digital-customs-maturity/2026.1.yaml", "questionnaires/digital-customs-maturity/2026.2.yaml"]
    assert runner.invoke(args=["questionnaires", "load", *files]).exit_code == 0
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    auth.login("analyst@demo.example", DEMO_PASSWORD)
    review = re.search(r'href="(/review/\d+)"', client.get("/review/").get_data(as_text=True)).group(1)
    pages, figures = {}, 0
    for language in ("en", "ru"):
        client.post(f"/language/{language}", data={"next": "/"})
        pages[language] = {path: client.get(path).get_data(as_text=True)
                           for path in ("/dashboard/", "/dashboard/country/AM", "/dashboard/trends", review)}
    for path, english in pages["en"].items():
        russian = pages["ru"][path]
        shown_en = re.findall(r">(\d{1,3}\.\d)<", english)
        assert shown_en, path
        assert re.findall(r">(\d{1,3},\d)<", russian) == [n.replace(".", ",") for n in shown_en], path
        assert not re.findall(r">\d{1,3}\.\d<", russian), path
        for figure in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', russian, re.S):
            layout = json.loads(figure).get("layout")
            if layout is not None:
                assert layout["separators"] == ", ", path
                figures += 1
    assert figures >= 3
