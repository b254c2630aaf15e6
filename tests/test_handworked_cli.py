"""Scoring version 2 checked against figures worked out by hand from DESIGN.md §4, through the command line.

Two questionnaires written for this test (tests/data/handworked/), unlike the shipped ones and the other test
data: `border-ops` (three stages, threshold 0.75, weighted median level, pooled index, unanswered: exclude,
hidden: exclude by default with per-question hidden: zero, a show_if chain, number bands with lower bounds,
options worth 0.5 or 1.5 of 3 points, measures shared between dimensions, references to two instruments) and
`lab-index` (threshold 0.5, mean_floor level, mean index, unanswered: zero, hidden: zero for the file with a
per-question hidden: exclude). Every figure below is computed by hand in the comments, then read back from
`flask scores export --table scores|answers|measures`, `flask questionnaires diff` and `flask scores
sensitivity`. Notation: p = points / max points, w = question weight; "x/y" are Σ w·p / Σ w.
"""
import csv
import io
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "handworked"
BORDER, LAB = "border-ops@2026.1", "lab-index@2026.1"
SCORE_HEAD = ["country_code", "country_name", "cycle", "questionnaire_id", "questionnaire_version",
              "scoring_version", "assessment_id", "status", "dimension_key", "dimension_title", "level",
              "level_label", "index"]
SCORE_TAIL = ["answered", "applicable", "completeness", "submitted_at", "validated_at", "evidence_coverage",
              "weakest_dimensions"]

# (question_key, value, evidence_url, not_applicable). BY and KG are submitted; AM and KZ stay drafts (a required
# question is unanswered, which submission refuses; the scores count it under the file's `unanswered` rule).
SUBMITTED = {"BY", "KG"}
ANSWERS = {
    BORDER: {
        # AM: r.ml keeps an answer given while r.automated was "yes" (imported first, then r.automated "no").
        "AM": ([("r.profiling", "wide", "", ""), ("r.automated", "yes", "", ""), ("r.ml", "model", "", "")],
               [("r.profiling", "wide", "https://customs.example.am/risk", ""), ("r.automated", "no", "", ""),
                ("r.notes", "Profiles reviewed monthly", "", ""),
                ("d.pre-arrival", "30", "https://customs.example.am/pre-arrival", ""), ("d.share", "60", "", ""),
                ("d.api", "", "", "true"), ("p.training", "pilot", "", "")]),
        # BY: d.share keeps an answer given while d.pre-arrival was 30 (then 3 hours).
        "BY": ([("d.pre-arrival", "30", "", ""), ("d.share", "80", "", "")],
               [("r.profiling", "plan", "", ""), ("d.pre-arrival", "3", "", ""),
                ("d.api", "yes", "https://customs.example.by/api", ""), ("p.training", "wide", "", ""),
                ("p.e-learning", "yes", "https://customs.example.by/learning", "")]),
    },
    LAB: {
        "KZ": ([], [("c.single-window", "no", "", ""), ("a.post-audit", "yes", "https://customs.example.kz/a", "")]),
        "KG": ([], [("c.single-window", "yes", "", ""), ("c.docs", "scan", "", ""),
                    ("c.release-hours", "2", "https://customs.example.kg/release", ""),
                    ("a.post-audit", "", "", "true")]),
    },
}


def write_answers(path: Path, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question_key", "value", "comment", "evidence_url", "not_applicable"])
        writer.writerows((key, value, "", evidence, na) for key, value, evidence, na in rows)
    return path


@pytest.fixture
def loaded(app, runner, countries, tmp_path):
    result = runner.invoke(args=["questionnaires", "load", str(DATA / "border-ops-2026.1.yaml"),
                                 str(DATA / "lab-index-2026.1.yaml")])
    assert result.exit_code == 0, result.output
    for label, by_country in ANSWERS.items():
        for country, (earlier, final) in by_country.items():
            for step, rows in enumerate((earlier, final)):
                if not rows:
                    continue
                path = write_answers(tmp_path / f"{country}-{step}.csv", rows)
                extra = ["--submit"] if step == 1 and country in SUBMITTED else []
                result = runner.invoke(args=["assessments", "import", str(path), "--country", country, "--cycle",
                                             "2026", "--questionnaire", label, *extra])
                assert result.exit_code == 0, result.output
    return runner


def measure_figures(rows) -> list[tuple]:
    """measures.csv rows as (country_code, measure_id, measure_title, attainment, measure_status, criteria)."""
    return [(r["country_code"], r["measure_id"], r["measure_title"], r["attainment"], r["measure_status"],
             r["criteria"]) for r in rows]


def export(runner, table, label, *extra):
    result = runner.invoke(args=["scores", "export", "--table", table, "--status", "all", "--questionnaire",
                                 label, "--no-bom", *extra])
    assert result.exit_code == 0, result.output
    assert not result.stdout.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(result.stdout)))


