"""Assessment cycles: opening (drafts, carry-forward, linking), deadlines, late submissions, closing."""
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Assessment, AuditEvent, Cycle, User
from tests.cycle_helpers import assessment_of, cycle, fill, open_cycle, submit

FAR_FUTURE, PAST = date(2099, 12, 31), date(2020, 1, 31)


def _audit(app, action):
    with app.app_context():
        return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                                  .order_by(AuditEvent.id)).all()


def test_opening_a_cycle_links_existing_assessments_and_starts_the_missing_drafts_with_carry_forward(
        app, make_user, start, mini_version):
    coordinator, analyst = make_user("coordinator", "AM"), make_user("analyst")
    earlier = start(coordinator, cycle="2025")
    fill(app, coordinator, earlier)
    submit(app, coordinator, earlier)
    with app.app_context():
        from app.services import workflow
        workflow.validate(db.session.get(User, analyst.id), db.session.get(Assessment, earlier))
    kz_before = start(make_user("coordinator", "KZ"), cycle="2026")

    cycle_id = open_cycle(app, analyst, mini_version, create_drafts=True, carry_forward=True)

    am = assessment_of(app, cycle_id, "AM")
    assert am.carried_from_id == earlier and am.status == "draft"
    assert assessment_of(app, cycle_id, "BY").carried_from_id is None  # nothing to carry: an empty draft
    assert assessment_of(app, cycle_id, "KZ").id == kz_before  # existing assessment linked, not duplicated
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Assessment.id)).where(Assessment.cycle == "2026")) == 5
    opened = _audit(app, "cycle.open")[-1].after
    assert opened["carried_forward"] == ["AM"] and opened["linked"] == ["KZ"]
    assert sorted(opened["drafts"]) == ["AM", "BY", "KG", "RU"]


def test_without_drafts_a_cycle_only_records_the_round(app, make_user, mini_version):
    cycle_id = open_cycle(app, make_user("analyst"), mini_version)
    assert assessment_of(app, cycle_id, "AM") is None
    assert cycle(app, cycle_id).status == "open"


def test_an_assessment_started_later_with_the_label_joins_the_cycle(app, make_user, start, mini_version):
    cycle_id = open_cycle(app, make_user("analyst"), mini_version, label="2027")
    later = start(make_user("coordinator", "AM"), cycle="2027")
    assert assessment_of(app, cycle_id, "AM").id == later
    other = start(make_user("coordinator", "BY"), cycle="2027-extra")
    with app.app_context():
        assert db.session.get(Assessment, other).cycle_id is None  # no such cycle: free-text label only


def test_an_administrator_may_open_and_start_drafts_though_not_assessments_by_hand(app, make_user, mini_version):
    cycle_id = open_cycle(app, make_user("admin"), mini_version, countries=("AM",), create_drafts=True)
    assert assessment_of(app, cycle_id, "AM").status == "draft"


@pytest.mark.parametrize("role, country", [("coordinator", "AM"), ("respondent", "AM")])
def test_national_users_cannot_open_or_close_cycles(app, client, auth, make_user, mini_version, role, country):
    from app.services.cycles import CycleError

    with pytest.raises(CycleError):
        open_cycle(app, make_user(role, country), mini_version)
    cycle_id = open_cycle(app, make_user("analyst"), mini_version)
    auth.login(make_user(role, country))
    assert client.get("/cycles/").status_code == 403
    assert client.get("/cycles/new").status_code == 403
    assert client.post(f"/cycles/{cycle_id}/close", data={"confirm": "y"}).status_code == 403
    assert cycle(app, cycle_id).status == "open"


@pytest.mark.parametrize("changes, message", [
    ({"label": ""}, "label"),
    ({"label": "x" * 21}, "label"),
    ({"countries": ()}, "participating country"),
    ({"countries": ("AM", "ZZ")}, "Unknown country code ZZ"),
    ({"review": date(2026, 12, 6)}, "review deadline cannot be before"),
])
def test_a_cycle_with_wrong_details_is_refused_and_nothing_is_stored(app, make_user, mini_version, changes, message):
    from app.services.cycles import CycleError

    analyst = make_user("analyst")
    arguments = {"label": "2026", "countries": ("AM",), "submission": date(2026, 12, 7), **changes}
    with pytest.raises(CycleError, match=message):
        open_cycle(app, analyst, mini_version, **arguments)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Cycle.id))) == 0


