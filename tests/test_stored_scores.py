"""Pages show the stored score rows, never a recomputation of their own, so the stored rows must equal
what the engine computes afresh from the stored answers after every kind of change."""
import re

import pytest

import scoring
from app.extensions import db
from app.models import Assessment
from app.services import scores
from app.services.questionnaires import parsed

#: saves through autosave, in order: answers, a gate that hides its follow-up, not applicable, clearing
SAVES = [
    ("legal.e-docs", {"value": "full"}),
    ("legal.e-signature", {"value": "yes"}),
    ("release.hours", {"value": "12"}),
    ("release.remote", {"not_applicable": True}),
    ("legal.e-docs", {"value": "none"}),  # hides legal.e-signature
    ("release.remote", {"not_applicable": False, "value": "partial"}),
    ("release.hours", {"value": None}),
]
FIELDS = ("level", "index", "stages", "answered", "applicable", "completeness", "required_answered",
          "required_visible")


def fresh_and_stored(app, assessment_id: int) -> tuple[dict, dict]:
    with app.app_context():
        result = scores.score_assessment(db.session.get(Assessment, assessment_id))
        fresh = {d.key: {f: getattr(d, f) for f in FIELDS} for d in (*result.dimensions, result.overall)}
        stored = {key: {f: getattr(row, f) for f in FIELDS} for key, row in scores.rows_for(assessment_id).items()}
        # the way to the next level the profile shows is stored with the rows, and is the engine's
        threshold = parsed(db.session.get(Assessment, assessment_id).questionnaire_version).rules.stage_threshold
        ways = scoring.next_level(result, threshold)
        for key, row in scores.rows_for(assessment_id).items():
            fresh[key]["way"] = ways.get(key)
            stored[key]["way"] = scores.stored_way(row)
            fresh[key]["hidden"] = sorted(result.hidden) if key == "_overall" else None
            stored[key]["hidden"] = row.hidden
    return fresh, stored


@pytest.fixture
def coordinator(make_user, auth):
    user = make_user("coordinator", "AM")
    auth.login(user)
    return user


def test_after_every_save_the_stored_rows_and_the_autosave_answer_equal_a_fresh_recompute(app, coordinator, start,
                                                                                          save):
    assessment = start(coordinator)
    revisions: dict[str, int] = {}
    for key, fields in SAVES:
        response = save(assessment, key, revisions.get(key, 0), **fields)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        revisions[key] = body["answer"]["revision"]
        fresh, stored = fresh_and_stored(app, assessment)
        assert stored == fresh, key
        assert body["progress"] == {k: {"answered": v["required_answered"], "required": v["required_visible"],
                                        "percent": 100 if not v["required_visible"] else
                                        round(100 * v["required_answered"] / v["required_visible"])}
                                    for k, v in fresh.items()}
    assert body["hidden"] == ["legal.e-signature"]


def test_the_overview_and_section_pages_show_the_figures_of_a_fresh_recompute(app, client, coordinator, start,
                                                                             save):
    assessment = start(coordinator)
    for key, fields in SAVES[:4]:
        assert save(assessment, key, 0, **fields).status_code == 200
    fresh, _stored = fresh_and_stored(app, assessment)
    overview = client.get(f"/assessments/{assessment}").get_data(as_text=True)
    overall = fresh["_overall"]
    assert (f'data-testid="overall-progress">{overall["required_answered"]} of {overall["required_visible"]} '
            "required questions answered") in overview
    for key in ("legal", "release"):
        if fresh[key]["index"] is not None:
            assert f'<td class="text-end">{fresh[key]["index"]:.1f}</td>' in overview
    section = client.get(f"/assessments/{assessment}/section/release").get_data(as_text=True)
    shown = re.search(r'id="section-progress-text">(\d+) of (\d+) required', section).groups()
    assert tuple(map(int, shown)) == (fresh["release"]["required_answered"], fresh["release"]["required_visible"])


def test_recompute_all_writes_the_same_rows_as_the_saves_did(app, coordinator, start, save):
    assessment = start(coordinator)
    for key, fields in SAVES[:4]:
        assert save(assessment, key, 0, **fields).status_code == 200
    _fresh, before = fresh_and_stored(app, assessment)
    with app.app_context():
        scores.recompute_all()
    _fresh, after = fresh_and_stored(app, assessment)
    assert before == after


def test_a_save_that_changes_nothing_neither_stores_nor_rescores(app, coordinator, start, save, monkeypatch):
    assessment = start(coordinator)
    first = save(assessment, "legal.e-docs", 0, value="full").get_json()
    with app.app_context():
        computed = {k: r.computed_at for k, r in scores.rows_for(assessment).items()}
    scored = []
    original = scores.rescore
    monkeypatch.setattr(scores, "rescore", lambda a: scored.append(a.id) or original(a))
    response = save(assessment, "legal.e-docs", first["answer"]["revision"], value="full")
    assert response.status_code == 200
    body = response.get_json()
    assert body["answer"]["revision"] == first["answer"]["revision"]
    assert "progress" not in body and "hidden" not in body  # the page keeps what it shows
    assert scored == []
    with app.app_context():
        assert {k: r.computed_at for k, r in scores.rows_for(assessment).items()} == computed
    changed = save(assessment, "legal.e-docs", first["answer"]["revision"], value="partial")
    assert changed.status_code == 200 and "progress" in changed.get_json()
    assert scored == [assessment]  # one scoring per save that changes an answer
