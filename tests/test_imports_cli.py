"""`flask assessments import`: creates the draft, all or nothing, row-precise errors, --submit."""
import csv
import io

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Assessment, ScoreRow
from tests.test_transfer_support import (LABEL, actions, load_questionnaire, parsed_questionnaire, start, stored,
                                         to_bytes)


@pytest.fixture
def loaded(app, countries):
    load_questionnaire(app)


def best_value(question) -> str:
    if question.options:
        return max(question.options, key=lambda o: o.points).value
    return "100" if question.type == "number" else "Answered in full"


def complete_rows(questionnaire) -> list[dict]:
    """An answer to every question (the best ones show every conditional question), with evidence links."""
    return [{"question_key": q.key, "value": best_value(q), "comment": "", "not_applicable": "",
             "evidence_url": f"https://customs.example.am/evidence/{q.key}"} for q in questionnaire.questions]


def write_csv(path, rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


def run_import(runner, path, *extra, country="AM", cycle="2026"):
    return runner.invoke(args=["assessments", "import", path, "--country", country, "--cycle", cycle,
                               "--questionnaire", LABEL, *extra])


def the_assessment(app, country="AM"):
    with app.app_context():
        assessment = db.session.scalar(sa.select(Assessment).where(Assessment.country_code == country))
        if assessment is not None:
            db.session.expunge(assessment)
        return assessment


def test_importing_creates_the_draft_with_its_answers_and_scores(app, runner, loaded, tmp_path):
    path = write_csv(tmp_path / "am.csv", [
        {"question_key": "legal.e-signature", "value": "applied", "comment": "Law 12-N",
         "evidence_url": "https://example.am/law", "not_applicable": ""},
        {"question_key": "infrastructure.smart-checkpoint", "value": "", "comment": "", "evidence_url": "",
         "not_applicable": "yes"}])
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assessment = the_assessment(app)
    assert "assessment %d created; 2 answer(s) changed" % assessment.id in result.output
    assert (assessment.status, assessment.cycle, assessment.created_by_id) == ("draft", "2026", None)
    assert stored(app, assessment.id) == {
        "legal.e-signature": ("applied", False, "Law 12-N", "https://example.am/law", 1),
        "infrastructure.smart-checkpoint": (None, True, None, None, 1)}
    assert actions(app, assessment.id) == ["assessment.create", "answer.update", "answer.update", "import.apply"]
    with app.app_context():
        legal = db.session.scalar(sa.select(ScoreRow).where(ScoreRow.assessment_id == assessment.id,
                                                            ScoreRow.dimension_key == "legal"))
        assert legal.answered == 1


def test_a_bad_row_imports_nothing_and_names_every_row(app, runner, loaded, tmp_path):
    path = tmp_path / "am.csv"
    path.write_text("question_key,value\nlegal.e-signature,applied\nlegal.e-shipping-documents,maybe\n"
                    "legal.unknown,applied\n", encoding="utf-8")
    result = run_import(runner, str(path))
    assert result.exit_code == 1
    assert f"{path}: Row 3 (legal.e-shipping-documents): “maybe” is not one of the answers" in result.output
    assert f"{path}: Row 4 (legal.unknown): there is no question with this key" in result.output
    assert "nothing was imported" in result.output
    assert the_assessment(app) is None


def test_importing_again_overwrites_the_answers_without_revision_checks(app, runner, loaded, tmp_path, make_user):
    coordinator = make_user("coordinator", "AM")
    assessment_id = start(app, coordinator)
    path = tmp_path / "am.csv"
    path.write_text("question_key,value\nlegal.e-signature,draft\n", encoding="utf-8")
    assert run_import(runner, str(path)).exit_code == 0
    path.write_text("question_key,value\nlegal.e-signature,applied\nlegal.e-declaring-priority,adopted\n",
                    encoding="utf-8")
    result = run_import(runner, str(path))
    assert result.exit_code == 0, result.output
    assert f"assessment {assessment_id} updated; 2 answer(s) changed, 0 unchanged" in result.output
    answers = stored(app, assessment_id)
    assert answers["legal.e-signature"][0::4] == ("applied", 2)
    assert answers["legal.e-declaring-priority"][0] == "adopted"


def test_submit_is_refused_when_incomplete_and_then_nothing_is_stored(app, runner, loaded, tmp_path):
    path = tmp_path / "am.csv"
    path.write_text("question_key,value\nlegal.e-signature,applied\n", encoding="utf-8")
    result = run_import(runner, str(path), "--submit")
    assert result.exit_code == 1
    assert "cannot submit:" in result.output
    assert "legal.e-document-legal-force (legal): not answered" in result.output
    assert "legal.e-signature (legal): evidence required" in result.output
    assert the_assessment(app) is None


def test_submit_submits_a_complete_import(app, runner, loaded, tmp_path):
    rows = complete_rows(parsed_questionnaire(app))
    result = run_import(runner, write_csv(tmp_path / "am.csv", rows), "--submit")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("; submitted")
    assessment = the_assessment(app)
    assert assessment.status == "submitted" and assessment.submitted_at is not None
    assert len(stored(app, assessment.id)) == len(rows)
    assert actions(app, assessment.id)[-2:] == ["import.apply", "assessment.submitted"]


def test_a_workbook_can_be_imported_from_the_command_line(app, runner, loaded, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(("question_key", "value", "comment"))
    book.active.append(("legal.e-signature", "Adopted and applied in practice", "Law 12-N"))
    path = tmp_path / "am.xlsx"
    path.write_bytes(to_bytes(book))
    result = run_import(runner, str(path))
    assert result.exit_code == 0, result.output
    assert stored(app, the_assessment(app).id)["legal.e-signature"][:3] == ("applied", False, "Law 12-N")


def test_an_unknown_questionnaire_or_country_is_a_clear_error(app, runner, loaded, tmp_path):
    path = tmp_path / "am.csv"
    path.write_text("question_key,value\nlegal.e-signature,applied\n", encoding="utf-8")
    result = runner.invoke(args=["assessments", "import", str(path), "--country", "AM", "--cycle", "2026",
                                 "--questionnaire", "digital-customs-maturity@1999.1"])
    assert result.exit_code == 1
    assert "No questionnaire version digital-customs-maturity@1999.1 is loaded" in result.output
    result = run_import(runner, str(path), country="XX")
    assert result.exit_code == 1 and "There is no country with the code XX" in result.output


def test_a_submitted_assessment_is_not_changed_by_an_import(app, runner, loaded, tmp_path):
    rows = complete_rows(parsed_questionnaire(app))
    assert run_import(runner, write_csv(tmp_path / "am.csv", rows), "--submit").exit_code == 0
    result = run_import(runner, write_csv(tmp_path / "again.csv", rows[:1]))
    assert result.exit_code == 1
    assert "does not accept changes" in result.output