def test_the_same_label_cannot_be_opened_twice_for_a_questionnaire(app, make_user, mini_version):
    from app.services.cycles import CycleError

    analyst = make_user("analyst")
    open_cycle(app, analyst, mini_version)
    with pytest.raises(CycleError, match="exists already"):
        open_cycle(app, analyst, mini_version)


def test_a_submission_after_the_deadline_is_accepted_and_marked_late(app, client, auth, make_user, mini_version):
    coordinator, analyst = make_user("coordinator", "AM"), make_user("analyst")
    cycle_id = open_cycle(app, analyst, mini_version, submission=PAST, create_drafts=True)
    am = assessment_of(app, cycle_id, "AM").id
    fill(app, coordinator, am)
    submit(app, coordinator, am)
    stored = assessment_of(app, cycle_id, "AM")
    assert stored.status == "submitted" and stored.submitted_late
    assert _audit(app, "assessment.late")[-1].assessment_id == am
    auth.login(analyst)
    assert 'data-testid="late">Submitted late<' in client.get(f"/review/{am}").get_data(as_text=True)


def test_a_submission_on_time_is_not_marked_and_a_resubmission_keeps_the_first_mark(app, make_user, mini_version):
    from app.services import workflow

    coordinator, analyst = make_user("coordinator", "AM"), make_user("analyst")
    cycle_id = open_cycle(app, analyst, mini_version, submission=FAR_FUTURE, create_drafts=True)
    am = assessment_of(app, cycle_id, "AM").id
    fill(app, coordinator, am)
    submit(app, coordinator, am)
    assert not assessment_of(app, cycle_id, "AM").submitted_late
    with app.app_context():
        item = db.session.get(Assessment, am)
        workflow.add_flag(db.session.get(User, analyst.id), item, "release.hours", "Source?")
        workflow.return_assessment(db.session.get(User, analyst.id), item)
        db.session.get(Cycle, cycle_id).submission_deadline = PAST  # the deadline passes during the review
        db.session.commit()
        workflow.respond_to_flag(db.session.get(User, coordinator.id), item, workflow.flags(item)[0].id, "Statistics")
    submit(app, coordinator, am)
    assert not assessment_of(app, cycle_id, "AM").submitted_late


def test_an_assessment_without_a_cycle_submits_as_before(app, make_user, start):
    coordinator = make_user("coordinator", "AM")
    free = start(coordinator, cycle="pilot")
    fill(app, coordinator, free)
    submit(app, coordinator, free)
    with app.app_context():
        stored = db.session.get(Assessment, free)
        assert stored.cycle_id is None and stored.status == "submitted" and not stored.submitted_late


def test_opening_a_cycle_marks_the_earlier_late_submissions_of_the_assessments_it_links(app, make_user, start):
    coordinator = make_user("coordinator", "AM")
    free = start(coordinator, cycle="2026")
    fill(app, coordinator, free)
    submit(app, coordinator, free)
    cycle_id = open_cycle(app, make_user("analyst"), _mini(app), submission=PAST)
    assert assessment_of(app, cycle_id, "AM").submitted_late


def _mini(app):
    from app.services import questionnaires

    with app.app_context():
        return questionnaires.find_version("mini", "2026.1").id


def test_closing_is_refused_while_assessments_are_under_review_until_confirmed(app, client, auth, make_user, mini_version):
    coordinator, analyst = make_user("coordinator", "AM"), make_user("analyst")
    cycle_id = open_cycle(app, analyst, mini_version, create_drafts=True)
    am = assessment_of(app, cycle_id, "AM").id
    fill(app, coordinator, am)
    submit(app, coordinator, am)
    auth.login(analyst)

    page = client.post(f"/cycles/{cycle_id}/close", data={}).get_data(as_text=True)
    assert "1 assessment is still being reviewed" in page and "Armenia" in page
    assert 'name="confirm" value="y"' in page
    assert cycle(app, cycle_id).status == "open"

    response = client.post(f"/cycles/{cycle_id}/close", data={"confirm": "y"}, follow_redirects=True)
    assert "Cycle 2026 was closed." in response.get_data(as_text=True)
    assert cycle(app, cycle_id).status == "closed"
    closed = _audit(app, "cycle.close")[-1]
    assert closed.after == {"cycle_id": cycle_id, "under_review": ["AM"], "confirmed": True}
    assert closed.user_id == analyst.id


