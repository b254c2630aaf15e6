"""The review workspace: section navigator, filters, evidence files, flags resolved one by one with a reason,
and return/validate as a confirmed second step that never resolves a flag silently."""
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Assessment, AuditEvent, ReviewFlag
from tests.conftest import answer_with_evidence


def _status(app, assessment):
    with app.app_context():
        return db.session.get(Assessment, assessment).status


def _flag(app, flag_id):
    with app.app_context():
        flag = db.session.get(ReviewFlag, flag_id)
        return flag.state, flag.resolution


@pytest.fixture
def review(app, client, auth, make_user, start, save):
    """A submitted mini assessment (AM) with an evidence file on legal.e-docs; the analyst is logged in."""
    coordinator = make_user("coordinator", "AM")
    assessment = start(coordinator)
    auth.login(coordinator)
    answer_with_evidence(client, save, assessment, "3.5", b"%PDF-1.7 the law")
    assert client.post(f"/assessments/{assessment}/submit").status_code == 302
    auth.logout()
    analyst = make_user("analyst")
    auth.login(analyst)
    assert _status(app, assessment) == "submitted"
    return assessment


def _flag_question(client, assessment, key, comment="Source?"):
    client.post(f"/review/{assessment}/flags", data={"question_key": key, "comment": comment})


def _shown_keys(page: str) -> list[str]:
    return re.findall(r'<article id="q-([^"]+)"', page)


def test_the_navigator_lists_every_section_and_a_section_can_be_shown_alone(client, review):
    page = client.get(f"/review/{review}").get_data(as_text=True)
    navigator = page.split('data-testid="section-navigator"')[1].split("</div>")[0]
    assert "Legal framework" in navigator and "Release" in navigator
    only = client.get(f"/review/{review}?section=release").get_data(as_text=True)
    assert _shown_keys(only) == ["release.hours", "release.remote"]


@pytest.mark.parametrize("show, expected", [
    ("all", ["legal.e-docs", "legal.e-signature", "release.hours", "release.remote"]),
    ("flagged", ["release.hours"]),
    ("unanswered", ["release.remote"]),
    ("no-evidence", ["legal.e-signature", "release.hours"]),
    ("hidden", []),
    ("changed", []),
    ("nonsense", ["legal.e-docs", "legal.e-signature", "release.hours", "release.remote"]),
])
def test_the_filters_show_only_the_matching_questions(client, review, show, expected):
    _flag_question(client, review, "release.hours")
    page = client.get(f"/review/{review}?show={show}").get_data(as_text=True)
    assert _shown_keys(page) == expected
    if not expected:
        assert 'data-testid="nothing-shown"' in page


def test_the_stage_filter_combines_with_the_others(client, review):
    assert _shown_keys(client.get(f"/review/{review}?stage=paperless").get_data(as_text=True)) == [
        "legal.e-docs", "release.remote"]
    assert _shown_keys(client.get(f"/review/{review}?stage=electronic&show=no-evidence").get_data(as_text=True)) == [
        "legal.e-signature", "release.hours"]


def test_a_question_hidden_by_an_earlier_answer_is_found_by_the_hidden_filter(app, make_user, start, save, auth,
                                                                                  client):
    from app.review.workspace import workspace

    coordinator = make_user("coordinator", "AM")
    assessment = start(coordinator)
    auth.login(coordinator)
    save(assessment, "legal.e-docs", value="none")
    with app.test_request_context():
        data = workspace(db.session.get(Assessment, assessment), show="hidden")
        assert [i.question.key for s in data["sections"] for i in s.items] == ["legal.e-signature"]
        assert data["counts"]["hidden"] == 1


def test_evidence_files_are_listed_with_their_size_and_can_be_downloaded(client, review):
    page = client.get(f"/review/{review}").get_data(as_text=True)
    files = page.split('data-testid="evidence-files-legal.e-docs"')[1].split("</div>")[0]
    link = re.search(r'href="([^"]+)">law.pdf</a> \((\d+) bytes\)', files)
    assert link and int(link.group(2)) == len(b"%PDF-1.7 the law")
    download = client.get(link.group(1))
    assert download.status_code == 200 and download.data == b"%PDF-1.7 the law"
    download.close()


def test_a_flag_is_resolved_with_a_reason_and_the_reason_is_kept(app, client, review):
    _flag_question(client, review, "release.hours")
    refused = client.post(f"/review/{review}/flags/1/resolve", data={"reason": "   "}, follow_redirects=True)
    assert "Write why the flag is resolved." in refused.get_data(as_text=True)
    assert _flag(app, 1) == ("open", None)
    client.post(f"/review/{review}/flags/1/resolve", data={"reason": "Confirmed by phone.",
                                                           "question_key": "release.hours"})
    assert _flag(app, 1) == ("resolved", "Confirmed by phone.")
    assert "Confirmed by phone." in client.get(f"/review/{review}").get_data(as_text=True)
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "flag.resolve")).one()
        assert event.after["resolution"] == "Confirmed by phone."