def figures(rows, stage_keys):
    """country, dimension -> every computed column of scores.csv (the head columns are checked apart)."""
    return {(r["country_code"], r["dimension_key"]): (
        r["level"], r["level_label"], r["index"], *[r[f"stage_{s}"] for s in stage_keys], r["answered"],
        r["applicable"], r["completeness"], r["evidence_coverage"], r["weakest_dimensions"]) for r in rows}


def test_border_ops_scores_csv_matches_the_hand_computation(loaded):
    rows = export(loaded, "scores", BORDER)
    assert list(rows[0]) == [*SCORE_HEAD, "stage_basic", "stage_advanced", "stage_leading", *SCORE_TAIL]
    # AM
    #  risk (w 2): r.profiling wide 4/4 = 1 (w2, basic, evidence); r.automated shown (profiling is wide), "no" = 0
    #   (w1, advanced); r.ml hidden (automated is not "yes"), default hidden: exclude -> out, its stale answer
    #   ignored; r.notes is text (never scored). basic 2/2 = 100 %, advanced 0/1 = 0 %, leading: nothing
    #   counted -> empty and vacuously attained. Level 1 (advanced < 75 %). Index 100·2/3 = 66.67.
    #   Evidence 100·2/2 = 100. Counted as answered: profiling, automated, notes = 3 of 3 shown (r.ml hidden),
    #   applicable 3; required shown: profiling, automated (notes is optional) -> 2/2 = 100 %.
    #  data (w 1): d.pre-arrival 30 h -> first band {min 24} = 2/2 = 1 (w2, basic, evidence); d.share shown
    #   (30 >= 4), 60 % -> {max 0} no, {max 50} no, last band 3/3 = 1 (w1, advanced); d.api N/A -> out.
    #   basic 100 %, advanced 100 %, leading empty -> level 3. Index 100·3/3 = 100. Evidence 100·2/3 = 66.67.
    #   Answered 3 (N/A counts as answered), applicable 2, required 3/3.
    #  people (w 1): p.training pilot 1/4 = 0.25 (w1, basic); p.e-learning unanswered, unanswered: exclude ->
    #   out. basic 25 % -> level 0; advanced has no question, leading nothing counted: both empty. Index 25.
    #   Evidence 0/0.25 = 0. Answered 1 of 2 shown, applicable 2; required shown: e-learning only, 0/1 = 0 %.
    #  overall: weighted median of levels risk 1 (w2), data 3 (w1), people 0 (w1): weight 4, the first level
    #   reaching half (2) is 1 (0: 1, 1: 1 + 2 = 3) -> 1 "Basic". Pooled index 100·(2 + 3 + 0.25)/(3 + 3 + 1)
    #   = 75. Stages pooled: basic (2 + 2 + 0.25)/(2 + 2 + 1) = 85 %, advanced (0 + 1)/(1 + 1) = 50 %, leading
    #   empty. Evidence 100·(2 + 2)/5.25 = 76.19. Answered 7, applicable 7, required 5/6 = 83.33 %.
    #   Weakest: the lowest level is people's 0.
    # BY
    #  risk: r.profiling "plan" = 0 (w2, basic); r.automated hidden (plan is not pilot/wide), hidden: zero ->
    #   counts 0 (w1, advanced); r.ml hidden (its target is hidden), hidden: exclude -> out. basic 0 %,
    #   advanced 0 %, leading empty. Level 0, index 0/3 = 0. Evidence: no points -> empty. Shown: profiling
    #   and notes: answered 1, applicable 2; required 1/1.
    #  data: d.pre-arrival 3 h -> neither {min 24} nor {min 4}: last band 0 (w2, basic); d.share hidden
    #   (3 < 4), hidden: zero -> 0 (w1, advanced), the stale 80 % ignored; d.api yes 1 (w1, advanced, evidence).
    #   basic 0 %, advanced 1/2 = 50 %, leading empty. Level 0, index 100·1/4 = 25, evidence 100·1/1 = 100.
    #   Shown: pre-arrival, api -> answered 2, applicable 2, required 2/2.
    #  people: p.training wide 1 (w1, basic), p.e-learning yes 1 (w1, leading, evidence). basic 100 %,
    #   advanced empty (no question), leading 100 % -> level 3, index 100, evidence 100·1/2 = 50.
    #   Answered 2, applicable 2, required (e-learning) 1/1.
    #  overall: levels risk 0 (w2), data 0 (w1), people 3 (w1): at 0 the weight is 3 >= 2 -> 0 "Below “Basic”".
    #   Pooled index 100·(0 + 1 + 2)/(3 + 4 + 2) = 33.33. Stages: basic (0 + 0 + 1)/(2 + 2 + 1) = 20 %,
    #   advanced (0 + 1)/(1 + 2) = 33.33 %, leading 1/1 = 100 %. Evidence 100·(1 + 1)/3 = 66.67.
    #   Answered 5, applicable 6, required 4/4. Weakest: risk and data (both 0), in dimension order.
    assert figures(rows, ("basic", "advanced", "leading")) == {
        ("AM", "risk"): ("1", "Basic", "66.67", "100.00", "0.00", "", "3", "3", "100.00", "100.00", ""),
        ("AM", "data"): ("3", "Leading", "100.00", "100.00", "100.00", "", "3", "2", "100.00", "66.67", ""),
        ("AM", "people"): ("0", "Below “Basic”", "25.00", "25.00", "", "", "1", "2", "0.00", "0.00", ""),
        ("AM", "_overall"): ("1", "Basic", "75.00", "85.00", "50.00", "", "7", "7", "83.33", "76.19", "people"),
        ("BY", "risk"): ("0", "Below “Basic”", "0.00", "0.00", "0.00", "", "1", "2", "100.00", "", ""),
        ("BY", "data"): ("0", "Below “Basic”", "25.00", "0.00", "50.00", "", "2", "2", "100.00", "100.00", ""),
        ("BY", "people"): ("3", "Leading", "100.00", "100.00", "", "100.00", "2", "2", "100.00", "50.00", ""),
        ("BY", "_overall"): ("0", "Below “Basic”", "33.33", "20.00", "33.33", "100.00", "5", "6", "100.00", "66.67",
                             "risk;data"),
    }
    assert [(r["country_code"], r["dimension_key"]) for r in rows] == [
        (c, d) for c in ("AM", "BY") for d in ("risk", "data", "people", "_overall")]
    head = {(r["country_name"], r["cycle"], r["questionnaire_id"], r["questionnaire_version"], r["scoring_version"],
             r["status"], bool(r["submitted_at"]), r["validated_at"]) for r in rows}
    assert head == {("Armenia", "2026", "border-ops", "2026.1", "2.0.0", "draft", False, ""),
                    ("Belarus", "2026", "border-ops", "2026.1", "2.0.0", "submitted", True, "")}
    assert {r["dimension_title"] for r in rows} == {"Risk management", "Advance data", "People", "Overall"}
    assert all(r["submitted_at"].endswith("Z") for r in rows if r["submitted_at"])
    assert len({r["assessment_id"] for r in rows}) == 2