def test_a_cycle_with_nothing_under_review_closes_at_once_and_only_once(app, client, auth, make_user, mini_version):
    analyst = make_user("analyst")
    cycle_id = open_cycle(app, analyst, mini_version, create_drafts=True)
    auth.login(analyst)
    assert "was closed" in client.post(f"/cycles/{cycle_id}/close", follow_redirects=True).get_data(as_text=True)
    again = client.post(f"/cycles/{cycle_id}/close", data={"confirm": "y"}, follow_redirects=True)
    assert "closed already" in again.get_data(as_text=True)
    assert len(_audit(app, "cycle.close")) == 1


def test_the_open_form_defaults_to_the_eeu_members_and_opens_a_cycle(app, client, auth, make_user, mini_version):
    auth.login(make_user("analyst"))
    page = client.get("/cycles/new").get_data(as_text=True)
    for code in ("AM", "BY", "KZ", "KG", "RU"):
        assert f'value="{code}" checked' in page or f'checked id="countries-' in page
    assert 'value="DE" checked' not in page
    response = client.post("/cycles/new", data={
        "label": "2026", "questionnaire": mini_version, "countries": ["AM", "BY", "DE"],
        "submission_deadline": "2026-12-07", "review_deadline": "2027-01-31", "create_drafts": "y"},
        follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Cycle 2026 was opened: 3 draft(s) started" in text
    with app.app_context():
        stored = db.session.scalar(sa.select(Cycle))
        assert stored.country_codes == ["AM", "BY", "DE"]
        assert (stored.submission_deadline, stored.review_deadline) == (date(2026, 12, 7), date(2027, 1, 31))


@pytest.mark.parametrize("data", [
    {"label": "2026", "submission_deadline": "07.12.2026"},
    {"label": "20 26", "submission_deadline": "2026-12-07"},
    {"label": "2026", "submission_deadline": "2026-02-30"},
    {"label": "2026", "submission_deadline": "2026-12-07", "review_deadline": "2026-12-01"},
    {"label": "2026", "submission_deadline": "2026-12-07", "questionnaire": "999"},
    {"label": "2026", "submission_deadline": "2026-12-07", "countries": ["XX"]},
    {"label": "<script>", "submission_deadline": "2026-12-07"},
    {"label": "2026", "submission_deadline": "9999999-12-07"},
])
def test_bad_input_to_the_open_form_is_refused_without_a_server_error(app, client, auth, make_user, mini_version, data):
    auth.login(make_user("analyst"))
    form = {"questionnaire": mini_version, "countries": ["AM"], **data}
    response = client.post("/cycles/new", data=form)
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Cycle.id))) == 0


def _at(monkeypatch, instant):
    from app.services import cycles

    monkeypatch.setattr(cycles, "now", lambda: instant)


def test_the_cycle_overview_shows_each_country_against_the_deadline(app, client, auth, make_user, mini_version,
                                                                    monkeypatch):
    coordinator, analyst = make_user("coordinator", "AM"), make_user("analyst")
    cycle_id = open_cycle(app, analyst, mini_version, countries=("AM", "BY", "KZ"), submission=PAST,
                          create_drafts=True)
    am = assessment_of(app, cycle_id, "AM").id
    fill(app, coordinator, am)
    submit(app, coordinator, am)  # late: the deadline is in the past
    _at(monkeypatch, datetime(2020, 2, 3, 12, tzinfo=timezone.utc))  # three days after the deadline
    auth.login(analyst)
    page = client.get("/dashboard/overview?questionnaire=mini@2026.1&cycle=2026&status=submitted")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Submitted late" in text and text.count("Overdue by 3 days") == 2
    assert "January 31, 2020" in text and "Europe/Moscow" in text


def test_the_overview_counts_days_left_before_the_deadline(app, client, auth, make_user, mini_version, monkeypatch):
    analyst = make_user("analyst")
    open_cycle(app, analyst, mini_version, countries=("AM",), submission=date(2026, 12, 7), create_drafts=True)
    _at(monkeypatch, datetime(2026, 11, 30, 22, 0, tzinfo=timezone.utc))  # 1 December in Moscow
    auth.login(analyst)
    text = client.get("/dashboard/overview?questionnaire=mini@2026.1&cycle=2026").get_data(as_text=True)
    assert "6 days left" in text


