"""The optional additions to format 1 (DESIGN.md §3): hidden, measures, references, instruments."""

from pathlib import Path

import pytest

import scoring
from scoring.model import Measure, Reference

MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")

CATALOGUE = """\
measures:
  - {id: "3.8.1", title: {en: E-transit, ru: Электронный транзит}, source: "003, Application"}
  - {id: "3.9", title: {en: Seals, ru: Пломбы}}
instruments:
  wto-tfa: {en: WTO Trade Facilitation Agreement, ru: Соглашение ВТО об упрощении процедур торговли}
"""
CITING = """\
        hidden: zero
        measures: ["3.8.1", "3.9"]
        references:
          - {instrument: wto-tfa, part: "Art. 7.1"}
          - {seed: 003_946f441bb5a524d9.txt, part: "§7"}
"""
ANCHOR = "        weight: 2\n        show_if"


def issues_of(text):
    """The issues refusing ``text``, as (path, message) pairs."""
    with pytest.raises(scoring.QuestionnaireError) as refused:
        scoring.load_text(text, "variant.yaml")
    return [(issue.path, issue.message) for issue in refused.value.issues]


def only_issue(text):
    issues = issues_of(text)
    assert len(issues) == 1, issues
    return issues[0]


def with_additions(citing=CITING, catalogue=CATALOGUE, rules="  unanswered: zero\n"):
    """The minimal file with a catalogue at the end and ``citing`` on auto-release."""
    text = MINIMAL.replace(ANCHOR, citing + ANCHOR, 1)
    text = text.replace("  unanswered: zero\n", rules, 1)
    return text + catalogue


def test_a_file_without_the_additions_keeps_its_defaults():
    q = scoring.load_text(MINIMAL, "minimal.yaml")
    assert q.rules.hidden == "exclude"
    assert (q.measures, q.instruments) == ((), {})
    question = q.question("processes.auto-release")
    assert (question.hidden, question.measures, question.references) == (None, (), ())
    assert question.hidden_rule(q.rules) == "exclude"


def test_the_additions_parse_into_the_model():
    q = scoring.load_text(with_additions(rules="  unanswered: zero\n  hidden: zero\n"), "v")
    assert q.rules.hidden == "zero"
    assert q.measures == (Measure("3.8.1", {"en": "E-transit", "ru": "Электронный транзит"},
                                  "003, Application"),
                          Measure("3.9", {"en": "Seals", "ru": "Пломбы"}, ""))
    question = q.question("processes.auto-release")
    assert question.hidden == "zero"
    assert question.measures == ("3.8.1", "3.9")
    assert question.references == (Reference("wto-tfa", None, "Art. 7.1"),
                                   Reference(None, "003_946f441bb5a524d9.txt", "§7"))


def test_a_per_question_hidden_rule_overrides_the_questionnaire_rule():
    q = scoring.load_text(with_additions(citing="        hidden: exclude\n",
                                         rules="  unanswered: zero\n  hidden: zero\n"), "v")
    assert q.question("processes.auto-release").hidden_rule(q.rules) == "exclude"
    assert q.question("processes.release-hours").hidden_rule(q.rules) == "zero"


def test_references_are_labelled_in_the_readers_language():
    q = scoring.load_text(with_additions(), "v")
    tfa, seed = q.question("processes.auto-release").references
    assert q.reference_label(tfa, "ru") == "Соглашение ВТО об упрощении процедур торговли"
    assert q.reference_label(seed, "en") == "EEC review 'Customs cooperation' (2026)"
    assert q.reference_label(seed, "ru") == "Обзор ЕЭК «Таможенное сотрудничество» (2026)"
    assert q.reference_label(Reference(None, "999_unknown.txt"), "en") is None


def test_a_seed_labelled_by_the_file_wins_over_the_built_in_label():
    catalogue = CATALOGUE + "  003_946f441bb5a524d9.txt: {en: Review, ru: Обзор}\n"
    q = scoring.load_text(with_additions(catalogue=catalogue), "v")
    seed = q.question("processes.auto-release").references[1]
    assert q.reference_label(seed, "ru") == "Обзор"


def test_an_unknown_hidden_rule_is_reported():
    assert only_issue(with_additions(citing="        hidden: zeros\n")) == (
        "dimensions[0].questions[1].hidden",
        "'zeros' is not allowed: use one of exclude, zero; did you mean 'zero'?")
    assert only_issue(with_additions(rules="  unanswered: zero\n  hidden: none\n")) == (
        "scoring.hidden", "'none' is not allowed: use one of exclude, zero")


def test_a_measure_missing_from_the_catalogue_is_reported_with_a_hint():
    citing = '        measures: ["3.8.1", "3.8.2"]\n'
    assert only_issue(with_additions(citing=citing)) == (
        "dimensions[0].questions[1].measures[1]", "unknown measure '3.8.2'; did you mean '3.8.1'?")