def test_lab_index_scores_csv_matches_the_hand_computation(loaded):
    rows = export(loaded, "scores", LAB, "--lang", "ru")
    assert list(rows[0]) == [*SCORE_HEAD, "stage_e", "stage_d", *SCORE_TAIL]
    # KZ (threshold 50 %)
    #  clearance (w 3): c.single-window no = 0 (w1, e); c.docs hidden, its own hidden: exclude -> out;
    #   c.release-hours hidden, the file's hidden: zero -> 0 (w2, d). e 0 %, d 0 % -> level 0, index 0,
    #   evidence empty (no points). Shown: single-window only: answered 1, applicable 1, required 1/1.
    #  audit (w 1): a.post-audit yes 1 (w1, e, evidence); a.analytics shown, unanswered, unanswered: zero ->
    #   0 (w1, d). e 100 %, d 0 % -> level 1, index 50, evidence 100. Answered 1 of 2, required 1/2 = 50 %.
    #  overall: mean_floor floor((0·3 + 1·1)/4 = 0.25) = 0; mean index (0·3 + 50·1)/4 = 12.5. Stages pooled:
    #   e (0 + 1)/(1 + 1) = 50 %, d 0/(2 + 1) = 0 %. Evidence 100·1/1 = 100. Answered 2, applicable 3,
    #   required 2/3 = 66.67 %. Weakest clearance.
    # KG
    #  clearance: single-window yes 1 (w1, e); c.docs scan 1/2 = 0.5 (w1, e); c.release-hours 2 h -> {max 1}
    #   no, {max 4} 0.5 of 1 (w2, d, evidence). e 1.5/2 = 75 %, d 1/2 = 50 % (= threshold: attained) ->
    #   level 2, index 100·2.5/4 = 62.5, evidence 100·1/2.5 = 40. Answered 3, applicable 3, required 3/3.
    #  audit: a.post-audit N/A -> out; a.analytics hidden (its target is N/A), hidden: zero -> 0 (w1, d).
    #   e empty (vacuously attained), d 0 % -> level 1, index 0, evidence empty. Answered 1 (the N/A),
    #   applicable 0, required shown 1/1.
    #  overall: floor((2·3 + 1·1)/4 = 1.75) = 1; index (62.5·3 + 0·1)/4 = 46.875 -> 46.88. Stages: e 1.5/2 =
    #   75 %, d (1 + 0)/(2 + 1) = 33.33 %. Evidence 100·1/2.5 = 40. Answered 4, applicable 3, required 4/4.
    #   Weakest audit (1 < 2).
    assert figures(rows, ("e", "d")) == {
        ("KZ", "clearance"): ("0", "Ниже этапа «Электронная»", "0.00", "0.00", "0.00", "1", "1", "100.00", "", ""),
        ("KZ", "audit"): ("1", "Электронная", "50.00", "100.00", "0.00", "1", "2", "50.00", "100.00", ""),
        ("KZ", "_overall"): ("0", "Ниже этапа «Электронная»", "12.50", "50.00", "0.00", "2", "3", "66.67", "100.00", "clearance"),
        ("KG", "clearance"): ("2", "Цифровая", "62.50", "75.00", "50.00", "3", "3", "100.00", "40.00", ""),
        ("KG", "audit"): ("1", "Электронная", "0.00", "", "0.00", "1", "0", "100.00", "", ""),
        ("KG", "_overall"): ("1", "Электронная", "46.88", "75.00", "33.33", "4", "3", "100.00", "40.00", "audit"),
    }
    assert {r["dimension_title"] for r in rows} == {"Выпуск", "Аудит", "Итого"}
    assert {r["country_name"] for r in rows} == {"Казахстан", "Кыргызстан"}


