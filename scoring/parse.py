"""Questionnaire files -> model, refusing them with every problem named precisely."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable

from . import checks
from .errors import QuestionnaireError, ValidationIssue, ordered
from .model import (YES_NO_OPTIONS, Band, Dimension, Measure, Option, Question,
                    Questionnaire, Reference, ScoringRules, ShowIf, Stage, Supersedes)
from .schema import schema_issues
from .yamlio import Document, read_yaml

FORMATS = frozenset({1})

Resolver = Callable[[str, str], "Questionnaire | None"]


def load_file(path: str | Path, resolve_previous: Resolver | None = None) -> Questionnaire:
    """Reads and parses one questionnaire file.

    Without a resolver, the version named by ``supersedes`` is looked for beside the
    file, as ``<version>.yaml``.
    """
    path = Path(path)
    resolver = resolve_previous or _sibling_resolver(path)
    return load_text(_read(path), str(path), resolver)


def load_text(text: str, source: str, resolve_previous: Resolver | None = None
              ) -> Questionnaire:
    """Parses questionnaire YAML ``text``; ``source`` names it in messages."""
    return _parse(read_yaml(text, source), source, resolve_previous)


def parse(data: dict, source: str, resolve_previous: Resolver | None = None
          ) -> Questionnaire:
    """Parses already-loaded questionnaire data (for instance a stored snapshot)."""
    return _parse(Document(data=data), source, resolve_previous)


def validate_files(paths: Iterable[str | Path]) -> list[ValidationIssue]:
    """Every issue in these files; [] when all are good."""
    issues: list[ValidationIssue] = []
    for path in paths:
        try:
            load_file(path)
        except QuestionnaireError as exc:
            issues.extend(exc.issues)
    return issues


def _parse(document: Document, source: str, resolver: Resolver | None) -> Questionnaire:
    issues = list(document.issues)

    def report(path: str, message: str) -> None:
        issues.append(ValidationIssue(source, path, message, document.line(path)))

    data = document.data
    try:
        if data is not None and _known_format(data, report):
            issues.extend(schema_issues(data, source, document.line))
            checks.check(data, report)
            checks.check_supersedes(data, _previous_keys(data, resolver, report), report)
    except RecursionError:  # a YAML alias inside itself (&a [*a]) has no end
        report("", "the file contains a structure that includes itself (a recursive alias)")
    if issues:
        raise QuestionnaireError(ordered(issues))
    return build(data)


def _known_format(data: Any, report: Callable[[str, str], None]) -> bool:
    if not isinstance(data, dict):
        report("", "the file must be a mapping of keys to values, starting with 'format: 1'")
        return False
    if "format" not in data:
        report("format", "is required but missing: the file must start with 'format: 1'")
        return False
    fmt = data["format"]
    if isinstance(fmt, bool) or not isinstance(fmt, int) or fmt not in FORMATS:
        known = ", ".join(str(f) for f in sorted(FORMATS))
        report("format", f"{fmt!r} is an unknown format: this tool reads format {known}")
        return False
    return True


def _previous_keys(data: dict, resolver: Resolver | None,
                   report: Callable[[str, str], None]) -> set[str] | None:
    supersedes, qid = data.get("supersedes"), data.get("id")
    version = supersedes.get("version") if isinstance(supersedes, dict) else None
    if resolver is None or not isinstance(version, str) or not isinstance(qid, str):
        return None
    try:
        previous = resolver(qid, version)
    except QuestionnaireError as exc:
        report("supersedes.version", f"the earlier version {version} could not be read: "
                                     f"{exc.issues[0]}")
        return None
    if previous is None:
        report("supersedes.version", f"the earlier version {version} of '{qid}' was not "
               f"found, so its renamed and dropped keys cannot be checked")
        return None
    if previous.id != qid:
        report("supersedes.version", f"the earlier version {version} found belongs to "
                                     f"'{previous.id}', not to '{qid}'")
        return None
    return {q.key for q in previous.questions}


def _sibling_resolver(path: Path) -> Resolver:
    def resolve(questionnaire_id: str, version: str) -> Questionnaire | None:
        sibling = path.with_name(f"{version}.yaml")
        if sibling == path or not sibling.is_file():
            return None
        # The earlier file's own crosswalk is not checked here: one level is enough.
        return load_text(_read(sibling), str(sibling))
    return resolve


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        message = "the file does not exist"
    except UnicodeDecodeError as exc:
        message = f"the file is not UTF-8 text (bad byte at position {exc.start})"
    except OSError as exc:
        message = f"the file cannot be read: {exc.strerror}"
    raise QuestionnaireError([ValidationIssue(str(path), "", message)])


def build(data: dict) -> Questionnaire:
    """The model of data that passed every check."""
    scales = {name: _options(items) for name, items in data.get("scales", {}).items()}
    return Questionnaire(
        id=data["id"], version=data["version"], status=data["status"],
        languages=tuple(data["languages"]), title=dict(data["title"]),
        description=dict(data.get("description", {})),
        stages=tuple(_stage(s) for s in data["stages"]),
        rules=_rules(data["scoring"]),
        dimensions=tuple(_dimension(d, scales) for d in data["dimensions"]),
        scales=scales, supersedes=_supersedes(data.get("supersedes")),
        measures=tuple(Measure(str(m["id"]), dict(m["title"]), m.get("source", "").strip())
                       for m in data.get("measures", ())),
        instruments={key: dict(label) for key, label in data.get("instruments", {}).items()})


def _rules(data: dict) -> ScoringRules:
    defaults = ScoringRules()
    return ScoringRules(
        stage_threshold=float(data.get("stage_threshold", defaults.stage_threshold)),
        overall_level=data.get("overall_level", defaults.overall_level),
        overall_index=data.get("overall_index", defaults.overall_index),
        unanswered=data.get("unanswered", defaults.unanswered),
        hidden=data.get("hidden", defaults.hidden))


def _stage(data: dict) -> Stage:
    return Stage(data["key"], dict(data["label"]), dict(data.get("description", {})))


def _options(items: list[dict]) -> tuple[Option, ...]:
    return tuple(Option(checks.value_text(o["value"]), float(o["points"]), dict(o["label"]))
                 for o in items)


def _dimension(data: dict, scales: dict[str, tuple[Option, ...]]) -> Dimension:
    questions = tuple(_question(q, data["key"], scales) for q in data["questions"])
    return Dimension(key=data["key"], title=dict(data["title"]), questions=questions,
                     description=dict(data.get("description", {})),
                     weight=float(data.get("weight", 1)))


def _question(data: dict, dimension: str, scales: dict[str, tuple[Option, ...]]) -> Question:
    return Question(
        key=data["key"], dimension=dimension, type=data["type"], text=dict(data["text"]),
        stage=data.get("stage"), weight=float(data.get("weight", 1)),
        required=data.get("required", True), na_allowed=data.get("na_allowed", False),
        evidence=data.get("evidence", "none"), show_if=_show_if(data.get("show_if")),
        help=dict(data.get("help", {})), source=data.get("source", "").strip(),
        scale=data.get("scale"), options=_question_options(data, scales),
        bands=tuple(Band(_float(b.get("min")), _float(b.get("max")), float(b["points"]))
                    for b in data.get("bands", ())),
        unit=dict(data.get("unit", {})), min=_float(data.get("min")),
        max=_float(data.get("max")), hidden=data.get("hidden"),
        measures=tuple(str(m) for m in data.get("measures", ())),
        references=tuple(Reference(r.get("instrument"), r.get("seed"),
                                   r.get("part", "").strip())
                         for r in data.get("references", ())))


def _question_options(data: dict, scales: dict[str, tuple[Option, ...]]
                      ) -> tuple[Option, ...]:
    if data["type"] == "yes_no":
        return YES_NO_OPTIONS
    if data["type"] == "scale":
        return scales[data["scale"]]
    return _options(data.get("choices", []))


def _show_if(data: dict | None) -> ShowIf | None:
    if data is None:
        return None
    if "in" in data:
        return ShowIf(data["question"], values=tuple(checks.value_text(v) for v in data["in"]))
    return ShowIf(data["question"], op=data["op"], value=float(data["value"]))


def _supersedes(data: dict | None) -> Supersedes | None:
    if data is None:
        return None
    return Supersedes(data["version"], dict(data.get("renamed", {})),
                      tuple(data.get("dropped", ())))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
