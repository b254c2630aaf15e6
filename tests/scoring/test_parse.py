"""Questionnaire files: what is accepted, and the precise message for what is not."""

import json
from pathlib import Path

import jsonschema
import pytest

import scoring
from scoring.schema import SCHEMA_PATH
from scoring.yamlio import read_yaml

DATA = Path(__file__).parent / "data"
MINIMAL = (DATA / "minimal.yaml").read_text(encoding="utf-8")


def variant(old, new, count=1):
    """The minimal file's text with ``old`` replaced by ``new`` (which must be there)."""
    assert MINIMAL.count(old) >= count, old
    return MINIMAL.replace(old, new, count)


def issues_of(text, resolve_previous=None):
    """The issues refusing ``text``, as (path, message) pairs."""
    with pytest.raises(scoring.QuestionnaireError) as refused:
        scoring.load_text(text, "variant.yaml", resolve_previous)
    assert all(issue.file == "variant.yaml" for issue in refused.value.issues)
    return [(issue.path, issue.message) for issue in refused.value.issues]


def only_issue(text, resolve_previous=None):
    issues = issues_of(text, resolve_previous)
    assert len(issues) == 1, issues
    return issues[0]


# ---- valid files ---------------------------------------------------------------------------

def test_the_minimal_file_parses_into_the_model():
    q = scoring.load_file(DATA / "minimal.yaml")
    assert (q.id, q.version, q.status, q.languages) == ("demo", "2026.1", "draft", ("en", "ru"))
    assert q.stage_keys == ("electronic", "digital")
    assert [d.key for d in q.dimensions] == ["processes", "exchange"]
    assert [x.key for x in q.questions][-1] == "exchange.channel"
    assert q.question("processes.auto-release").show_if == scoring.ShowIf(
        "processes.e-declaration", values=("yes",))
    assert q.question("processes.release-hours").bands[-1] == scoring.Band(None, None, 0.0)
    assert q.question("exchange.channel").max_points == 3


def test_omitted_keys_take_their_documented_defaults():
    q = scoring.load_file(DATA / "minimal.yaml")
    e_declaration = q.question("processes.e-declaration")
    assert (e_declaration.weight, e_declaration.required, e_declaration.na_allowed,
            e_declaration.evidence, e_declaration.show_if) == (1.0, True, False, "none", None)
    assert (e_declaration.help, e_declaration.unit, e_declaration.min) == ({}, {}, None)
    assert q.question("processes.auto-release").source == ""
    assert (q.description, q.supersedes, q.dimensions[0].weight) == ({}, None, 1.0)
    defaults = scoring.load_text(variant(
        "  stage_threshold: 0.8\n  overall_level: min\n  overall_index: mean\n"
        "  unanswered: zero\n", "  {}\n"), "defaults.yaml")
    assert defaults.rules == scoring.ScoringRules(0.8, "min", "mean", "zero")


def test_yes_no_questions_offer_yes_and_no_with_labels():
    q = scoring.load_file(DATA / "minimal.yaml")
    options = q.question("processes.e-declaration").options
    assert [(o.value, o.points, o.label["ru"]) for o in options] == [
        ("yes", 1, "Да"), ("no", 0, "Нет")]


def test_bare_yes_and_no_stay_answer_values_not_booleans():
    q = scoring.load_text(variant("in: [yes]", "in: [no, yes]"), "v.yaml")
    assert q.question("processes.auto-release").show_if.values == ("no", "yes")


def test_parse_accepts_already_loaded_data():
    data = read_yaml(MINIMAL, "minimal.yaml").data
    assert scoring.parse(data, "snapshot") == scoring.load_file(DATA / "minimal.yaml")


def test_the_schema_is_a_valid_draft_2020_12_schema():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# ---- malformed files ----------------------------------------------------------------------

def test_bad_yaml_is_reported_with_the_file_and_line():
    issues = scoring.validate_files([DATA / "bad_yaml.yaml"])
    assert len(issues) == 1
    assert issues[0].file == str(DATA / "bad_yaml.yaml")
    assert issues[0].line == 5
    assert issues[0].message.startswith("the YAML is malformed at line 5")


def test_an_unknown_format_is_the_only_issue_reported():
    assert only_issue(variant("format: 1", "format: 2")) == (
        "format", "2 is an unknown format: this tool reads format 1")


def test_a_question_key_used_twice_is_reported():
    text = variant("key: processes.notes", "key: processes.release-hours")
    assert only_issue(text) == (
        "dimensions[0].questions[3].key", "the question key 'processes.release-hours' is used "
        "twice (first at dimensions[0].questions[2])")


def test_a_repeated_yaml_mapping_key_is_reported_with_both_lines():
    issues = scoring.validate_files([DATA / "duplicate_mapping_key.yaml"])
    assert [(i.path, i.message, i.line) for i in issues] == [(
        "dimensions[0].questions[0].weight", "the key 'weight' appears twice in the same "
        "mapping (lines 15 and 17); remove or rename one of them", 17)]