ANSWER_COLUMNS = ["country_code", "cycle", "questionnaire_id", "questionnaire_version", "dimension_key",
                  "question_key", "stage", "value", "value_label", "not_applicable", "points", "max_points", "comment",
                  "evidence_url", "updated_by", "updated_at", "hidden"]


def test_border_ops_answers_csv_gives_points_and_hidden_flags_by_hand(loaded):
    rows = export(loaded, "answers", BORDER)
    assert list(rows[0]) == ANSWER_COLUMNS
    # points are the option's or band's points (not p); max_points the question's highest. A hidden answer:
    # r.ml (hidden: exclude) has empty points, d.share of BY (hidden: zero) 0.00. Text: no points at all.
    # N/A: no points, the question's maximum still given.
    got = [(r["country_code"], r["dimension_key"], r["question_key"], r["stage"], r["value"], r["value_label"],
            r["not_applicable"], r["points"], r["max_points"], r["evidence_url"], r["hidden"]) for r in rows]
    assert got == [
        ("AM", "risk", "r.profiling", "basic", "wide", "Nationwide", "false", "4.00", "4.00",
         "https://customs.example.am/risk", "false"),
        ("AM", "risk", "r.automated", "advanced", "no", "No", "false", "0.00", "1.00", "", "false"),
        ("AM", "risk", "r.ml", "leading", "model", "A statistical model", "false", "", "3.00", "", "true"),
        ("AM", "risk", "r.notes", "basic", "Profiles reviewed monthly", "", "false", "", "", "", "false"),
        ("AM", "data", "d.pre-arrival", "basic", "30", "30 hours", "false", "2.00", "2.00",
         "https://customs.example.am/pre-arrival", "false"),
        ("AM", "data", "d.share", "advanced", "60", "60 %", "false", "3.00", "3.00", "", "false"),
        ("AM", "data", "d.api", "advanced", "", "", "true", "", "1.00", "", "false"),
        ("AM", "people", "p.training", "basic", "pilot", "Pilot", "false", "1.00", "4.00", "", "false"),
        ("BY", "risk", "r.profiling", "basic", "plan", "Planned", "false", "0.00", "4.00", "", "false"),
        ("BY", "data", "d.pre-arrival", "basic", "3", "3 hours", "false", "0.00", "2.00", "", "false"),
        ("BY", "data", "d.share", "advanced", "80", "80 %", "false", "0.00", "3.00", "", "true"),
        ("BY", "data", "d.api", "advanced", "yes", "Yes", "false", "1.00", "1.00", "https://customs.example.by/api",
         "false"),
        ("BY", "people", "p.training", "basic", "wide", "Nationwide", "false", "4.00", "4.00", "", "false"),
        ("BY", "people", "p.e-learning", "leading", "yes", "Yes", "false", "1.00", "1.00",
         "https://customs.example.by/learning", "false"),
    ]
    assert {(r["cycle"], r["questionnaire_id"], r["questionnaire_version"], r["comment"], r["updated_by"])
            for r in rows} == {("2026", "border-ops", "2026.1", "", "")}
    assert all(r["updated_at"].endswith("Z") and len(r["updated_at"]) == 20 for r in rows)


