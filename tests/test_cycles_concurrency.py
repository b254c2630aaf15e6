"""Two analysts at the same moment: one cycle per label, one closing (real threads, SQLite file and PostgreSQL)."""
import threading
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Cycle, QuestionnaireVersion, User
from tests.conftest import DATA, PASSWORD
from tests.cycle_helpers import shared_app  # noqa: F401  (fixture)


def _seed(app) -> tuple[list[int], int]:
    from app.services import accounts, countries, questionnaires

    with app.app_context():
        countries.sync_countries(("AM", "BY", "KZ", "KG", "RU"))
        questionnaires.load_paths([f"{DATA}/mini-2026.1.yaml"])
        analysts = [accounts.create_user(email=f"analyst{i}@example.org", name=f"A{i}", role="analyst",
                                         password=PASSWORD).id for i in range(2)]
        return analysts, questionnaires.find_version("mini", "2026.1").id


def _race(app, monkeypatch, name: str, action) -> tuple[list, list]:
    """Run action(analyst_id) in two threads that both pass the service's checks before either writes."""
    from app.services import cycles

    barrier, real = threading.Barrier(2, timeout=10), getattr(cycles, name)

    def checked_then_wait(*args, **kwargs):
        result = real(*args, **kwargs)
        barrier.wait()
        return result

    monkeypatch.setattr(cycles, name, checked_then_wait)
    done, refused = [], []

    def run(analyst_id):
        with app.app_context():
            try:
                done.append(action(db.session.get(User, analyst_id)))
            except cycles.CycleError as error:
                refused.append(str(error))
            finally:
                db.session.remove()

    analysts, _version = app.extensions["race_seed"]
    threads = [threading.Thread(target=run, args=(a,)) for a in analysts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return done, refused


def test_two_analysts_opening_the_same_cycle_at_once_make_one_cycle(shared_app, monkeypatch):
    from app.services import cycles

    app = shared_app
    app.extensions["race_seed"] = _seed(app)
    version_id = app.extensions["race_seed"][1]

    def open_it(user):
        return cycles.open_cycle(user, label="2026", version=db.session.get(QuestionnaireVersion, version_id),
                                 country_codes=["AM", "BY"], submission_deadline=date(2026, 12, 7),
                                 create_drafts=True).cycle.id

    done, refused = _race(app, monkeypatch, "_check_open", open_it)
    assert len(done) == 1 and refused == ["A cycle 2026 of this questionnaire exists already."]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Cycle.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "cycle.open")) == 1


def test_two_analysts_closing_a_cycle_at_once_close_it_once(shared_app, monkeypatch):
    from app.services import cycles

    app = shared_app
    app.extensions["race_seed"] = _seed(app)
    analysts, version_id = app.extensions["race_seed"]
    with app.app_context():
        cycle_id = cycles.open_cycle(db.session.get(User, analysts[0]), label="2026",
                                     version=db.session.get(QuestionnaireVersion, version_id), country_codes=["AM"],
                                     submission_deadline=date(2026, 12, 7)).cycle.id

    def close_it(user):
        return cycles.close_cycle(user, db.session.get(Cycle, cycle_id), confirmed=True)

    done, refused = _race(app, monkeypatch, "under_review", close_it)
    assert len(done) == 1 and refused == ["This cycle is closed already."]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "cycle.close")) == 1
        assert db.session.get(Cycle, cycle_id).status == "closed"
