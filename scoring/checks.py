"""Semantic checks of a questionnaire file that a JSON Schema cannot express.

The checks run even when the schema found problems, so that one pass reports every
issue; they therefore look at the data defensively and skip what has the wrong shape
(the schema has already reported it).
"""

from __future__ import annotations

import difflib
from typing import Any, Callable, Iterator

from .errors import join_path
from .seeds import SEED_LABELS

Report = Callable[[str, str], None]

TEXT_FIELDS = {"root": ("title", "description"), "stage": ("label", "description"),
               "dimension": ("title", "description"), "question": ("text", "help", "unit"),
               "measure": ("title",)}


def check(data: dict, report: Report) -> None:
    """Reports every cross-reference, uniqueness, translation and band problem."""
    languages = [x for x in _list(data.get("languages")) if isinstance(x, str)]
    if languages:  # without a language list every text would be reported twice over
        check_texts(data, languages, report)
    check_unique_keys(data, report)
    check_questions(data, report)
    check_citations(data, languages, report)


def questions(data: dict) -> Iterator[tuple[str, dict]]:
    """Every question mapping in file order, with its path."""
    for dpath, dimension in dicts(data.get("dimensions"), "dimensions"):
        yield from dicts(dimension.get("questions"), join_path(dpath, "questions"))


def dicts(value: Any, path: str) -> Iterator[tuple[str, dict]]:
    """The mappings of a list, with their paths; anything else yields nothing."""
    for index, item in enumerate(_list(value)):
        if isinstance(item, dict):
            yield join_path(path, index), item


def option_values(question: dict, scales: dict) -> list[str] | None:
    """The answer values a question offers; None for number and text questions."""
    kind, scale = question.get("type"), question.get("scale")
    if kind == "yes_no":
        return ["yes", "no"]
    if kind == "choice":
        options = question.get("choices")
    elif kind == "scale" and isinstance(scale, str) and scale in scales:
        options = scales[scale]
    else:
        return None
    return [value_text(o.get("value")) for _, o in dicts(options, "")]


def value_text(value: Any) -> str:
    """An answer value as stored: whole numbers become their decimal text."""
    return str(value)


def check_texts(data: dict, languages: list[str], report: Report) -> None:
    """Every text exists, non-empty, in each listed language and in no other."""
    for path, kind, owner in _text_owners(data):
        for name in TEXT_FIELDS.get(kind, ("label",)):
            if isinstance(owner.get(name), dict):
                _check_text(owner[name], join_path(path, name), languages, report)
    for key, label in _instruments(data).items():
        if isinstance(label, dict):
            _check_text(label, join_path("instruments", str(key)), languages, report)


def _text_owners(data: dict) -> Iterator[tuple[str, str, dict]]:
    yield "", "root", data
    for path, stage in dicts(data.get("stages"), "stages"):
        yield path, "stage", stage
    scales = data.get("scales")
    for name, options in (scales.items() if isinstance(scales, dict) else ()):
        for path, option in dicts(options, join_path("scales", str(name))):
            yield path, "option", option
    for path, dimension in dicts(data.get("dimensions"), "dimensions"):
        yield path, "dimension", dimension
    for path, measure in dicts(data.get("measures"), "measures"):
        yield path, "measure", measure
    for path, question in questions(data):
        yield path, "question", question
        for opath, option in dicts(question.get("choices"), join_path(path, "choices")):
            yield opath, "option", option


def _check_text(text: dict, path: str, languages: list[str], report: Report) -> None:
    listed = ", ".join(languages)
    for lang in languages:
        if lang not in text:
            report(path, f"the '{lang}' translation is missing (every text must be given "
                         f"in {listed})")
        elif isinstance(text[lang], str) and not text[lang].strip():
            report(join_path(path, lang), "is empty")
    for lang in text:
        if lang not in languages:
            report(join_path(path, str(lang)),
                   f"'{lang}' is not one of the questionnaire's languages ({listed})")


def check_unique_keys(data: dict, report: Report) -> None:
    """Stage, dimension and question keys, scale values and choice values are unique."""
    _unique(dicts(data.get("stages"), "stages"), "key", "stage key", report)
    _unique(dicts(data.get("dimensions"), "dimensions"), "key", "dimension key", report)
    _unique(questions(data), "key", "question key", report)
    _unique(dicts(data.get("measures"), "measures"), "id", "measure id", report)
    scales = data.get("scales")
    for name, options in (scales.items() if isinstance(scales, dict) else ()):
        path = join_path("scales", str(name))
        _unique(dicts(options, path), "value", f"value in scale '{name}'", report)
    for path, question in questions(data):
        choices = dicts(question.get("choices"), join_path(path, "choices"))
        _unique(choices, "value", "choice value", report)