def test_lab_index_answers_csv_in_russian(loaded):
    rows = export(loaded, "answers", LAB, "--lang", "ru")
    got = [(r["country_code"], r["question_key"], r["value"], r["value_label"], r["not_applicable"], r["points"],
            r["max_points"], r["hidden"]) for r in rows]
    # KG's c.release-hours: 2 h falls in {max 4}: 0.5 of 1 point. KZ answers nothing hidden.
    assert got == [
        ("KG", "c.single-window", "yes", "Да", "false", "1.00", "1.00", "false"),
        ("KG", "c.docs", "scan", "Сканы", "false", "1.00", "2.00", "false"),
        ("KG", "c.release-hours", "2", "2 ч", "false", "0.50", "1.00", "false"),
        ("KG", "a.post-audit", "", "", "true", "", "1.00", "false"),
        ("KZ", "c.single-window", "no", "Нет", "false", "0.00", "1.00", "false"),
        ("KZ", "a.post-audit", "yes", "Да", "false", "1.00", "1.00", "false"),
    ]


MEASURE_COLUMNS = ["country_code", "country_name", "cycle", "questionnaire_id", "questionnaire_version",
                   "scoring_version", "assessment_id", "status", "measure_id", "measure_title", "attainment",
                   "measure_status", "criteria"]


def test_measures_csv_matches_the_hand_computation(loaded):
    rows = export(loaded, "measures", BORDER)
    assert list(rows[0]) == MEASURE_COLUMNS
    # m = Σ w·p / Σ w over the counted questions citing the measure, across dimensions; threshold 75 %.
    # AM 1.2: r.profiling 1 (w2) + r.automated 0 (w1); r.ml hidden under exclude -> 2/3 = 66.67 in progress, 2.
    #    2.5.3: r.automated 0 (w1) + d.pre-arrival 1 (w2) + d.share 1 (w1) = 3/4 = 75 % = threshold:
    #    implemented, 3 criteria. 9.1: d.api N/A, nothing counted -> no data, 0 criteria.
    # BY 1.2: r.profiling 0 (w2) + r.automated hidden, zero (w1) -> 0/3 not started, 2 criteria.
    #    2.5.3: r.automated 0 + d.pre-arrival 0 (w2) + d.share hidden, zero (w1) -> 0/4 not started, 3.
    #    9.1: d.api yes -> 100 % implemented, 1.
    assert measure_figures(rows) == [
        ("AM", "1.2", "Risk management", "66.67", "in_progress", "2"),
        ("AM", "2.5.3", "Pre-arrival data", "75.00", "implemented", "3"),
        ("AM", "9.1", "Open interfaces", "", "no_data", "0"),
        ("BY", "1.2", "Risk management", "0.00", "not_started", "2"),
        ("BY", "2.5.3", "Pre-arrival data", "0.00", "not_started", "3"),
        ("BY", "9.1", "Open interfaces", "100.00", "implemented", "1"),
    ]
    assert [(r["status"], r["scoring_version"], r["country_name"]) for r in rows[::3]] == [
        ("draft", "2.0.0", "Armenia"), ("submitted", "2.0.0", "Belarus")]
    scores = {r["country_code"]: r["assessment_id"] for r in export(loaded, "scores", BORDER)}
    assert {r["country_code"]: r["assessment_id"] for r in rows} == scores
    # lab-index, threshold 50 %. KZ A: c.single-window 0 (w1) + c.release-hours hidden, zero (w2) -> 0/3 not
    # started; B: c.release-hours 0 (w2) + a.post-audit 1 (w1) -> 1/3 = 33.33 in progress; 2 criteria each.
    # KG A: 1 (w1) + 0.5 (w2) -> 2/3 = 66.67 implemented, 2; B: c.release-hours 0.5 (w2), a.post-audit N/A
    # -> 1/2 = 50 % = threshold: implemented, 1 criterion.
    got = [(r["country_code"], r["measure_id"], r["measure_title"], r["attainment"], r["measure_status"],
            r["criteria"]) for r in export(loaded, "measures", LAB, "--lang", "ru")]
    assert got == [
        ("KG", "A", "Единое окно", "66.67", "implemented", "2"),
        ("KG", "B", "Послетаможенный аудит", "50.00", "implemented", "1"),
        ("KZ", "A", "Единое окно", "0.00", "not_started", "2"),
        ("KZ", "B", "Послетаможенный аудит", "33.33", "in_progress", "2"),
    ]


