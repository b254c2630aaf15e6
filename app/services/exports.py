"""The rows of scores.csv, answers.csv and the workbook's sheets (DESIGN.md §5), in constant memory.

Rows come from server-side-batched queries (yield_per) one at a time; app.services.export_formats writes
them as CSV chunks or an XLSX workbook. Every number is a stored ScoreRow value or the
questionnaire's own points; nothing is scored here.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from itertools import groupby

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

import scoring
from app import access, audit
from app.labels import answer_text, level_name
from app.extensions import db
from app.i18n import localised
from app.models import Answer, Assessment, Country, QuestionnaireVersion, ScoreRow, User
from app.services.countries import EEU_MEMBERS
from app.services.dashboard import OVERALL, Filters, scope
from app.services.questionnaires import find_by_label, parsed

BATCH = 2000
SCORE_HEAD = ["country_code", "country_name", "cycle", "questionnaire_id", "questionnaire_version",
              "scoring_version", "assessment_id", "status", "dimension_key", "dimension_title", "level",
              "level_label", "index"]
SCORE_TAIL = ["answered", "applicable", "completeness", "submitted_at", "validated_at",
              "evidence_coverage", "weakest_dimensions"]
ANSWER_COLUMNS = ["country_code", "cycle", "questionnaire_id", "questionnaire_version", "dimension_key",
                  "question_key", "stage", "value", "value_label", "not_applicable", "points", "max_points",
                  "comment", "evidence_url", "updated_by", "updated_at", "hidden"]


class NumberText(str):
    """A stored number answer: its exact text in CSV, a number cell in XLSX."""


class ExportError(ValueError):
    """The export cannot be made as asked (e.g. an unknown questionnaire); the message says why."""


def iso(moment: datetime | None) -> str:
    """ISO 8601 in UTC with a Z, to the second; "" for no time."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")[:19] + "Z" if moment else ""


def pct(share: float | None) -> float | None:
    """A 0..1 share as a percentage with 2 decimals."""
    return None if share is None else round(share * 100, 2)


def _two(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# ---- what is in scope ------------------------------------------------------------------------

def _where(user: User | None, filters: Filters, answers: bool = False) -> sa.ColumnElement[bool]:
    """The filters, the status rule and the access layer; answers need the right to read answers."""
    clauses = [scope(user, filters)]
    if filters.questionnaire:
        version = find_by_label(filters.questionnaire)
        if version is None:
            raise ExportError(f"unknown questionnaire {filters.questionnaire} (expected ID@VERSION)")
        clauses.append(Assessment.questionnaire_version_id == version.id)
    if filters.cycle:
        clauses.append(Assessment.cycle == filters.cycle)
    if answers and user is not None:
        clauses.append(access.answer_visibility(user))
    return sa.and_(*clauses)


def record_export(user: User, kind: str, filters: Filters) -> None:
    """Check the filters and write the export to the audit log (who took which data); commits."""
    _where(user, filters)
    audit.record("export.download", user=user, target=kind, after=filters.args())
    db.session.commit()


def countries_in_scope(user: User, filters: Filters) -> list[Country]:
    """EEU members and every country with an assessment the user may export under the status filter."""
    codes = set(db.session.scalars(sa.select(Assessment.country_code).distinct().where(
        scope(user, Filters(status=filters.status)))))
    codes.update(EEU_MEMBERS)
    return list(db.session.scalars(sa.select(Country).where(Country.code.in_(codes)).order_by(Country.code)))


def cycles_in_scope(user: User, filters: Filters) -> list[str]:
    """Cycles with an assessment the user may export under the status filter, newest first."""
    return sorted(db.session.scalars(sa.select(Assessment.cycle).distinct().where(
        scope(user, Filters(status=filters.status)))), reverse=True)


def versions_in_scope(user: User | None, filters: Filters) -> list[QuestionnaireVersion]:
    ids = sa.select(Assessment.questionnaire_version_id).where(_where(user, filters))
    return list(db.session.scalars(sa.select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(ids))
                                   .order_by(QuestionnaireVersion.questionnaire_id, QuestionnaireVersion.version)))


