"""Pages show the scoring 2 figures and sources as references, in the page's language."""
import html as htmllib
import re

import sqlalchemy as sa

from app.extensions import db
from app.models import Assessment
from tests.test_scoring2_app import imported  # noqa: F401  (fixture)

SEED = "003_946f441bb5a524d9.txt"


def assessment_id(app, country):
    with app.app_context():
        return db.session.scalar(sa.select(Assessment.id).where(Assessment.country_code == country))


def page(client, url, lang="en"):
    client.post(f"/language/{lang}", data={"next": "/"})
    response = client.get(url)
    assert response.status_code == 200, url
    return htmllib.unescape(response.get_data(as_text=True))


def test_a_question_shows_its_references_by_label_and_part_never_the_seed_file(app, client, imported, make_user,
                                                                              auth):
    auth.login(make_user("coordinator", "AM"))
    url = f"/assessments/{assessment_id(app, 'AM')}/section/transit"
    english = page(client, url)
    assert "Sources: WTO Trade Facilitation Agreement, Art. 7.1; EEC review 'Customs cooperation' (2026), §7" in english
    russian = page(client, url, "ru")
    assert ("Соглашение ВТО об упрощении процедур торговли, Art. 7.1; Обзор ЕЭК «Таможенное сотрудничество» "
            "(2026), §7") in russian
    assert SEED not in english and SEED not in russian


def test_the_shipped_questionnaire_shows_seed_labels_instead_of_file_names(app, client, make_user, auth):
    from app.models import User
    from app.services import questionnaires
    from app.services.assessments import start_assessment

    coordinator = make_user("coordinator", "AM")
    with app.app_context():
        questionnaires.load_paths(["questionnaires/digital-customs-maturity/2026.1.yaml"])
        version = questionnaires.find_version("digital-customs-maturity", "2026.1")
        owner = db.session.get(User, coordinator.id)
        shipped = start_assessment(owner, "AM", version, "2026").id
    auth.login(coordinator)
    english = page(client, f"/assessments/{shipped}/section/transit")
    assert "EEC review 'Customs cooperation' (2026), §" in english
    russian = page(client, f"/assessments/{shipped}/section/transit", "ru")
    assert "Обзор ЕЭК «Таможенное сотрудничество» (2026), §" in russian
    seed_file = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
    assert not seed_file.search(english) and not seed_file.search(russian)


def test_the_overview_names_the_weakest_dimensions(app, client, imported, make_user, auth):
    auth.login(make_user("coordinator", "BY"))
    text = page(client, f"/assessments/{assessment_id(app, 'BY')}")
    assert "Weakest dimensions (they set the overall level): Transit, Legal framework." in text
    assert "Слабейшие" not in text
    russian = page(client, f"/assessments/{assessment_id(app, 'BY')}", "ru")
    assert "Транзит, Правовая основа" in russian


def test_the_profile_shows_evidence_coverage_per_dimension_and_the_weakest(client, imported, make_user, auth):
    auth.login(make_user("analyst"))
    text = page(client, "/dashboard/country/AM?questionnaire=roadmap-mini@2026.1&status=submitted")
    assert 'data-testid="evidence-transit">67%' in text and 'data-testid="evidence-legal">100%' in text
    assert "Weakest: Transit" in text and "Backed by evidence: 75%" in text


def test_the_comparison_table_shows_evidence_coverage(client, imported, make_user, auth):
    auth.login(make_user("analyst"))
    text = page(client, "/dashboard/?questionnaire=roadmap-mini@2026.1&status=submitted&country=AM&country=BY")
    assert 'data-testid="evidence-AM">evidence 75%' in text and 'data-testid="evidence-BY">evidence 0%' in text
    assert "Evidence coverage is the share of the achieved points" in text
    assert text.count("evidence 67%") == 1 and text.count("evidence 100%") == 1  # AM transit and legal
    # The overall result names what holds each country's level (overall_level: min).
    assert 'data-testid="weakest-AM">Weakest: Transit<' in text
    assert 'data-testid="weakest-BY">Weakest: Transit, Legal framework<' in text
    russian = page(client, "/dashboard/?questionnaire=roadmap-mini@2026.1&status=submitted&country=BY", "ru")
    assert 'data-testid="weakest-BY">Самые слабые: Транзит, Правовая основа<' in russian


def test_the_profile_lists_the_roadmap_measures_with_their_status(client, imported, make_user, auth):
    auth.login(make_user("analyst"))
    url = "/dashboard/country/BY?questionnaire=roadmap-mini@2026.1&status=submitted"
    text = page(client, url)
    assert "Navigation seals" in text and "Implemented" in text and "In progress" in text and "33%" in text
    russian = page(client, url, "ru")
    assert "Навигационные пломбы" in russian and "Реализована" in russian and "Нет данных" in russian
