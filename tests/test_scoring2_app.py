"""Scoring version 2 through the command line: load, import, recompute, export (DESIGN.md §4-§5).

tests/data/roadmap-2026.1.yaml is worked out by hand (hidden: zero, three measures):

AM: e-transit full (evidence link), seals no, tracking yes, e-docs yes (evidence link), priority no.
  transit: electronic (2*1 + 0) / 3 = 66.67 % -> level 0; digital: seal-data hidden, counts 0 (w2),
  tracking 1 -> 1/3; index (2 + 1) / 6 = 50. legal: electronic 100 %, digital 0 -> level 1, index 50.
  Overall level 0 (min), weakest transit, index 50. Evidence: transit 2 / 3 = 66.67 %, legal 100 %,
  overall (2 + 1) / 4 = 75 %. Measures: 3.8.1 (2 + 1) / 3 = 100 % implemented (2 criteria);
  3.9 0 / 3 not_started (2 criteria: seals and the hidden seal-data); 4.1 no_data.
BY: e-transit partial, seals yes, seal-data yes, tracking no, e-docs no, priority no; no evidence.
  transit index (1 + 1 + 2 + 0) / 6 = 66.67, level 0; legal index 0, level 0; overall level 0,
  weakest transit;legal, index 33.33; evidence transit 0 %, legal empty, overall 0 %.
  Measures: 3.8.1 (1 + 0) / 3 = 33.33 % in_progress; 3.9 (1 + 2) / 3 = 100 % implemented.
"""
import csv
import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import ScoreRow
from tests.test_handworked_cli import measure_figures

DATA = Path(__file__).parent / "data"
LABEL = "roadmap-mini@2026.1"
ANSWERS = {
    "AM": [("transit.e-transit", "full", "https://customs.example.am/transit"), ("transit.seals", "no", ""),
           ("transit.tracking", "yes", ""), ("legal.e-docs", "yes", "https://customs.example.am/law"),
           ("legal.priority", "no", "")],
    "BY": [("transit.e-transit", "partial", ""), ("transit.seals", "yes", ""), ("transit.seal-data", "yes", ""),
           ("transit.tracking", "no", ""), ("legal.e-docs", "no", ""), ("legal.priority", "no", "")],
}


@pytest.fixture
def imported(app, runner, countries, tmp_path):
    result = runner.invoke(args=["questionnaires", "load", str(DATA / "roadmap-2026.1.yaml")])
    assert result.exit_code == 0, result.output
    for country, answers in ANSWERS.items():
        path = tmp_path / f"{country}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["question_key", "value", "evidence_url"])
            writer.writerows(answers)
        result = runner.invoke(args=["assessments", "import", str(path), "--country", country, "--cycle", "2026",
                                     "--questionnaire", LABEL, "--submit"])
        assert result.exit_code == 0, result.output


def export(runner, table, *extra):
    result = runner.invoke(args=["scores", "export", "--table", table, "--status", "submitted", *extra])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))


def test_scores_csv_gives_evidence_coverage_and_the_weakest_dimensions(runner, imported):
    rows = {(r["country_code"], r["dimension_key"]): r for r in export(runner, "scores")}
    figures = {key: (r["level"], r["index"], r["evidence_coverage"], r["weakest_dimensions"])
               for key, r in rows.items()}
    assert figures == {
        ("AM", "transit"): ("0", "50.00", "66.67", ""), ("AM", "legal"): ("1", "50.00", "100.00", ""),
        ("AM", "_overall"): ("0", "50.00", "75.00", "transit"),
        ("BY", "transit"): ("0", "66.67", "0.00", ""), ("BY", "legal"): ("0", "0.00", "", ""),
        ("BY", "_overall"): ("0", "33.33", "0.00", "transit;legal"),
    }
    assert {r["scoring_version"] for r in rows.values()} == {"2.0.0"}
    assert rows[("AM", "transit")]["stage_digital"] == "33.33"  # the hidden seal-data counts 0