def test_a_measure_cited_without_a_catalogue_is_reported():
    citing = '        measures: ["3.8.1"]\n'
    assert only_issue(with_additions(citing=citing, catalogue="")) == (
        "dimensions[0].questions[1].measures[0]",
        "cites measure '3.8.1', but the file has no measures catalogue: list the measure under "
        "measures with its id and title")


def test_a_measure_id_written_as_a_number_asks_for_quotes():
    assert only_issue(with_additions(citing="        measures: [3.9]\n")) == (
        "dimensions[0].questions[1].measures[0]",
        'must be text, not the number 3.9 (put it in quotes: "3.9")')


def test_a_measure_id_used_twice_in_the_catalogue_is_reported():
    catalogue = CATALOGUE.replace('id: "3.9"', 'id: "3.8.1"')
    assert only_issue(with_additions(citing="", catalogue=catalogue)) == (
        "measures[1].id", "the measure id '3.8.1' is used twice (first at measures[0])")


@pytest.mark.parametrize("text, translated, path", [
    pytest.param("{en: Seals, ru: Пломбы}", "{en: Seals}", "measures[1].title", id="a measure title"),
    pytest.param(", ru: Соглашение ВТО об упрощении процедур торговли", "", "instruments.wto-tfa",
                 id="an instrument label"),
])
def test_a_catalogue_text_needs_every_language(text, translated, path):
    catalogue = CATALOGUE.replace(text, translated)
    assert only_issue(with_additions(catalogue=catalogue)) == (
        path, "the 'ru' translation is missing (every text must be given in en, ru)")


def test_a_measure_without_a_title_is_reported():
    catalogue = CATALOGUE.replace(", title: {en: Seals, ru: Пломбы}", "")
    assert only_issue(with_additions(catalogue=catalogue)) == (
        "measures[1].title", "is required but missing")


def test_an_instrument_without_a_label_is_reported_at_the_reference():
    citing = "        references: [{instrument: rkc, part: General Annex Ch. 3}]\n"
    assert only_issue(with_additions(citing=citing)) == (
        "dimensions[0].questions[1].references[0].instrument",
        "unknown instrument 'rkc': give its label under instruments; known: wto-tfa")


def test_an_unknown_seed_needs_a_label_under_instruments():
    citing = "        references: [{seed: 007_notaseed.txt, part: §1}]\n"
    issue = only_issue(with_additions(citing=citing))
    assert issue[0] == "dimensions[0].questions[1].references[0].seed"
    assert issue[1].startswith("'007_notaseed.txt' is not a known seed document: give its "
                               "label under instruments (keyed by the file name)")
    labelled = CATALOGUE + "  007_notaseed.txt: {en: Notes, ru: Заметки}\n"
    q = scoring.load_text(with_additions(citing=citing, catalogue=labelled), "v")
    assert q.reference_label(q.question("processes.auto-release").references[0], "en") == "Notes"


def test_a_known_seed_needs_a_label_for_a_language_the_table_lacks():
    text = (with_additions(citing="        references: [{seed: 003_946f441bb5a524d9.txt}]\n")
            .replace("languages: [en, ru]", "languages: [en]"))
    # Every ru text is now in a language the file does not list; count only the seed issue.
    seed_issues = [i for i in issues_of(text) if i[0].endswith(".seed")]
    assert seed_issues == []
    text = text.replace("languages: [en]", "languages: [en, ru, kk]")
    assert ("dimensions[0].questions[1].references[0].seed",
            "the seed '003_946f441bb5a524d9.txt' has no built-in label in kk: give its label "
            "under instruments") in issues_of(text)


def test_a_reference_needs_exactly_one_of_instrument_and_seed():
    message = ("needs either 'instrument' (a key under instruments) or 'seed' (a seed file "
               "name), not both")
    both = "        references: [{instrument: wto-tfa, seed: 003_946f441bb5a524d9.txt}]\n"
    assert only_issue(with_additions(citing=both)) == (
        "dimensions[0].questions[1].references[0]", message)
    neither = "        references: [{part: Art. 1}]\n"
    assert only_issue(with_additions(citing=neither)) == (
        "dimensions[0].questions[1].references[0]", message)


def test_an_unknown_key_in_a_reference_suggests_the_closest():
    citing = "        references: [{instrument: wto-tfa, parts: Art. 1}]\n"
    assert only_issue(with_additions(citing=citing)) == (
        "dimensions[0].questions[1].references[0].parts", "unknown key 'parts'; did you mean 'part'?")


@pytest.mark.parametrize("path", ["questionnaires/digital-customs-maturity/2026.1.yaml",
                                  "questionnaires/single-window/2026.1.yaml"])
def test_the_shipped_files_still_parse_with_the_defaults(path):
    q = scoring.load_file(path)
    assert q.rules.hidden == "exclude"
    assert all(x.hidden is None and not x.measures for x in q.questions)
