"""The web round trip: download, fill in, upload, preview, apply; errors, conflicts and access."""
import io
import re

import pytest

from app.extensions import db
from app.models import ScoreRow
from tests.test_transfer_support import (actions, cell, csv_bytes, open_workbook,
                                         parsed_questionnaire, save, start, stored, to_bytes)
from tests.test_transfer_support import assessment_id, coordinator  # noqa: F401  (fixtures)


def download(client, assessment_id):
    response = client.get(f"/assessments/{assessment_id}/workbook.xlsx")
    assert response.status_code == 200
    return open_workbook(response.data)


def upload(client, assessment_id, data: bytes, name="filled.xlsx"):
    return client.post(f"/assessments/{assessment_id}/upload",
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def token_in(page: str) -> str:
    return re.search(r"/upload/([A-Za-z0-9_-]{43})/apply", page).group(1)


def best_label(question) -> str:
    best = max(question.options, key=lambda o: o.points)
    return best.label["en"]


def test_a_filled_workbook_goes_through_preview_and_is_applied_and_scored(app, client, auth, coordinator,
                                                                          assessment_id):
    auth.login(coordinator)
    book = download(client, assessment_id)
    legal = parsed_questionnaire(app).dimensions[0]
    for question in legal.questions:
        cell(book["legal"], question.key, "value").value = best_label(question)
    cell(book["legal"], "legal.e-signature", "comment").value = "Law 12-N of 2019"
    cell(book["declaration"], "declaration.kpi-release-time", "value").value = 0.5

    preview = upload(client, assessment_id, to_bytes(book))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page
    assert f"{len(legal.questions) + 1} answers will change" in page
    assert "Law 12-N of 2019" in page and "0.5 hours" in page
    assert stored(app, assessment_id) == {}

    token = token_in(page)
    applied = client.post(f"/assessments/{assessment_id}/upload/{token}/apply")
    assert applied.status_code == 302
    answers = stored(app, assessment_id)
    assert answers["legal.e-signature"] == ("applied", False, "Law 12-N of 2019", None, 1)
    assert answers["declaration.kpi-release-time"][0] == "0.5"
    with app.app_context():
        row = db.session.scalar(db.select(ScoreRow).filter_by(assessment_id=assessment_id, dimension_key="legal"))
        assert (row.index, row.level) == (100.0, 4)
    assert actions(app, assessment_id).count("import.apply") == 1
    assert _pending(app) == 0


def test_a_second_download_carries_the_new_revisions_and_an_unchanged_upload_changes_nothing(
        client, auth, coordinator, assessment_id, app):
    auth.login(coordinator)
    save(app, coordinator, assessment_id, "legal.e-signature", {"value": "adopted"}, 0)
    book = download(client, assessment_id)
    assert cell(book["legal"], "legal.e-signature", "revision").value == 1
    assert cell(book["legal"], "legal.e-signature", "value").value == "Adopted, not yet fully applied"
    response = upload(client, assessment_id, to_bytes(book))
    assert response.status_code == 200
    assert "The file contains no changes" in response.get_data(as_text=True)


def test_row_errors_are_listed_and_nothing_is_stored(client, auth, coordinator, assessment_id, app):
    auth.login(coordinator)
    book = download(client, assessment_id)
    cell(book["legal"], "legal.e-signature", "value").value = "maybe"
    cell(book["legal"], "legal.e-document-legal-force", "value").value = "Adopted and applied in practice"
    cell(book["declaration"], "declaration.kpi-release-time", "value").value = 1000
    response = upload(client, assessment_id, to_bytes(book))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Sheet legal, row 4" in page and "“maybe” is not one of the answers to this question" in page
    assert "1000 is outside the allowed range (0 – 720)" in page
    assert "/apply" not in page
    assert stored(app, assessment_id) == {}


def test_a_formula_in_the_workbook_is_refused_with_its_row(client, auth, coordinator, assessment_id, app):
    auth.login(coordinator)
    book = download(client, assessment_id)
    cell(book["legal"], "legal.e-signature", "value").value = '=IF(1=1,"applied","none")'
    response = upload(client, assessment_id, to_bytes(book))
    assert response.status_code == 422
    assert "Sheet legal, row 4" in response.get_data(as_text=True)
    assert "formulas are not accepted" in response.get_data(as_text=True)
    assert stored(app, assessment_id) == {}


def test_a_stale_revision_is_shown_as_a_conflict_at_preview(client, auth, coordinator, assessment_id, app):
    auth.login(coordinator)
    book = download(client, assessment_id)
    save(app, coordinator, assessment_id, "legal.e-signature", {"value": "draft"}, 0)
    cell(book["legal"], "legal.e-signature", "value").value = "Adopted and applied in practice"
    response = upload(client, assessment_id, to_bytes(book))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Draft act in preparation" in page and "Adopted and applied in practice" in page
    assert "/apply" not in page
    assert stored(app, assessment_id)["legal.e-signature"][0] == "draft"


def test_a_change_made_between_preview_and_apply_applies_nothing(client, auth, coordinator, assessment_id, app):
    auth.login(coordinator)
    book = download(client, assessment_id)
    cell(book["legal"], "legal.e-signature", "value").value = "Adopted and applied in practice"
    cell(book["legal"], "legal.e-document-legal-force", "value").value = "Adopted and applied in practice"
    token = token_in(upload(client, assessment_id, to_bytes(book)).get_data(as_text=True))
    save(app, coordinator, assessment_id, "legal.e-document-legal-force", {"value": "none"}, 0)
    response = client.post(f"/assessments/{assessment_id}/upload/{token}/apply")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "legal.e-document-legal-force" in page and "No legal basis" in page
    assert stored(app, assessment_id).keys() == {"legal.e-document-legal-force"}
    assert "import.apply" not in actions(app, assessment_id)


def test_a_csv_upload_is_based_on_the_revisions_the_preview_saw(client, auth, coordinator, assessment_id, app):
    auth.login(coordinator)
    response = upload(client, assessment_id, csv_bytes("question_key,value\nlegal.e-signature,applied\n"), "a.csv")
    assert response.status_code == 200
    token = token_in(response.get_data(as_text=True))
    assert client.post(f"/assessments/{assessment_id}/upload/{token}/apply").status_code == 302
    assert stored(app, assessment_id)["legal.e-signature"][0] == "applied"


def test_a_preview_is_applied_once_only(client, auth, coordinator, assessment_id, app):
    auth.login(coordinator)
    token = token_in(upload(client, assessment_id, csv_bytes("question_key,value\nlegal.e-signature,applied\n"),
                            "a.csv").get_data(as_text=True))
    client.post(f"/assessments/{assessment_id}/upload/{token}/apply")
    again = client.post(f"/assessments/{assessment_id}/upload/{token}/apply", follow_redirects=True)
    assert "This preview has expired or is not available" in again.get_data(as_text=True)
    assert stored(app, assessment_id)["legal.e-signature"][4] == 1


def test_another_officials_preview_cannot_be_applied(client, auth, coordinator, assessment_id, app, make_user):
    auth.login(coordinator)
    token = token_in(upload(client, assessment_id, csv_bytes("question_key,value\nlegal.e-signature,applied\n"),
                            "a.csv").get_data(as_text=True))
    auth.logout()
    auth.login(make_user("respondent", "AM"))
    response = client.post(f"/assessments/{assessment_id}/upload/{token}/apply", follow_redirects=True)
    assert "This preview has expired or is not available" in response.get_data(as_text=True)
    assert stored(app, assessment_id) == {}


def test_a_file_that_is_not_a_workbook_is_refused_on_the_upload_page(client, auth, coordinator, assessment_id):
    auth.login(coordinator)
    response = upload(client, assessment_id, b"not a zip at all", "answers.xlsx")
    assert response.status_code == 422
    assert "This is not an Excel workbook (.xlsx)." in response.get_data(as_text=True)
    response = upload(client, assessment_id, b"MZ\x90\x00", "tool.exe")
    assert response.status_code == 422
    assert "Only .xlsx workbooks and .csv files can be uploaded." in response.get_data(as_text=True)


def test_a_workbook_of_another_assessment_is_refused(client, auth, coordinator, assessment_id, app, make_user):
    kz = make_user("coordinator", "KZ")
    other_id = start(app, kz, country="KZ")
    auth.login(kz)
    book = download(client, other_id)
    auth.logout()
    auth.login(coordinator)
    response = upload(client, assessment_id, to_bytes(book))
    assert response.status_code == 422
    assert "This workbook was downloaded for another assessment (KZ, 2026)" in response.get_data(as_text=True)


def test_a_national_user_of_another_country_gets_404_everywhere(client, auth, assessment_id, make_user):
    auth.login(make_user("coordinator", "KZ"))
    assert client.get(f"/assessments/{assessment_id}/workbook.xlsx").status_code == 404
    assert client.get(f"/assessments/{assessment_id}/upload").status_code == 404
    assert upload(client, assessment_id, b"x", "a.csv").status_code == 404
    assert client.post(f"/assessments/{assessment_id}/upload/{'a' * 43}/apply").status_code == 404


def test_an_analyst_may_download_but_not_upload(client, auth, assessment_id, make_user):
    auth.login(make_user("analyst"))
    assert client.get(f"/assessments/{assessment_id}/workbook.xlsx").status_code == 200
    page = client.get(f"/assessments/{assessment_id}/upload").get_data(as_text=True)
    assert "You cannot upload answers to this assessment" in page and 'type="file"' not in page
    assert upload(client, assessment_id, csv_bytes("question_key,value\nlegal.e-signature,applied\n"),
                  "a.csv").status_code == 403


def test_the_upload_page_shows_the_assessment_and_links_back(client, auth, coordinator, assessment_id, app):
    auth.login(coordinator)
    page = client.get(f"/assessments/{assessment_id}/upload").get_data(as_text=True)
    assert "Armenia (AM)" in page and "cycle 2026" in page and "Digital customs maturity self-assessment" in page
    back = f"/assessments/{assessment_id}" if "assessments.overview" in app.view_functions else "/"
    assert f'href="{back}" data-testid="back"' in page


def test_the_upload_page_speaks_russian(client, auth, coordinator, assessment_id):
    auth.login(coordinator)
    client.post("/language/ru")
    page = client.get(f"/assessments/{assessment_id}/upload").get_data(as_text=True)
    assert "Заполнение оценки в Excel" in page
    response = upload(client, assessment_id, csv_bytes("question_key,value\nlegal.e-signature,может быть\n"), "a.csv")
    assert "Строка 2" in response.get_data(as_text=True)


def test_an_expired_preview_cannot_be_applied_and_old_previews_are_purged(client, auth, coordinator, assessment_id,
                                                                          app, monkeypatch):
    from app.services import import_pending

    auth.login(coordinator)
    csv_file = csv_bytes("question_key,value\nlegal.e-signature,applied\n")
    old = token_in(upload(client, assessment_id, csv_file, "a.csv").get_data(as_text=True))
    monkeypatch.setattr(import_pending, "TTL_SECONDS", -1)
    response = client.post(f"/assessments/{assessment_id}/upload/{old}/apply", follow_redirects=True)
    assert "This preview has expired or is not available" in response.get_data(as_text=True)
    upload(client, assessment_id, csv_file, "a.csv")  # saving a new preview purges the expired ones
    assert _pending(app) == 1  # the new preview only
    assert stored(app, assessment_id) == {}


def test_a_changed_revision_cell_is_a_row_error(client, auth, coordinator, assessment_id):
    auth.login(coordinator)
    book = download(client, assessment_id)
    cell(book["legal"], "legal.e-signature", "revision").value = "latest"
    cell(book["legal"], "legal.e-signature", "value").value = "Adopted and applied in practice"
    page = upload(client, assessment_id, to_bytes(book)).get_data(as_text=True)
    assert "the revision column was changed; download a fresh workbook." in page


def test_an_upload_over_the_size_limit_is_refused_by_the_server(client, auth, coordinator, assessment_id, app):
    auth.login(coordinator)
    app.config["MAX_CONTENT_LENGTH"] = 4096  # small, so that the test body stays in memory
    response = upload(client, assessment_id, b"x" * 5000, "a.csv")
    assert response.status_code == 413


def _pending(app) -> int:
    from app.models import PendingImport

    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(PendingImport))