def test_measures_csv_gives_attainment_status_and_criteria(runner, imported):
    rows = export(runner, "measures", "--lang", "ru")
    assert list(rows[0]) == ["country_code", "country_name", "cycle", "questionnaire_id", "questionnaire_version",
                             "scoring_version", "assessment_id", "status", "measure_id", "measure_title",
                             "attainment", "measure_status", "criteria"]
    assert measure_figures(rows) == [
        ("AM", "3.8.1", "Электронный транзит", "100.00", "implemented", "2"),
        ("AM", "3.9", "Навигационные пломбы", "0.00", "not_started", "2"),
        ("AM", "4.1", "Неиспользуемая мера", "", "no_data", "0"),
        ("BY", "3.8.1", "Электронный транзит", "33.33", "in_progress", "2"),
        ("BY", "3.9", "Навигационные пломбы", "100.00", "implemented", "2"),
        ("BY", "4.1", "Неиспользуемая мера", "", "no_data", "0"),
    ]
    assert {r["status"] for r in rows} == {"submitted"} and {r["country_name"] for r in rows} == {
        "Армения", "Беларусь"}


def test_the_web_and_the_command_line_give_byte_identical_measures_csv(client, runner, imported, make_user, auth,
                                                                       tmp_path):
    target = tmp_path / "measures.csv"
    result = runner.invoke(args=["scores", "export", "--table", "measures", "--status", "submitted", "-o",
                                 str(target)])
    assert result.exit_code == 0, result.output
    auth.login(make_user("analyst"))
    web = client.get("/exports/measures.csv?status=submitted&lang=en")
    assert web.status_code == 200
    assert target.read_bytes() == web.get_data()
    one = client.get("/exports/measures.csv?status=submitted&lang=en&country=BY").get_data(as_text=True)
    assert [line.split(",")[0] for line in one.splitlines()[1:]] == ["BY"] * 3


def test_a_national_user_gets_measures_of_their_own_country_only(client, imported, make_user, auth):
    auth.login(make_user("coordinator", "AM"))
    text = client.get("/exports/measures.csv?status=submitted").get_data(as_text=True)
    assert {line.split(",")[0] for line in text.splitlines()[1:]} <= {"AM"}


def test_recompute_brings_every_stored_row_to_scoring_version_2(app, runner, imported):
    with app.app_context():
        db.session.execute(sa.update(ScoreRow).values(scoring_version="1.0.0", evidence_coverage=None,
                                                      weakest_dimensions=None, measures=None))
        db.session.commit()
    result = runner.invoke(args=["scores", "recompute"])
    assert result.exit_code == 0 and "rescored 2 assessments" in result.output
    with app.app_context():
        rows = db.session.scalars(sa.select(ScoreRow)).all()
        assert {r.scoring_version for r in rows} == {"2.0.0"}
        overall = [r for r in rows if r.dimension_key == "_overall"]
        assert all(r.measures and r.weakest_dimensions for r in overall)


def test_an_attachment_counts_as_evidence(app, runner, imported, client, make_user, auth):
    from app.services import scores
    from app.models import Assessment, Attachment

    with app.app_context():
        assessment = db.session.scalar(sa.select(Assessment).where(Assessment.country_code == "BY"))
        db.session.add(Attachment(assessment_id=assessment.id, question_key="transit.seal-data", filename="a.pdf",
                                  stored_name="x" * 32, content_type="application/pdf", size=1, sha256="0" * 64))
        scores.rescore(assessment)
        db.session.commit()
        coverage = scores.rows_for(assessment.id)["transit"].evidence_coverage
    assert coverage == pytest.approx(100 * 2 / 4)  # seal-data (w2) of e-transit 1 + seals 1 + seal-data 2