def test_a_missing_translation_is_reported():
    assert only_issue(variant("{en: Release time, ru: Время выпуска}", "{en: Release time}")) == (
        "dimensions[0].questions[2].text",
        "the 'ru' translation is missing (every text must be given in en, ru)")


def test_an_empty_translation_and_an_unlisted_language_are_reported():
    assert issues_of(variant("title: {en: Demo, ru: Демо}", 'title: {en: " ", ru: Демо, kk: X}')
                     ) == [("title.en", "is empty"),
                           ("title.kk", "'kk' is not one of the questionnaire's languages "
                                        "(en, ru)")]


def test_show_if_pointing_at_a_later_question_is_reported():
    text = variant("{question: processes.e-declaration, in: [yes]}",
                   "{question: processes.release-hours, op: '<=', value: 4}")
    assert only_issue(text) == (
        "dimensions[0].questions[1].show_if.question",
        "refers to 'processes.release-hours', which comes later in the file; show_if must "
        "refer to an earlier question")


def test_show_if_pointing_at_an_unknown_question_is_reported():
    text = variant("{question: processes.e-declaration,", "{question: processes.e-declarations,")
    assert only_issue(text) == (
        "dimensions[0].questions[1].show_if.question",
        "refers to an unknown question 'processes.e-declarations'; did you mean "
        "'processes.e-declaration'?")


def test_show_if_values_must_be_answers_of_the_target():
    assert only_issue(variant("in: [yes]", "in: [yes, maybe]")) == (
        "dimensions[0].questions[1].show_if.in[1]",
        "'maybe' is not an answer of 'processes.e-declaration' (its answers are: yes, no)")


def test_show_if_with_an_operator_needs_a_number_target():
    assert only_issue(variant("in: [yes]", "op: '>', value: 1")) == (
        "dimensions[0].questions[1].show_if.op",
        "op and value only apply to number questions; 'processes.e-declaration' is a yes_no "
        "question: list the values that show it with in")


def test_show_if_mixing_in_and_an_operator_is_reported():
    assert only_issue(variant("in: [yes]", "in: [yes], op: '<'")) == (
        "dimensions[0].questions[1].show_if",
        "needs either 'in' (a list of answer values) or both 'op' and 'value', not a mix")


def test_an_unknown_scale_is_reported():
    assert only_issue(variant("scale: impl\n", "scale: implementation\n")) == (
        "dimensions[0].questions[1].scale", "unknown scale 'implementation'; known: impl")


def test_an_unknown_stage_is_reported():
    assert only_issue(variant("stage: digital", "stage: smart")) == (
        "dimensions[0].questions[1].stage",
        "unknown stage 'smart'; known: digital, electronic")


def test_a_question_without_a_stage_is_reported_when_the_questionnaire_has_stages():
    assert only_issue(variant("        stage: digital\n        type: scale",
                              "        type: scale")) == (
        "dimensions[0].questions[1].stage",
        "is missing: the questionnaire has stages, so every question needs one")


def test_empty_choices_are_reported():
    text = variant("        choices:\n          - {value: paper, points: 0, label: {en: Paper, "
                   "ru: Бумага}}\n          - {value: online, points: 3, label: {en: Online, "
                   "ru: Онлайн}}\n", "        choices: []\n")
    assert only_issue(text) == ("dimensions[1].questions[0].choices", "must not be empty")


def test_a_choice_value_used_twice_is_reported():
    assert only_issue(variant("value: online", "value: paper")) == (
        "dimensions[1].questions[0].choices[1].value",
        "the choice value 'paper' is used twice (first at dimensions[1].questions[0].choices[0])")


def test_bands_with_min_above_max_or_negative_points_are_reported():
    text = variant("{max: 24, points: 0.5}", "{min: 30, max: 24, points: -1}")
    assert issues_of(text) == [
        ("dimensions[0].questions[2].bands[1]", "min (30) is greater than max (24)"),
        ("dimensions[0].questions[2].bands[1].points", "must be at least 0, not -1")]


def test_an_open_band_before_the_last_is_reported():
    text = variant("[{max: 4, points: 1}, {max: 24, points: 0.5}, {points: 0}]",
                   "[{points: 1}, {max: 24, points: 0.5}]")
    assert only_issue(text) == (
        "dimensions[0].questions[2].bands[0]", "only the last band may be open (without min "
        "and max): the bands after it could never apply")


def test_a_number_question_needs_bands():
    text = variant("        bands: [{max: 4, points: 1}, {max: 24, points: 0.5}, {points: 0}]\n",
                   "")
    assert only_issue(text) == ("dimensions[0].questions[2].bands",
                                "is missing: a number question needs bands that give its points")


