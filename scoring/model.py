"""Frozen dataclasses of a parsed questionnaire (DESIGN.md §3).

Texts are plain ``dict`` copies keyed by language code so that templates and JSON
encoders can use them directly; nothing in the core mutates them.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field

from .numbers import NumberError, canonical, check_bounds, parse_number

from .seeds import SEED_LABELS

Text = dict[str, str]

OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
             "==": operator.eq}
OPTION_TYPES = frozenset({"scale", "yes_no", "choice"})
HIDDEN_RULES = ("exclude", "zero")


@dataclass(frozen=True, slots=True)
class Option:
    """One answer a scale, choice or yes/no question offers, with its points."""

    value: str
    points: float
    label: Text


YES_NO_OPTIONS = (
    Option("yes", 1.0, {"en": "Yes", "ru": "Да"}),
    Option("no", 0.0, {"en": "No", "ru": "Нет"}),
)


@dataclass(frozen=True, slots=True)
class Band:
    """A range of a number answer and its points; both bounds inclusive, None = open."""

    min: float | None
    max: float | None
    points: float

    def holds(self, number: float) -> bool:
        """Whether ``number`` lies within this band."""
        return ((self.min is None or number >= self.min)
                and (self.max is None or number <= self.max))


@dataclass(frozen=True, slots=True)
class ShowIf:
    """The condition on an earlier answer under which a question is shown."""

    question: str
    values: tuple[str, ...] | None = None
    op: str | None = None
    value: float | None = None

    def holds(self, value: str | None) -> bool:
        """Whether the target's normalised answer ``value`` shows the question."""
        if value is None:
            return False
        if self.values is not None:
            return value in self.values
        number = _to_float(value)
        return number is not None and OPERATORS[self.op](number, self.value)


@dataclass(frozen=True, slots=True)
class Stage:
    """A maturity stage (paperless, electronic, ...), ordered low to high."""

    key: str
    label: Text
    description: Text = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScoringRules:
    """The ``scoring`` block: how attainments, levels and indices are aggregated."""

    stage_threshold: float = 0.8
    overall_level: str = "min"
    overall_index: str = "mean"
    unanswered: str = "zero"
    #: exclude: a question hidden by show_if leaves the sums; zero: it counts with p = 0
    hidden: str = "exclude"


@dataclass(frozen=True, slots=True)
class Measure:
    """A measure of a catalogue such as the EEU 2026-2030 roadmap, cited by questions."""

    id: str
    title: Text
    source: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """A structured citation: an instrument key or a seed file name, and the part cited."""

    instrument: str | None = None
    seed: str | None = None
    part: str = ""

    @property
    def key(self) -> str:
        """The key its label is found under: the instrument key or the seed file name."""
        return self.instrument or self.seed or ""


