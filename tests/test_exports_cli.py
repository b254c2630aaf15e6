"""`flask scores recompute` and `flask scores export` (DESIGN.md §5)."""
import io

import pandas as pd
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.models import ScoreRow
from tests.test_dashboard_data import seeded  # noqa: F401  (fixture)
from tests.test_exports import ANSWER_COLUMNS, SCORE_COLUMNS


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"cycle": str, "questionnaire_version": str})


def test_recompute_rescored_every_assessment_and_says_how_many(app, runner, seeded):
    with app.app_context():
        db.session.execute(sa.delete(ScoreRow))
        db.session.commit()
    result = runner.invoke(args=["scores", "recompute"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "rescored 6 assessments"
    # progress on standard error, one line per committed batch (here one batch per questionnaire version)
    assert result.stderr.splitlines()[-1] == "rescored 6/6 assessments"
    quiet = runner.invoke(args=["scores", "recompute", "--quiet"])
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout.strip() == "rescored 6 assessments"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ScoreRow)) == 6 * 3


def test_export_writes_validated_scores_as_csv_by_default(runner, seeded, tmp_path):
    target = tmp_path / "scores.csv"
    result = runner.invoke(args=["scores", "export", "-o", str(target)])
    assert result.exit_code == 0, result.output
    table = read(target)
    assert list(table.columns) == SCORE_COLUMNS
    assert set(table.status) == {"validated"} and len(table) == 4 * 3
    assert "scores: 12 rows written to" in result.output


def test_status_all_means_every_status(runner, seeded, tmp_path):
    target = tmp_path / "all.csv"
    runner.invoke(args=["scores", "export", "-o", str(target), "--status", "all"])
    assert set(read(target).status) == {"validated", "submitted", "draft"}


def test_submitted_means_handed_in_to_the_commission(runner, seeded, tmp_path):
    target = tmp_path / "submitted.csv"
    runner.invoke(args=["scores", "export", "-o", str(target), "--status", "submitted"])
    assert set(read(target).status) == {"validated", "submitted"}


def test_one_questionnaire_version_in_russian_to_standard_output(runner, seeded):
    result = runner.invoke(args=["scores", "export", "--questionnaire", "mini-maturity@2026.2", "--lang", "ru"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.output), dtype={"questionnaire_version": str})
    assert set(table.questionnaire_version) == {"2026.2"}
    assert list(table.level_label) == ["Электронная"] * 3 and set(table.country_name) == {"Армения"}


def test_answers_table_as_csv(runner, seeded, tmp_path):
    target = tmp_path / "answers.csv"
    result = runner.invoke(args=["scores", "export", "--table", "answers", "-o", str(target)])
    assert result.exit_code == 0, result.output
    table = read(target)
    assert list(table.columns) == ANSWER_COLUMNS and len(table) == 4 + 5 + 3 + 4


def test_a_workbook_needs_a_file_and_has_four_sheets(runner, seeded, tmp_path):
    assert runner.invoke(args=["scores", "export", "--format", "xlsx"]).exit_code != 0
    target = tmp_path / "scores.xlsx"
    result = runner.invoke(args=["scores", "export", "--format", "xlsx", "-o", str(target), "--status", "all"])
    assert result.exit_code == 0, result.output
    book = load_workbook(target, read_only=True)
    assert book.sheetnames == ["scores", "answers", "measures", "questionnaire"]
    assert sum(1 for _ in book["scores"].values) == 1 + 6 * 3
    book.close()


def test_an_unknown_questionnaire_is_refused_with_a_message(runner, seeded, tmp_path):
    result = runner.invoke(args=["scores", "export", "--questionnaire", "mini-maturity@9.9", "-o",
                                 str(tmp_path / "x.csv")])
    assert result.exit_code == 1
    assert "unknown questionnaire mini-maturity@9.9" in result.output
    assert not (tmp_path / "x.csv").exists()


def test_the_command_line_and_the_web_export_give_the_same_data(client, runner, seeded, make_user, auth, tmp_path):
    target = tmp_path / "cli.csv"
    runner.invoke(args=["scores", "export", "-o", str(target), "--status", "submitted"])
    auth.login(make_user("analyst"))
    web = client.get("/exports/scores.csv?status=submitted&lang=en").get_data()
    assert target.read_bytes() == web