def test_questionnaires_diff_lists_every_change_of_the_next_version(loaded, tmp_path):
    new = DATA / "border-ops-2026.2.yaml"
    result = loaded.invoke(args=["questionnaires", "diff", BORDER, str(new)])
    assert result.exit_code == 0, result.output
    ru = "ru: Используется платформа дистанционного обучения"
    # six questions changed: r.profiling, r.automated, r.ml, d.pre-arrival, d.api (two fields), p.e-learning
    assert result.stdout.splitlines() == [
        "questionnaire diff border-ops@2026.1 -> border-ops@2026.2",
        "added      p.certification",
        "renamed    p.training -> p.staff-training",
        "removed    r.notes (dropped in supersedes)",
        "changed    r.profiling: weight: '2' -> '3'",
        "changed    r.automated: hidden: 'zero' -> 'exclude'",
        "changed    r.ml: choices: 'rules=0.5; model=1.5; ensemble=3' -> 'rules=0.5; model=2; ensemble=3'",
        "changed    d.pre-arrival: bands: '[24..]=2; [4..]=1; [..]=0' -> '[12..]=2; [4..]=1; [..]=0'",
        "changed    d.api: stage: 'advanced' -> 'leading'",
        "changed    d.api: required: 'true' -> 'false'",
        f"changed    p.e-learning: text: 'en: An e-learning platform is used | {ru}' -> "
        f"'en: A distance-learning platform is used | {ru}'",
        "1 added, 1 renamed, 1 removed (0 unaccounted for), 6 changed",
    ]
    # The same versions given as files give the same report.
    same = loaded.invoke(args=["questionnaires", "diff", str(DATA / "border-ops-2026.1.yaml"), str(new)])
    assert same.exit_code == 0 and same.stdout == result.stdout
    # A draft that loses d.share without renaming or dropping it: exit 1, and the report says which key.
    text = new.read_text(encoding="utf-8").replace('version: "2026.2"\n', 'version: "2026.3"\n', 1)
    start, end = text.index("      - key: d.share"), text.index("      - key: d.api")
    draft = tmp_path / "2026.3.yaml"
    draft.write_text(text[:start] + text[end:], encoding="utf-8")
    result = loaded.invoke(args=["questionnaires", "diff", BORDER, str(draft)])
    assert result.exit_code == 1
    assert "removed    d.share (NOT in supersedes: neither renamed nor dropped)" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == "1 added, 1 renamed, 2 removed (1 unaccounted for), 6 changed"


SENSITIVITY_HEAD = ["country_code", "cycle", "assessment_id", "status", "stage_threshold", "overall_level_rule",
                    "hidden", "overall_level", "overall_index", "level_clearance", "level_audit"]