def test_home_pages_say_what_is_due_and_when(app, client, auth, make_user, mini_version, monkeypatch):
    coordinator, analyst = make_user("coordinator", "AM"), make_user("analyst")
    open_cycle(app, analyst, mini_version, countries=("AM", "BY"), submission=date(2026, 12, 7),
               review=date(2027, 1, 31), create_drafts=True)
    open_cycle(app, analyst, mini_version, label="other", countries=("BY",), submission=date(2026, 12, 9))
    _at(monkeypatch, datetime(2026, 12, 6, 9, tzinfo=timezone.utc))
    auth.login(coordinator)
    text = client.get("/").get_data(as_text=True)
    assert "Submission deadline: December 7, 2026" in text and "1 day left" in text
    assert "Cycle other" not in text  # Armenia does not take part
    auth.logout()
    auth.login(analyst)
    text = client.get("/").get_data(as_text=True)
    assert "Cycle other" in text and "Review deadline: January 31, 2027" in text and "Draft: 2" in text


def test_the_home_page_in_russian_gives_dates_and_days_in_russian(app, client, auth, make_user, mini_version,
                                                                  monkeypatch):
    coordinator = make_user("coordinator", "AM")
    open_cycle(app, make_user("analyst"), mini_version, countries=("AM",), submission=date(2026, 12, 7),
               create_drafts=True)
    _at(monkeypatch, datetime(2026, 12, 2, 9, tzinfo=timezone.utc))
    auth.login(coordinator)
    client.post("/language/ru")
    text = client.get("/").get_data(as_text=True)
    assert "7 декабря 2026" in text and "Осталось 5 дней" in text


def test_the_cycle_list_shows_open_and_closed_cycles(app, client, auth, make_user, mini_version):
    analyst = make_user("analyst")
    open_cycle(app, analyst, mini_version, label="2025", submission=PAST)
    open_cycle(app, analyst, mini_version, label="2026", submission=FAR_FUTURE)
    auth.login(analyst)
    with app.app_context():
        from app.services import cycles
        cycles.close_cycle(db.session.get(User, analyst.id), cycles.find("mini", "2025"))
    text = client.get("/cycles/").get_data(as_text=True)
    assert 'data-cycle="2026" data-status="open"' in text and 'data-cycle="2025" data-status="closed"' in text
    assert text.index('data-cycle="2026"') < text.index('data-cycle="2025"')


def test_fuzzed_input_to_the_open_form_never_fails_and_stores_only_what_was_meant(app, client, auth, make_user,
                                                                                  mini_version):
    from hypothesis import HealthCheck, given, settings, strategies as st

    auth.login(make_user("analyst"))
    text = st.text(st.characters(min_codepoint=1, max_codepoint=0x2FFF), max_size=30)
    day = st.dates(date(1990, 1, 1), date(2100, 1, 1)).map(date.isoformat)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(label=st.one_of(text, st.from_regex(r"[0-9A-Za-z._-]{1,20}", fullmatch=True)),
           submission=st.one_of(day, text), review=st.one_of(day, text, st.just("")),
           countries=st.lists(st.one_of(st.sampled_from(["AM", "BY", "DE", "am", "ZZ", ""]), text), max_size=4),
           questionnaire=st.one_of(st.just(str(mini_version)), text))
    def check(label, submission, review, countries, questionnaire):
        form = {"label": label, "submission_deadline": submission, "review_deadline": review,
                "countries": countries, "questionnaire": questionnaire}
        response = client.post("/cycles/new", data=form)
        assert response.status_code in (200, 302)
        with app.app_context():
            stored = db.session.scalar(sa.select(Cycle).where(Cycle.label == label.strip()))
            if response.status_code == 302:
                assert stored is not None and stored.submission_deadline.isoformat() == submission.strip()
                assert stored.country_codes == sorted(set(countries))
                assert stored.review_deadline is None or stored.review_deadline.isoformat() == review.strip()
                db.session.delete(stored)
                db.session.commit()
            else:
                assert stored is None

    check()