@dataclass(frozen=True, slots=True)
class Supersedes:
    """Crosswalk from the previous version: renamed and dropped question keys."""

    version: str
    renamed: dict[str, str] = field(default_factory=dict)
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Question:
    """One question with its scoring rule; see DESIGN.md §3 for the defaults."""

    key: str
    dimension: str
    type: str
    text: Text
    stage: str | None = None
    weight: float = 1.0
    required: bool = True
    na_allowed: bool = False
    evidence: str = "none"
    show_if: ShowIf | None = None
    help: Text = field(default_factory=dict)
    source: str = ""
    scale: str | None = None
    options: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()
    unit: Text = field(default_factory=dict)
    min: float | None = None
    max: float | None = None
    #: per-question override of ScoringRules.hidden; None follows the rule
    hidden: str | None = None
    measures: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()

    def __hash__(self) -> int:
        return hash((self.dimension, self.key))

    def hidden_rule(self, rules: ScoringRules) -> str:
        """How this question counts while show_if hides it: ``exclude`` or ``zero``."""
        return self.hidden or rules.hidden

    @property
    def max_points(self) -> float | None:
        """The highest points an answer can give; None for text questions."""
        if self.type in OPTION_TYPES:
            return max((o.points for o in self.options), default=None)
        if self.type == "number":
            return max((b.points for b in self.bands), default=None)
        return None

    @property
    def scored(self) -> bool:
        """Whether answers to this question count in the scores."""
        return (self.max_points or 0) > 0

    def points(self, value: str | None) -> float | None:
        """Points for a normalised answer; None when the value cannot be scored.

        A number that falls in no band scores 0.
        """
        if value is None or self.type == "text":
            return None
        if self.type == "number":
            number = _to_float(value)
            if number is None:
                return None
            return next((b.points for b in self.bands if b.holds(number)), 0.0)
        return next((o.points for o in self.options if o.value == value), None)

    def normalise(self, raw: str | int | float) -> str:
        """The canonical stored string for a raw answer; ValueError if it is invalid."""
        if self.type == "number":
            return self._normalise_number(raw)
        if self.type == "text":
            return _normalise_text(raw)
        return self._normalise_option(raw)

    def option_label(self, value: str, lang: str) -> str | None:
        """The label of option ``value`` in ``lang`` (English, then the value, as fallback)."""
        option = next((o for o in self.options if o.value == value), None)
        if option is None:
            return None
        return option.label.get(lang) or option.label.get("en") or option.value

    def _normalise_option(self, raw: str | int | float) -> str:
        if isinstance(raw, bool) and self.type == "yes_no":
            return "yes" if raw else "no"
        text = str(raw).strip()
        folded = text.casefold()
        for option in self.options:
            if option.value == text:
                return text
        # Imports often carry labels ("Yes", "Да") or another case; accept them when unique.
        matches = {o.value for o in self.options
                   if folded == o.value.casefold()
                   or folded in (label.casefold() for label in o.label.values())}
        if len(matches) == 1:
            return matches.pop()
        allowed = ", ".join(o.value for o in self.options)
        raise ValueError(f"'{text}' is not one of the answers to this question ({allowed})")

    def _normalise_number(self, raw: str | int | float) -> str:
        number = check_bounds(parse_number(raw), self.min, self.max, raw)
        return canonical(number)

    @property
    def percent(self) -> bool:
        """Whether answers are percentages: the unit starts with "%" (e.g. "% of goods declarations")."""
        return self.type == "number" and any(u.strip().startswith("%") for u in self.unit.values())


@dataclass(frozen=True, slots=True)
class Dimension:
    """A group of questions scored together (processes, risk management, ...)."""

    key: str
    title: Text
    questions: tuple[Question, ...]
    description: Text = field(default_factory=dict)
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """One version of a questionnaire: texts, structure and scoring rules."""

    id: str
    version: str
    status: str
    languages: tuple[str, ...]
    title: Text
    stages: tuple[Stage, ...]
    rules: ScoringRules
    dimensions: tuple[Dimension, ...]
    description: Text = field(default_factory=dict)
    scales: dict[str, tuple[Option, ...]] = field(default_factory=dict)
    supersedes: Supersedes | None = None
    measures: tuple[Measure, ...] = ()
    #: instrument key or seed file name -> its label in each language
    instruments: dict[str, Text] = field(default_factory=dict)
    questions: tuple[Question, ...] = field(init=False)
    _by_key: dict[str, Question] = field(init=False, repr=False, compare=False)
    # The engine keeps its precomputed arrays here; it is derived data, not content.
    _cache: dict = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        questions = tuple(q for d in self.dimensions for q in d.questions)
        object.__setattr__(self, "questions", questions)
        object.__setattr__(self, "_by_key", {q.key: q for q in questions})

    def __hash__(self) -> int:
        # Equal questionnaires share id and version; texts (dicts) cannot be hashed.
        return hash((self.id, self.version))

    def question(self, key: str) -> Question:
        """The question with this key; KeyError if there is none."""
        return self._by_key[key]

    @property
    def stage_keys(self) -> tuple[str, ...]:
        """Stage keys, low to high."""
        return tuple(s.key for s in self.stages)

    def reference_label(self, reference: Reference, lang: str) -> str | None:
        """The label of a reference's instrument or seed in ``lang`` (English as fallback).

        Labels come from the file's ``instruments``, then, for a seed, from the table of
        known seeds (scoring/seeds.py). None when neither has one: callers show nothing
        rather than a bare file name.
        """
        label = self.instruments.get(reference.key)
        if label is None and reference.seed:
            label = SEED_LABELS.get(reference.seed)
        if not label:
            return None
        return label.get(lang) or label.get("en")


def canonical_number(raw: str | int | float) -> str | None:
    """A number as its stored decimal string ("12", "12.5"), or None when it is not one.

    Read by scoring.numbers.parse_number (decimal comma accepted, ambiguous thousands refused).
    """
    try:
        return canonical(parse_number(raw))
    except NumberError:
        return None


def _normalise_text(raw: str | int | float) -> str:
    text = str(raw).strip()
    if not text:
        raise ValueError("the answer is empty")
    return text


def _to_float(value: str) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
