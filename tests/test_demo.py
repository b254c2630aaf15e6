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