def _questionnaires(user: User | None, filters: Filters) -> dict[int, scoring.Questionnaire]:
    """The parsed questionnaires in scope by version id: plain values that outlive the request's session."""
    return {v.id: parsed(v) for v in versions_in_scope(user, filters)}


def _stream(query: sa.Select) -> Iterator[sa.Row]:
    """Rows fetched from the server in batches (a server-side cursor on PostgreSQL), without ORM loading."""
    yield from db.session.connection().execute(query.execution_options(yield_per=BATCH, stream_results=True))


def _by_assessment(query: sa.Select) -> Iterator[list[sa.Row]]:
    """The streamed rows grouped per assessment (the query orders by assessment)."""
    for _id, group in groupby(_stream(query), key=lambda r: r.assessment_id):
        yield list(group)


# ---- scores ----------------------------------------------------------------------------------

def score_columns(questionnaires: Iterable[scoring.Questionnaire]) -> list[str]:
    """The scores.csv header: stage columns are those of the exported versions, in stage order."""
    stages: dict[str, None] = {}
    for questionnaire in questionnaires:
        stages.update(dict.fromkeys(questionnaire.stage_keys))
    return SCORE_HEAD + [f"stage_{key}" for key in stages] + SCORE_TAIL


def score_rows(user: User | None, filters: Filters, lang: str) -> Iterator[list]:
    """The header, then one row per assessment and dimension plus its `_overall` row (dimension order).

    The query is built now, under the user's rights; the rows are fetched as the iterator is consumed
    (possibly after the request's session has closed, in a streamed response).
    """
    by_id = _questionnaires(user, filters)
    header = score_columns(by_id.values())
    name = (Country.name_ru if lang == "ru" else Country.name_en).label("country_name")
    query = (sa.select(ScoreRow.assessment_id, ScoreRow.dimension_key, ScoreRow.level, ScoreRow.index,
                       ScoreRow.stages, ScoreRow.answered, ScoreRow.applicable, ScoreRow.completeness,
                       ScoreRow.evidence_coverage, ScoreRow.weakest_dimensions,
                       ScoreRow.scoring_version, Assessment.country_code, name, Assessment.cycle,
                       Assessment.questionnaire_version_id, Assessment.status, Assessment.submitted_at,
                       Assessment.validated_at)
             .join(Assessment, ScoreRow.assessment_id == Assessment.id).join(Country)
             .where(_where(user, filters))
             .order_by(Assessment.country_code, Assessment.questionnaire_id, Assessment.cycle, Assessment.id))
    return _score_stream(header, query, by_id, lang)


def _score_stream(header: list[str], query: sa.Select, by_id: dict, lang: str) -> Iterator[list]:
    yield header
    stage_keys = [c[len("stage_"):] for c in header if c.startswith("stage_")]
    with force_locale(lang):
        for rows in _by_assessment(query):
            questionnaire = by_id[rows[0].questionnaire_version_id]
            order = {d.key: i for i, d in enumerate(questionnaire.dimensions)}
            for row in sorted(rows, key=lambda r: order.get(r.dimension_key, len(order))):
                yield _score_row(row, questionnaire, stage_keys, lang)


def _score_row(row, questionnaire: scoring.Questionnaire, stage_keys: list[str], lang: str) -> list:
    stages = row.stages or {}
    return [row.country_code, row.country_name, row.cycle, questionnaire.id, questionnaire.version,
            row.scoring_version, row.assessment_id, row.status, row.dimension_key,
            _dimension_title(questionnaire, row.dimension_key, lang), row.level,
            level_name(questionnaire, row.level, lang), _two(row.index),
            *[pct(stages.get(key)) for key in stage_keys],
            row.answered, row.applicable, pct(row.completeness), iso(row.submitted_at), iso(row.validated_at),
            _two(row.evidence_coverage), ";".join(row.weakest_dimensions or ())]