def test_an_unknown_key_suggests_the_closest_known_one():
    assert only_issue(variant("        weight: 2\n", "        wieght: 2\n")) == (
        "dimensions[0].questions[1].wieght", "unknown key 'wieght'; did you mean 'weight'?")


def test_a_version_written_as_a_number_asks_for_quotes():
    assert only_issue(variant('version: "2026.1"', "version: 2026.1")) == (
        "version", 'must be text, not the number 2026.1 (put it in quotes: "2026.1")')


def test_a_missing_top_level_key_is_reported_at_its_path():
    assert only_issue(variant("title: {en: Demo, ru: Демо}\n", "")) == (
        "title", "is required but missing")


def test_a_boolean_in_a_show_if_list_asks_for_quotes():
    assert only_issue(variant("in: [yes]", "in: [true]")) == (
        "dimensions[0].questions[1].show_if.in[0]",
        'must be text or a whole number, not true (put it in quotes: "true")')


def test_every_issue_is_reported_in_one_pass_in_file_order():
    text = variant("in: [yes]", "in: [maybe]")
    text = text.replace("scale: impl\n", "scale: implementation\n")
    text = text.replace("status: draft", "status: final")
    assert [path for path, _ in issues_of(text)] == [
        "status", "dimensions[0].questions[1].scale",
        "dimensions[0].questions[1].show_if.in[0]"]


def test_an_issue_reads_as_file_path_message_and_line():
    with pytest.raises(scoring.QuestionnaireError) as refused:
        scoring.load_text(variant("type: scale", "type: scala"), "q.yaml")
    assert str(refused.value) == (
        "q.yaml: dimensions[0].questions[1].type: 'scala' is not allowed: use one of scale, "
        "yes_no, choice, number, text; did you mean 'scale'? (line 30)")
    assert isinstance(refused.value, ValueError)


def test_a_missing_file_is_reported():
    [issue] = scoring.validate_files([DATA / "nowhere.yaml"])
    assert (issue.path, issue.message) == ("", "the file does not exist")


# ---- supersedes ----------------------------------------------------------------------------

SUPERSEDES = variant("scoring:", "supersedes:\n  version: '2025.1'\n  renamed: {old.name: "
                     "processes.notes}\n  dropped: [old.gone]\nscoring:")


def previous(*keys):
    """A resolver returning a 2025.1 version of `demo` with these question keys."""
    questions = "".join(f"      - {{key: {k}, type: yes_no, text: {{en: x, ru: x}}, stage: "
                        f"digital}}\n" for k in keys)
    text = MINIMAL.split("dimensions:")[0] + "dimensions:\n  - key: d\n    title: {en: D, " \
        "ru: D}\n    questions:\n" + questions
    old = scoring.load_text(text.replace('"2026.1"', '"2025.1"'), "old.yaml")
    return lambda qid, version: old if (qid, version) == ("demo", "2025.1") else None


def test_supersedes_is_checked_against_the_previous_version():
    q = scoring.load_text(SUPERSEDES, "v.yaml", previous("old.name", "old.gone"))
    assert q.supersedes == scoring.Supersedes("2025.1", {"old.name": "processes.notes"},
                                              ("old.gone",))


def test_supersedes_naming_a_key_the_previous_version_lacks_is_reported():
    assert only_issue(SUPERSEDES, previous("old.name", "old.other")) == (
        "supersedes.dropped[0]", "'old.gone' is not a question of version 2025.1; did you "
        "mean 'old.name'?")


def test_supersedes_renaming_to_a_key_this_version_lacks_is_reported():
    text = SUPERSEDES.replace("old.name: processes.notes", "old.name: processes.nothing")
    assert only_issue(text) == ("supersedes.renamed.old.name", "renames 'old.name' to "
                                "'processes.nothing', but this version has no question "
                                "'processes.nothing'")


def test_a_previous_version_a_resolver_cannot_find_is_reported():
    assert only_issue(SUPERSEDES, lambda qid, version: None) == (
        "supersedes.version", "the earlier version 2025.1 of 'demo' was not found, so its "
        "renamed and dropped keys cannot be checked")


def test_without_a_resolver_the_previous_version_is_not_checked():
    assert scoring.load_text(SUPERSEDES, "v.yaml").supersedes.version == "2025.1"


def test_load_file_checks_supersedes_against_the_sibling_file():
    q = scoring.load_file(DATA / "crosswalk" / "2026.1.yaml")
    old = scoring.load_file(DATA / "crosswalk" / "2025.1.yaml")
    assert scoring.crosswalk(old, q, {"d.old-name": "yes", "d.kept": "no", "d.retired": "no"}
                             ) == {"d.new-name": "yes", "d.kept": "no"}


def test_load_file_reports_a_missing_sibling_file(tmp_path):
    path = tmp_path / "2026.1.yaml"
    path.write_text(SUPERSEDES, encoding="utf-8")
    [issue] = scoring.validate_files([path])
    assert (issue.path, issue.line) == ("supersedes.version", 11)