def _unique(items: Iterator[tuple[str, dict]], field: str, what: str, report: Report) -> None:
    first: dict[str, str] = {}
    for path, item in items:
        if field not in item:
            continue
        value = value_text(item[field])
        if value in first:
            report(join_path(path, field),
                   f"the {what} '{value}' is used twice (first at {first[value]})")
        first.setdefault(value, path)


def check_questions(data: dict, report: Report) -> None:
    """Stage and scale references, show_if targets, number bands and min/max."""
    stages = [s.get("key") for _, s in dicts(data.get("stages"), "stages")]
    scales = data.get("scales") if isinstance(data.get("scales"), dict) else {}
    all_keys = _keys(data)
    earlier: dict[str, dict] = {}
    for path, question in questions(data):
        _check_stage(question, path, stages, report)
        _check_scale(question, path, scales, report)
        show_if = question.get("show_if")
        if isinstance(show_if, dict):
            context = (question.get("key"), earlier, all_keys, scales)
            check_show_if(show_if, join_path(path, "show_if"), context, report)
        _check_bands(question.get("bands"), join_path(path, "bands"), report)
        _check_range(question, path, report)
        if isinstance(question.get("key"), str):
            earlier.setdefault(question["key"], question)


def _check_stage(question: dict, path: str, stages: list, report: Report) -> None:
    stage = question.get("stage")
    if not isinstance(stage, str):
        return
    if not stages:
        report(join_path(path, "stage"),
               "the questionnaire has no stages, so a question cannot name one")
    elif stage not in stages:
        report(join_path(path, "stage"), f"unknown stage '{stage}'{_choose(stage, stages)}")


def _check_scale(question: dict, path: str, scales: dict, report: Report) -> None:
    scale = question.get("scale")
    if question.get("type") == "scale" and isinstance(scale, str) and scale not in scales:
        report(join_path(path, "scale"), f"unknown scale '{scale}'{_choose(scale, scales)}")


def check_show_if(show_if: dict, path: str, context: tuple, report: Report) -> None:
    """The target is an earlier, answerable question and the condition fits its type."""
    own_key, earlier, all_keys, scales = context
    target = show_if.get("question")
    if not isinstance(target, str):
        return
    where = join_path(path, "question")
    if target == own_key:
        report(where, "a question cannot be shown depending on its own answer")
    elif target not in earlier and target in all_keys:
        report(where, f"refers to '{target}', which comes later in the file; show_if "
                      f"must refer to an earlier question")
    elif target not in earlier:
        report(where, f"refers to an unknown question '{target}'{_choose(target, all_keys)}")
    else:
        _check_condition(show_if, path, target, option_values(earlier[target], scales),
                         earlier[target].get("type"), report)


def _check_condition(show_if: dict, path: str, target: str, values: list[str] | None,
                     kind: Any, report: Report) -> None:
    if kind == "text":
        report(join_path(path, "question"), f"'{target}' is a text question; show_if can "
               f"only depend on a scale, yes_no, choice or number question")
    elif "in" in show_if and kind == "number":
        report(join_path(path, "in"), f"'{target}' is a number question: compare its "
               f"answer with op and value instead of listing values with in")
    elif "in" in show_if and values:  # no values: the target's own options are reported
        for index, value in enumerate(_list(show_if["in"])):
            if _answer_like(value) and value_text(value) not in values:
                report(join_path(join_path(path, "in"), index),
                       f"'{value}' is not an answer of '{target}' (its answers are: "
                       f"{', '.join(values)})")
    elif "op" in show_if and kind != "number":
        report(join_path(path, "op"), f"op and value only apply to number questions; "
               f"'{target}' is a {kind} question: list the values that show it with in")


def _check_bands(bands: Any, path: str, report: Report) -> None:
    items = list(dicts(bands, path))
    for position, (bpath, band) in enumerate(items):
        low, high = band.get("min"), band.get("max")
        if _number(low) and _number(high) and low > high:
            report(bpath, f"min ({low}) is greater than max ({high})")
        if low is None and high is None and position < len(items) - 1:
            report(bpath, "only the last band may be open (without min and max): the "
                          "bands after it could never apply")


def _check_range(question: dict, path: str, report: Report) -> None:
    low, high = question.get("min"), question.get("max")
    if _number(low) and _number(high) and low > high:
        report(join_path(path, "max"), f"is smaller than min ({low})")


