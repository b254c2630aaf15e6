"""`flask questionnaires diff` and `flask scores sensitivity` (DESIGN.md §5)."""
import csv
import io
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, ScoreRow
from tests.test_scoring2_app import imported  # noqa: F401  (fixture)

OLD = (Path(__file__).parent / "data" / "roadmap-2026.1.yaml").read_text(encoding="utf-8")


def new_version(tmp_path, supersedes: str, *edits: tuple[str, str]) -> str:
    """Version 2026.2 of the roadmap questionnaire with a crosswalk and text edits."""
    text = OLD.replace('version: "2026.1"', f'version: "2026.2"\nsupersedes: {supersedes}', 1)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "2026.2.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "2026.1.yaml").write_text(OLD, encoding="utf-8")
    return str(path)


RENAME = ("key: legal.priority", "key: legal.e-priority")
DROP = ("""      - key: transit.tracking
        stage: digital
        type: yes_no
        text: {en: "Consignments are tracked", ru: "Грузы отслеживаются"}
""", "")
ADDED_QUESTION = ("""      - key: legal.e-docs
""", """      - key: legal.e-signature
        stage: electronic
        type: yes_no
        text: {en: "E-signatures", ru: "Электронные подписи"}
      - key: legal.e-docs
""")


def diff(runner, old, new):
    return runner.invoke(args=["questionnaires", "diff", old, new])


def test_diff_lists_added_renamed_dropped_and_changed_questions(runner, tmp_path):
    new = new_version(tmp_path, '{version: "2026.1", renamed: {legal.priority: legal.e-priority}, '
                                'dropped: [transit.tracking]}',
                      RENAME, DROP, ADDED_QUESTION, ("weight: 2\n        show_if", "weight: 3\n        show_if"),
                      ("in: [yes]}", "in: [yes], }\n        hidden: exclude"),
                      ('ru: "Электронная транзитная декларация"', 'ru: "Транзитная декларация"'))
    result = diff(runner, str(tmp_path / "2026.1.yaml"), new)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "questionnaire diff roadmap-mini@2026.1 -> roadmap-mini@2026.2",
        "added      legal.e-signature",
        "renamed    legal.priority -> legal.e-priority",
        "removed    transit.tracking (dropped in supersedes)",
        "changed    transit.e-transit: text: 'en: Electronic transit declaration | ru: Электронная транзитная "
        "декларация' -> 'en: Electronic transit declaration | ru: Транзитная декларация'",
        "changed    transit.seal-data: weight: '2' -> '3'",
        "changed    transit.seal-data: hidden: 'zero' -> 'exclude'",
        "1 added, 1 renamed, 1 removed (0 unaccounted for), 2 changed",
    ]


def test_diff_exits_1_when_a_removed_question_is_neither_renamed_nor_dropped(runner, tmp_path):
    new = new_version(tmp_path, '{version: "2026.1"}', DROP)
    result = diff(runner, str(tmp_path / "2026.1.yaml"), new)
    assert result.exit_code == 1
    assert "removed    transit.tracking (NOT in supersedes: neither renamed nor dropped)" in result.output


def test_diff_compares_stage_type_scale_bands_required_and_show_if(runner, tmp_path):
    new = new_version(tmp_path, '{version: "2026.1"}',
                      ("stage: digital\n        type: yes_no\n        text: {en: \"Consignments",
                       "stage: electronic\n        required: false\n        type: yes_no\n        text: "
                       "{en: \"Consignments"),
                      ("{value: full, points: 2,", "{value: full, points: 3,"),
                      ("in: [yes]}", "in: [no]}"))
    lines = diff(runner, str(tmp_path / "2026.1.yaml"), new).output.splitlines()
    assert "changed    transit.e-transit: scale: 'impl: none=0; partial=1; full=2' -> " \
           "'impl: none=0; partial=1; full=3'" in lines
    assert "changed    transit.seal-data: show_if: 'transit.seals in [yes]' -> 'transit.seals in [no]'" in lines
    assert "changed    transit.tracking: stage: 'digital' -> 'electronic'" in lines
    assert "changed    transit.tracking: required: 'true' -> 'false'" in lines