def _dimension_title(questionnaire: scoring.Questionnaire, key: str, lang: str) -> str:
    if key == OVERALL:
        return _("Overall")  # the caller forces the export language
    return next((localised(d.title, lang) for d in questionnaire.dimensions if d.key == key), key)


# ---- measures --------------------------------------------------------------------------------

MEASURE_COLUMNS = ["country_code", "country_name", "cycle", "questionnaire_id", "questionnaire_version",
                   "scoring_version", "assessment_id", "status", "measure_id", "measure_title", "attainment",
                   "measure_status", "criteria"]


def measure_rows(user: User | None, filters: Filters, lang: str) -> Iterator[list]:
    """The header, then one row per assessment and catalogue measure (DESIGN.md §5, measures.csv).

    The figures are those stored on the `_overall` score row by the engine (scoring version 2);
    an assessment scored by an older engine has no measure results until `flask scores recompute`.
    """
    by_id = _questionnaires(user, filters)
    name = (Country.name_ru if lang == "ru" else Country.name_en).label("country_name")
    query = (sa.select(ScoreRow.assessment_id, ScoreRow.measures, ScoreRow.scoring_version,
                       Assessment.country_code, name, Assessment.cycle, Assessment.questionnaire_version_id,
                       Assessment.status)
             .join(Assessment, ScoreRow.assessment_id == Assessment.id).join(Country)
             .where(_where(user, filters), ScoreRow.dimension_key == OVERALL)
             .order_by(Assessment.country_code, Assessment.questionnaire_id, Assessment.cycle, Assessment.id))
    return _measure_stream(query, by_id, lang)


def _measure_stream(query: sa.Select, by_id: dict, lang: str) -> Iterator[list]:
    yield MEASURE_COLUMNS
    for row in _stream(query):
        questionnaire = by_id[row.questionnaire_version_id]
        titles = {m.id: localised(m.title, lang) for m in questionnaire.measures}
        head = [row.country_code, row.country_name, row.cycle, questionnaire.id, questionnaire.version,
                row.scoring_version, row.assessment_id, row.status]
        for measure in row.measures or ():
            yield [*head, measure["id"], titles.get(measure["id"], measure["id"]), pct(measure["attainment"]),
                   measure["status"], measure["criteria"]]


# ---- answers ---------------------------------------------------------------------------------

def answer_rows(user: User | None, filters: Filters, lang: str) -> Iterator[list]:
    """The header, then one row per stored answer, questionnaire order within each assessment.

    Answers follow access.answer_visibility (the same rule as the country profile's roadmap), which can be
    narrower than the right to see scores.
    """
    by_id = _questionnaires(user, filters)
    query = (sa.select(Answer.assessment_id, Answer.question_key, Answer.value, Answer.not_applicable,
                       Answer.comment, Answer.evidence_url, Answer.updated_at, User.email,
                       Assessment.country_code, Assessment.cycle, Assessment.questionnaire_version_id)
             .join(Assessment, Answer.assessment_id == Assessment.id)
             .outerjoin(User, Answer.updated_by_id == User.id)
             .where(_where(user, filters, answers=True))
             .order_by(Assessment.country_code, Assessment.questionnaire_id, Assessment.cycle, Assessment.id))
    return _answer_stream(query, by_id, lang)


def _answer_stream(query: sa.Select, by_id: dict, lang: str) -> Iterator[list]:
    yield ANSWER_COLUMNS
    describe = _AnswerDescriber(lang)
    for rows in _by_assessment(query):
        first = rows[0]
        questionnaire = by_id[first.questionnaire_version_id]
        order, last = describe.order(questionnaire), len(questionnaire.questions)
        head = [first.country_code, first.cycle, questionnaire.id, questionnaire.version]
        visible = scoring.visible_questions(questionnaire, {r.question_key: (r.value, r.not_applicable)
                                                            for r in rows})
        for _id, key, value, na, comment, evidence, updated, email, *_rest in sorted(
                rows, key=lambda r: order.get(r[1], last)):
            hidden = key not in visible and key in order
            described = describe(questionnaire, key, value, na)
            if hidden:
                described = [*described[:6], hidden_points(questionnaire, key, na), described[7]]
            yield [*head, *described, comment or "", evidence or "", email or "", iso(updated),
                   "true" if hidden else "false"]