def test_answers_csv_marks_hidden_answers_and_gives_them_0_points_under_hidden_zero(runner, imported, tmp_path):
    # A stale answer to seal-data, kept after seals became "no": hidden, counted as 0 under hidden: zero.
    path = tmp_path / "kz.csv"
    for text in ("question_key,value\ntransit.seals,yes\ntransit.seal-data,yes\n", "question_key,value\n"
                 "transit.seals,no\n"):
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(args=["assessments", "import", str(path), "--country", "KZ", "--cycle", "2026",
                                     "--questionnaire", LABEL])
        assert result.exit_code == 0, result.output
    rows = {(r["country_code"], r["question_key"]): r for r in export(runner, "answers", "--status", "all")}
    hidden = rows[("KZ", "transit.seal-data")]
    assert (hidden["hidden"], hidden["points"], hidden["max_points"]) == ("true", "0.00", "1.00")
    shown = rows[("BY", "transit.seal-data")]
    assert (shown["hidden"], shown["points"]) == ("false", "1.00")
    assert {r["hidden"] for key, r in rows.items() if key != ("KZ", "transit.seal-data")} == {"false"}


def test_answers_csv_leaves_the_points_of_a_hidden_answer_empty_under_exclude(app, runner, countries, tmp_path):
    text = (DATA / "roadmap-2026.1.yaml").read_text(encoding="utf-8").replace(", hidden: zero}", "}")
    text = text.replace('version: "2026.1"', 'version: "2026.9"')
    source = tmp_path / "2026.9.yaml"
    source.write_text(text, encoding="utf-8")
    assert runner.invoke(args=["questionnaires", "load", str(source)]).exit_code == 0
    path = tmp_path / "answers.csv"
    for text in ("question_key,value\ntransit.seals,yes\ntransit.seal-data,yes\n", "question_key,value\n"
                 "transit.seals,no\n"):
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(args=["assessments", "import", str(path), "--country", "AM", "--cycle", "2026",
                                     "--questionnaire", "roadmap-mini@2026.9"])
        assert result.exit_code == 0, result.output
    rows = {r["question_key"]: r for r in export(runner, "answers", "--status", "all")}
    assert (rows["transit.seal-data"]["hidden"], rows["transit.seal-data"]["points"]) == ("true", "")


def _stored_rows(app) -> dict:
    with app.app_context():
        rows = db.session.scalars(sa.select(ScoreRow)).all()
        columns = [c.name for c in ScoreRow.__table__.columns if c.name not in ("id", "computed_at")]
        return {(r.assessment_id, r.dimension_key): {c: getattr(r, c) for c in columns} for r in rows}


def test_the_batched_recompute_stores_exactly_what_rescoring_one_by_one_stores(app, runner, imported, tmp_path):
    """Two questionnaire versions, batches of 1 and of several: the rows equal one rescore() per assessment."""
    shipped = Path(__file__).resolve().parents[1] / "questionnaires" / "digital-customs-maturity" / "2026.2.yaml"
    assert runner.invoke(args=["questionnaires", "load", str(shipped)]).exit_code == 0
    path = tmp_path / "kz.csv"
    path.write_text("question_key,value,evidence_url\ntransit.seals,yes,https://e.example/kz\n", encoding="utf-8")
    result = runner.invoke(args=["assessments", "import", str(path), "--country", "KZ", "--cycle", "2026",
                                 "--questionnaire", LABEL])
    assert result.exit_code == 0, result.output
    path.write_text("question_key,value\nlegal.e-signature,adopted\n", encoding="utf-8")
    result = runner.invoke(args=["assessments", "import", str(path), "--country", "KG", "--cycle", "2026",
                                 "--questionnaire", "digital-customs-maturity@2026.2"])
    assert result.exit_code == 0, result.output
    from app.models import Assessment
    from app.services import scores

    with app.app_context():
        for assessment in db.session.scalars(sa.select(Assessment).order_by(Assessment.id)).all():
            scores.rescore(assessment)
        db.session.commit()
    one_by_one = _stored_rows(app)
    assert len({key[0] for key in one_by_one}) == 4
    for size in ("1", "3"):
        with app.app_context():
            db.session.execute(sa.delete(ScoreRow))
            db.session.commit()
        result = runner.invoke(args=["scores", "recompute", "--batch-size", size])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[-1] == "rescored 4 assessments"
        assert "rescored 4/4 assessments" in result.stderr
        assert _stored_rows(app) == one_by_one
