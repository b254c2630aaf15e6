import sqlalchemy as sa

from app.extensions import db
from app.models import Country
from app.services.countries import EEU_GROUP, all_countries, get, sync_countries


def test_all_iso_countries_are_loaded_with_english_and_russian_names(app):
    with app.app_context():
        sync_countries()
        assert db.session.scalar(sa.select(sa.func.count(Country.code))) == 249
        germany = db.session.get(Country, "DE")
        assert (germany.name_en, germany.name_ru) == ("Germany", "Германия")


def test_the_five_eeu_members_form_their_group(app):
    with app.app_context():
        sync_countries()
        members = [c for c in all_countries() if EEU_GROUP in (c.groups or [])]
        assert [c.code for c in members] == ["AM", "BY", "KG", "KZ", "RU"]
        assert db.session.get(Country, "KG").name_ru == "Кыргызстан"


def test_syncing_twice_changes_nothing(app, runner):
    result = runner.invoke(args=["countries", "sync"])
    assert "249 added or updated" in result.output
    result = runner.invoke(args=["countries", "sync"])
    assert "0 added or updated" in result.output


def test_a_country_is_found_by_its_code_in_any_case(app):
    with app.app_context():
        sync_countries(("KG",))
        assert get("kg").code == "KG" and get("XX") is None