def test_the_cards_print_what_people_wrote_as_text(app, client, auth, make_user, start, save):
    """The cards are built in Python (app/review/cards.py), not by Jinja's autoescape: comments, links, flag texts,
    replies and reasons are still escaped."""
    coordinator = make_user("coordinator", "AM")
    assessment = start(coordinator)
    auth.login(coordinator)
    answer_with_evidence(client, save, assessment, "3.5", b"%PDF-1.7 the law")
    changed = save(assessment, "legal.e-signature", base_revision=1, value="yes",
                   comment='<script>alert("c")</script> & \'q\'', evidence_url="https://e.example/?a=1&b=2")
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert client.post(f"/assessments/{assessment}/submit").status_code == 302
    auth.logout()
    auth.login(make_user("analyst"))
    _flag_question(client, assessment, "release.hours", "<b>Source?</b>")
    _flag_question(client, assessment, "release.hours", "<i>second</i>")
    client.post(f"/review/{assessment}/flags/2/resolve",
                data={"reason": "<u>checked</u>", "question_key": "release.hours"})
    page = client.get(f"/review/{assessment}").get_data(as_text=True)
    assert "<script>" not in page and "<b>Source?</b>" not in page and "<u>checked</u>" not in page
    assert "&lt;script&gt;alert(&#34;c&#34;)&lt;/script&gt; &amp; &#39;q&#39;" in page
    assert 'href="https://e.example/?a=1&amp;b=2"' in page
    assert "&lt;b&gt;Source?&lt;/b&gt;" in page and "&lt;i&gt;second&lt;/i&gt;" in page
    assert "&lt;u&gt;checked&lt;/u&gt; (Analyst EEC)" in page


def test_flags_resolved_by_several_analysts_cost_no_query_each(app, client, auth, make_user, review):
    """Who resolved each flag is read in one query, however many flags and analysts."""
    def statements() -> int:
        counted = []
        with app.app_context():
            engine = db.engine

        def listen(*_args):
            counted.append(1)

        sa.event.listen(engine, "before_cursor_execute", listen)
        try:
            assert client.get(f"/review/{review}").status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", listen)
        return len(counted)

    keys = ["legal.e-docs", "legal.e-signature", "release.hours"]
    for key in keys:
        _flag_question(client, review, key)
    auth.logout()
    for flag_id, key in enumerate(keys, start=1):
        auth.login(make_user("analyst"))
        client.post(f"/review/{review}/flags/{flag_id}/resolve", data={"reason": "Fine.", "question_key": key})
        auth.logout()
        with app.app_context():
            assert db.session.get(ReviewFlag, flag_id).state == "resolved"
        if flag_id == 1:
            auth.login(make_user("analyst"))
            one = statements()
            auth.logout()
    auth.login(make_user("analyst"))
    assert statements() == one


def test_validate_and_return_are_links_to_a_confirmation_step(client, review):
    page = client.get(f"/review/{review}").get_data(as_text=True)
    assert f'href="/review/{review}/validate"' in page and f'href="/review/{review}/return"' in page
    assert f'action="/review/{review}/validate"' not in page and f'action="/review/{review}/return"' not in page


def test_validating_needs_the_box_ticked(app, client, review):
    response = client.post(f"/review/{review}/validate", data={})
    assert response.status_code == 422 and "Tick the box to confirm." in response.get_data(as_text=True)
    assert _status(app, review) == "submitted"


def test_validating_with_an_open_flag_names_it_and_needs_a_reason(app, client, review):
    _flag_question(client, review, "release.hours", "Source of the 3.5 hours?")
    confirm = client.get(f"/review/{review}/validate").get_data(as_text=True)
    assert 'data-testid="unresolved-flags"' in confirm
    assert "Median release time" in confirm and "Source of the 3.5 hours?" in confirm
    refused = client.post(f"/review/{review}/validate", data={"confirm": "y"})
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.get_data(as_text=True)
    assert _status(app, review) == "submitted" and _flag(app, 1) == ("open", None)  # never resolved silently
    client.post(f"/review/{review}/validate", data={"confirm": "y", "reason-1": "Accepted after checking the law."})
    assert _status(app, review) == "validated"
    assert _flag(app, 1) == ("resolved", "Accepted after checking the law.")


def test_validating_twice_by_back_and_resend_changes_nothing(app, client, review):
    assert client.post(f"/review/{review}/validate", data={"confirm": "y"}).status_code == 302
    again = client.post(f"/review/{review}/validate", data={"confirm": "y"}, follow_redirects=True)
    assert "it is now “Validated”. Nothing was changed" in again.get_data(as_text=True)
    assert 'data-testid="not-submitted"' in client.get(f"/review/{review}/validate").get_data(as_text=True)


def test_returning_lists_the_flags_and_needs_the_box_ticked(app, client, review):
    _flag_question(client, review, "release.hours", "Source of the 3.5 hours?")
    page = client.get(f"/review/{review}/return").get_data(as_text=True)
    assert 'data-testid="flags-to-return"' in page and "Source of the 3.5 hours?" in page
    assert client.post(f"/review/{review}/return", data={}).status_code == 422
    assert _status(app, review) == "submitted"
    assert client.post(f"/review/{review}/return", data={"confirm": "y"}).status_code == 302
    assert _status(app, review) == "returned"