def check_citations(data: dict, languages: list[str], report: Report) -> None:
    """Cited measures are in the catalogue; cited instruments and seeds have labels.

    A seed is labelled by the file's ``instruments`` (keyed by its file name) or by the
    table of known seeds, which must then cover every language of the file, so that no
    page ever has to show a bare file name.
    """
    catalogue = [value_text(m["id"]) for _, m in dicts(data.get("measures"), "measures")
                 if _answer_like(m.get("id"))]
    instruments = _instruments(data)
    for path, question in questions(data):
        for index, measure in enumerate(_list(question.get("measures"))):
            if isinstance(measure, str) and measure not in catalogue:
                _unknown_measure(measure, join_path(join_path(path, "measures"), index),
                                 catalogue, report)
        for rpath, reference in dicts(question.get("references"), join_path(path, "references")):
            _check_reference(reference, rpath, (instruments, languages), report)


def _unknown_measure(measure: str, path: str, catalogue: list[str], report: Report) -> None:
    if not catalogue:
        report(path, f"cites measure '{measure}', but the file has no measures catalogue: "
                     f"list the measure under measures with its id and title")
    else:
        report(path, f"unknown measure '{measure}'{_choose(measure, catalogue)}")


def _check_reference(reference: dict, path: str, context: tuple, report: Report) -> None:
    instruments, languages = context
    instrument, seed = reference.get("instrument"), reference.get("seed")
    if isinstance(instrument, str) and instrument not in instruments:
        report(join_path(path, "instrument"), f"unknown instrument '{instrument}': give its "
               f"label under instruments{_choose(instrument, instruments)}")
    if not isinstance(seed, str) or seed in instruments:
        return
    known = SEED_LABELS.get(seed)
    if known is None:
        report(join_path(path, "seed"), f"'{seed}' is not a known seed document: give its "
               f"label under instruments (keyed by the file name){_choose(seed, SEED_LABELS)}")
        return
    missing = [lang for lang in languages if lang not in known]
    if missing:
        report(join_path(path, "seed"), f"the seed '{seed}' has no built-in label in "
               f"{', '.join(missing)}: give its label under instruments")


def _instruments(data: dict) -> dict:
    instruments = data.get("instruments")
    return instruments if isinstance(instruments, dict) else {}


def check_supersedes(data: dict, previous_keys: set[str] | None, report: Report) -> None:
    """Renamed and dropped keys fit this version and, when known, the previous one."""
    supersedes = data.get("supersedes")
    if not isinstance(supersedes, dict):
        return
    version = supersedes.get("version")
    if version is not None and version == data.get("version"):
        report("supersedes.version", "a version cannot supersede itself")
    renamed = supersedes.get("renamed") if isinstance(supersedes.get("renamed"), dict) else {}
    context = (_keys(data), renamed, version, previous_keys)
    for old, new in renamed.items():
        path = join_path("supersedes.renamed", str(old))
        if isinstance(new, str) and new not in context[0]:
            report(path, f"renames '{old}' to '{new}', but this version has no question '{new}'")
        _check_old_key(old, path, version, previous_keys, report)
    for index, old in enumerate(_list(supersedes.get("dropped"))):
        if isinstance(old, str):
            _check_dropped(old, join_path("supersedes.dropped", index), context, report)


def _check_dropped(old: str, path: str, context: tuple, report: Report) -> None:
    own, renamed, version, previous_keys = context
    if old in renamed:
        report(path, f"'{old}' is both renamed and dropped")
    elif old in own:
        report(path, f"'{old}' is dropped, but this version still has a question '{old}'")
    _check_old_key(old, path, version, previous_keys, report)


def _check_old_key(old: Any, path: str, version: Any, previous_keys: set[str] | None,
                   report: Report) -> None:
    if previous_keys is not None and old not in previous_keys:
        report(path, f"'{old}' is not a question of version {version}"
                     f"{_choose(str(old), previous_keys)}")


def _choose(value: str, known: Any) -> str:
    names = sorted(k for k in known if isinstance(k, str))
    hint = difflib.get_close_matches(value, names, n=1)
    if hint:
        return f"; did you mean '{hint[0]}'?"
    return f"; known: {', '.join(names)}" if 0 < len(names) <= 12 else ""


def _answer_like(value: Any) -> bool:
    """Text or a whole number; anything else the schema has already reported."""
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def _keys(data: dict) -> set[str]:
    return {q["key"] for _, q in questions(data) if isinstance(q.get("key"), str)}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