def test_scores_sensitivity_gives_the_levels_of_every_variant_by_hand(loaded, app):
    before = export(loaded, "scores", LAB)
    result = loaded.invoke(args=["scores", "sensitivity", "--questionnaire", LAB, "--threshold", "0.5,0.8",
                                 "--overall-level", "min,mean_floor", "--hidden", "exclude,zero", "--status", "all"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0] == SENSITIVITY_HEAD
    ids = {r["country_code"]: r["assessment_id"] for r in before}
    # The variant's hidden rule applies to every question (c.docs' own "exclude" is replaced).
    # KG  hidden exclude: clearance has nothing hidden: e 75 %, d 50 %, index 62.5; audit: a.post-audit N/A and
    #     a.analytics hidden and left out -> no counted question: no level, no index, left out of the overall.
    #     t 0.5: clearance 2 -> min 2, mean_floor 2; t 0.8: e 75 % < 80 % -> 0 -> 0 and 0. Index 62.50.
    #     hidden zero: audit counts a.analytics as 0 (w1, d): level 1 at any threshold, index 0.
    #     t 0.5: levels 2, 1 -> min 1, mean_floor floor((2·3 + 1)/4 = 1.75) = 1; t 0.8: 0, 1 -> min 0,
    #     mean_floor floor(1/4) = 0. Index (62.5·3 + 0)/4 = 46.88.
    # KZ  hidden exclude: clearance 0/1 in e -> level 0, index 0; audit e 100 %, d 0 % (unanswered: zero) ->
    #     level 1 at both thresholds, index 50. min 0, mean_floor floor(1/4) = 0, index (0·3 + 50)/4 = 12.50.
    #     hidden zero: clearance also counts c.docs (w1, e) and c.release-hours (w2, d) as 0: still level 0 and
    #     index 0, so every variant gives 0, 12.50, levels 0 and 1.
    kg = [[t, rule, hidden, level, index, clearance, audit] for hidden, t, rule, level, index, clearance, audit in (
        ("exclude", "0.5", "min", "2", "62.50", "2", ""), ("exclude", "0.5", "mean_floor", "2", "62.50", "2", ""),
        ("exclude", "0.8", "min", "0", "62.50", "0", ""), ("exclude", "0.8", "mean_floor", "0", "62.50", "0", ""),
        ("zero", "0.5", "min", "1", "46.88", "2", "1"), ("zero", "0.5", "mean_floor", "1", "46.88", "2", "1"),
        ("zero", "0.8", "min", "0", "46.88", "0", "1"), ("zero", "0.8", "mean_floor", "0", "46.88", "0", "1"))]
    kz = [[t, rule, hidden, "0", "12.50", "0", "1"] for hidden in ("exclude", "zero") for t in ("0.5", "0.8")
          for rule in ("min", "mean_floor")]
    assert rows[1:] == [["KG", "2026", ids["KG"], "submitted", *row] for row in kg] + [
        ["KZ", "2026", ids["KZ"], "draft", *row] for row in kz]
    assert export(loaded, "scores", LAB) == before  # nothing stored changed


def test_validate_names_the_file_path_and_fault_of_each_addition(runner, tmp_path):
    text = (DATA / "border-ops-2026.1.yaml").read_text(encoding="utf-8")
    bad = (text.replace('measures: ["1.2", "2.5.3"]', 'measures: ["1.2", "2.5.4"]')
           .replace('  rkc: {en: "Revised Kyoto Convention", ru: "Пересмотренная Киотская конвенция"}',
                    '  rkc: {en: "Revised Kyoto Convention"}')
           .replace('{instrument: rkc, part: "Standard 3.25"}', '{instrument: wco-safe, part: "Pillar 1"}')
           .replace("        hidden: zero\n        bands", "        hidden: zeros\n        bands")
           .replace('measures: ["9.1"]', "measures: [9.1]"))
    path = tmp_path / "border-ops.yaml"
    path.write_text(bad, encoding="utf-8")
    for command in ("validate", "load"):
        result = runner.invoke(args=["questionnaires", command, str(path)])
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [f"{path}: {line}" for line in (
            "instruments.rkc: the 'ru' translation is missing (every text must be given in en, ru) (line 27)",
            "dimensions[0].questions[1].measures[1]: unknown measure '2.5.4'; did you mean '2.5.3'? (line 49)",
            "dimensions[1].questions[0].references[0].instrument: unknown instrument 'wco-safe': give its label "
            "under instruments; known: rkc, wto-tfa (line 80)",
            "dimensions[1].questions[1].hidden: 'zeros' is not allowed: use one of exclude, zero; did you mean "
            "'zero'? (line 89)",
            "dimensions[1].questions[2].measures[0]: must be text, not the number 9.1 (put it in quotes: \"9.1\") "
            "(line 97)")]
    assert "border-ops" not in runner.invoke(args=["questionnaires", "list"]).stdout
