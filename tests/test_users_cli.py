import sqlalchemy as sa

from app.extensions import db
from app.models import User
from app.services.accounts import AccountError, create_user


def test_users_create_makes_a_coordinator_with_a_password_from_the_environment(app, runner, countries):
    result = runner.invoke(args=["users", "create", "--email", "Lead@Customs.AM", "--role", "coordinator",
                                 "--country", "am"], env={"USER_PASSWORD": "Ararat-Valley-2026"})
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert (user.email, user.role, user.country_code) == ("lead@customs.am", "coordinator", "AM")


def test_users_create_prompts_for_the_password(app, runner, countries):
    result = runner.invoke(args=["users", "create", "--email", "a@eec.int", "--role", "analyst"],
                           input="Eurasian-Analyst-77\nEurasian-Analyst-77\n", env={"USER_PASSWORD": ""})
    assert result.exit_code == 0, result.output


def test_users_create_refuses_a_coordinator_without_a_country(runner, countries):
    result = runner.invoke(args=["users", "create", "--email", "x@y.am", "--role", "coordinator"],
                           env={"USER_PASSWORD": "Ararat-Valley-2026"})
    assert result.exit_code == 1
    assert "must belong to a country" in result.output


def test_users_create_refuses_a_short_password(runner, countries):
    result = runner.invoke(args=["users", "create", "--email", "x@eec.int", "--role", "analyst"],
                           env={"USER_PASSWORD": "short-pw"})
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output


def test_a_common_password_is_refused_whatever_its_length(app, countries):
    with app.app_context():
        try:
            create_user(email="x@eec.int", name="X", role="analyst", password="password1234")
        except AccountError as error:
            assert "too common" in str(error)
        else:
            raise AssertionError("a common password was accepted")


def test_a_password_containing_the_email_is_refused(app, countries):
    with app.app_context():
        try:
            create_user(email="gulnara@customs.kz", name="G", role="coordinator", country_code="KZ",
                        password="gulnara-2026-secure")
        except AccountError as error:
            assert "name or e-mail" in str(error)
        else:
            raise AssertionError("a password containing the e-mail was accepted")


def test_a_duplicate_email_is_refused(runner, countries):
    env = {"USER_PASSWORD": "Eurasian-Analyst-77"}
    runner.invoke(args=["users", "create", "--email", "a@eec.int", "--role", "analyst"], env=env)
    result = runner.invoke(args=["users", "create", "--email", "A@eec.int", "--role", "analyst"], env=env)
    assert result.exit_code == 1 and "already exists" in result.output