def test_diff_reads_loaded_versions_by_label(runner, imported, tmp_path):
    new = new_version(tmp_path, '{version: "2026.1", dropped: [transit.tracking]}', DROP)
    result = diff(runner, "roadmap-mini@2026.1", new)
    assert result.exit_code == 0, result.output
    assert "removed    transit.tracking (dropped in supersedes)" in result.output
    assert diff(runner, "roadmap-mini@9.9", new).exit_code == 1
    assert "neither a questionnaire file nor a loaded version" in diff(runner, "roadmap-mini@9.9", new).output


def test_diff_refuses_an_invalid_file_with_its_issues(runner, tmp_path):
    (tmp_path / "bad.yaml").write_text("format: 1\n", encoding="utf-8")
    result = diff(runner, str(tmp_path / "bad.yaml"), str(tmp_path / "bad.yaml"))
    assert result.exit_code == 2 and "is required but missing" in result.output


def sensitivity(runner, *extra):
    result = runner.invoke(args=["scores", "sensitivity", "--questionnaire", "roadmap-mini@2026.1",
                                 "--status", "submitted", *extra])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))


def test_sensitivity_gives_every_variant_worked_out_by_hand(runner, imported):
    rows = sensitivity(runner, "--threshold", "0.6,0.7", "--overall-level", "min", "--hidden", "exclude,zero")
    assert list(rows[0]) == ["country_code", "cycle", "assessment_id", "status", "stage_threshold",
                             "overall_level_rule", "hidden", "overall_level", "overall_index", "level_transit",
                             "level_legal"]
    am = [(r["hidden"], r["stage_threshold"], r["overall_level"], r["overall_index"], r["level_transit"],
           r["level_legal"]) for r in rows if r["country_code"] == "AM"]
    # transit electronic 2/3; digital 1/1 under exclude, 1/3 under zero (the hidden seal-data counts 0)
    assert am == [("exclude", "0.6", "1", "62.50", "2", "1"), ("exclude", "0.7", "0", "62.50", "0", "1"),
                  ("zero", "0.6", "1", "50.00", "1", "1"), ("zero", "0.7", "0", "50.00", "0", "1")]


def test_sensitivity_defaults_cover_the_threshold_range_every_rule_and_both_hidden_rules(runner, imported):
    rows = sensitivity(runner)
    assert len(rows) == 2 * 7 * 3 * 2
    assert [r["stage_threshold"] for r in rows[:7 * 3:3]] == ["0.6", "0.65", "0.7", "0.75", "0.8", "0.85", "0.9"]
    by = [r for r in rows if r["country_code"] == "BY" and r["hidden"] == "zero" and r["stage_threshold"] == "0.6"]
    # BY: transit 2/3 and 2/3 -> level 2; legal 0 -> level 0; median of (2, 0) is the lower middle
    assert [(r["overall_level_rule"], r["overall_level"]) for r in by] == [("min", "0"), ("median", "0"),
                                                                            ("mean_floor", "1")]


def test_sensitivity_writes_nothing(app, runner, imported):
    def snapshot():
        with app.app_context():
            scores = db.session.execute(sa.select(ScoreRow.id, ScoreRow.level, ScoreRow.index,
                                                  ScoreRow.computed_at).order_by(ScoreRow.id)).all()
            return scores, db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    before = snapshot()
    sensitivity(runner, "--threshold", "0.5:1:0.25")
    assert snapshot() == before


def test_sensitivity_refuses_bad_options(runner, imported):
    for extra in (["--threshold", "0.9:0.6:0.05"], ["--threshold", "1.5"], ["--overall-level", "max"],
                  ["--hidden", "zeros"]):
        result = runner.invoke(args=["scores", "sensitivity", "--questionnaire", "roadmap-mini@2026.1", *extra])
        assert result.exit_code == 2, (extra, result.output)
    result = runner.invoke(args=["scores", "sensitivity", "--questionnaire", "nope@1"])
    assert result.exit_code == 1 and "unknown questionnaire nope@1" in result.output