def hidden_points(questionnaire: scoring.Questionnaire, key: str, na: bool = False) -> float | None:
    """The points exported for an answer whose question show_if hides (DESIGN.md §5, answers.csv).

    Under ``hidden: exclude`` (the default) a hidden answer is not counted, so its points are empty;
    under ``hidden: zero`` it counts with no points, 0.00 (a not-applicable mark still takes it out).
    """
    question = questionnaire.question(key)
    if na or not question.scored or question.hidden_rule(questionnaire.rules) != "zero":
        return None
    return 0.0


class _AnswerDescriber:
    """dimension, stage, value, value label, N/A, points, max points of an answer (memoised per option)."""

    def __init__(self, lang: str):
        self.lang = lang
        self._memo: dict = {}
        self._orders: dict = {}

    def order(self, questionnaire: scoring.Questionnaire) -> dict[str, int]:
        key = (questionnaire.id, questionnaire.version)
        if key not in self._orders:
            self._orders[key] = {q.key: i for i, q in enumerate(questionnaire.questions)}
        return self._orders[key]

    def __call__(self, questionnaire: scoring.Questionnaire, key: str, value: str | None, na: bool) -> list:
        memo_key = (questionnaire.id, questionnaire.version, key, value, na)
        found = self._memo.get(memo_key)
        if found is None:
            found = self._describe(questionnaire, key, value, na)
            if len(self._memo) < 100_000:  # options repeat; free numbers and texts need not stay
                self._memo[memo_key] = found
        return found

    def _describe(self, questionnaire: scoring.Questionnaire, key: str, value: str | None, na: bool) -> list:
        try:
            question = questionnaire.question(key)
        except KeyError:
            return ["", key, "", value or "", "", "true" if na else "false", None, None]
        label = answer_text(question, value, self.lang, unlabelled="") if value is not None else ""
        if value is not None and question.type == "number":
            value = NumberText(value)
        points = question.points(value) if value is not None and not na and question.scored else None
        maximum = question.max_points if question.scored else None
        return [question.dimension, key, question.stage or "", value or "", label, "true" if na else "false",
                points, maximum]


# ---- the questionnaire sheet -----------------------------------------------------------------

QUESTION_COLUMNS = ["questionnaire_id", "questionnaire_version", "dimension_key", "dimension_title",
                    "question_key", "stage", "stage_label", "type", "weight", "required", "max_points",
                    "answer_options", "text", "source"]


def question_rows(user: User | None, filters: Filters, lang: str) -> Iterator[list]:
    """The header, then every question of the exported versions, with labels in the chosen language."""
    return _question_stream(list(_questionnaires(user, filters).values()), lang)


def _question_stream(questionnaires: list[scoring.Questionnaire], lang: str) -> Iterator[list]:
    yield QUESTION_COLUMNS
    for questionnaire in questionnaires:
        stages = {s.key: localised(s.label, lang) for s in questionnaire.stages}
        for dimension in questionnaire.dimensions:
            for q in dimension.questions:
                options = "; ".join(f"{o.value} = {localised(o.label, lang)} ({o.points:g})" for o in q.options)
                yield [questionnaire.id, questionnaire.version, dimension.key, localised(dimension.title, lang),
                       q.key, q.stage or "", stages.get(q.stage, ""), q.type, q.weight,
                       "true" if q.required else "false", q.max_points if q.scored else None, options,
                       localised(q.text, lang), q.source]
