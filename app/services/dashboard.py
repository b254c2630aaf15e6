"""What the analyst dashboards read: stored score rows chosen by URL filters and the access layer.

Nothing here computes a score: every number comes from ScoreRow, written by app.services.scores.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

import sqlalchemy as sa

import scoring
from scoring import OVERALL
from scoring.flags import parse_bool
from app import access
from app.extensions import db
from app.models import Assessment, Country, QuestionnaireVersion, ScoreRow, User
from app.services.countries import EEU_MEMBERS
from app.services.questionnaires import find_by_label, parsed
from app.vocabulary import HANDED_IN, Status, version_key

DEFAULT_QUESTIONNAIRE = "digital-customs-maturity"
#: validated: validated only; submitted: handed in to the Commission (submitted or validated);
#: all: every status (on the web, drafts and returned assessments of the user's own country only)
#: plain strings (URL arguments, click choices); the first is the default
STATUS_FILTERS = (Status.VALIDATED.value, Status.SUBMITTED.value, "all")
_CODE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Filters:
    """The dashboard and export filters, as they travel in the URL."""

    questionnaire: str | None = None  # "id@version"
    cycle: str | None = None  # None: each country's latest cycle
    status: str = STATUS_FILTERS[0]
    countries: tuple[str, ...] = ()
    view: str = "index"  # radar axis: index | level
    dimension: str = OVERALL  # trends
    lang: str | None = None  # export labels; None = the UI language
    comparable: bool = False  # trends: only the criteria every version shares (like for like)

    @classmethod
    def from_args(cls, args) -> "Filters":
        """Filters from request arguments (a MultiDict); anything malformed falls back to its default."""
        countries = tuple(dict.fromkeys(c.strip().upper() for c in args.getlist("country")))
        status = args.get("status", STATUS_FILTERS[0])
        return cls(
            questionnaire=(args.get("questionnaire") or "").strip()[:160] or None,
            cycle=(args.get("cycle") or "").strip()[:20] or None,
            status=status if status in STATUS_FILTERS else STATUS_FILTERS[0],
            countries=tuple(c for c in countries if _CODE.match(c)),
            view="level" if args.get("view") == "level" else "index",
            dimension=(args.get("dimension") or OVERALL).strip()[:100],
            lang=args.get("lang") if args.get("lang") in ("en", "ru") else None,
            comparable=parse_bool(args.get("comparable")) is True,
        )

    def args(self, **changes) -> dict:
        """URL arguments that reproduce these filters (for links and the export buttons); the countries as a
        tuple, which url_for repeats like a list and, unlike a list, may keep the URL built for."""
        f = replace(self, **changes)
        out = {"questionnaire": f.questionnaire, "cycle": f.cycle, "status": f.status,
               "country": f.countries or None, "view": f.view if f.view != "index" else None,
               "dimension": f.dimension if f.dimension != OVERALL else None, "lang": f.lang,
               "comparable": "1" if f.comparable else None}
        return {k: v for k, v in out.items() if v}


def allowed_statuses(user: User | None) -> tuple[str, ...]:
    """Status filters a user may choose: drafts are offered only to national users (their own country)."""
    return STATUS_FILTERS if user is None or user.is_national else STATUS_FILTERS[:2]


def status_clause(user: User | None, status: str) -> sa.ColumnElement[bool]:
    """Assessments a status filter selects; user None (the command line) means no access limit."""
    if status == Status.VALIDATED:
        return Assessment.status == Status.VALIDATED
    handed_in = Assessment.status.in_(HANDED_IN)
    if status == Status.SUBMITTED or (user is not None and not user.is_national):
        return handed_in
    if user is None:
        return sa.true()
    return sa.or_(handed_in, Assessment.country_code == user.country_code)


def scope(user: User | None, filters: Filters) -> sa.ColumnElement[bool]:
    """The WHERE clause of everything a user may see under the filters (status, visibility, countries)."""
    clauses = [status_clause(user, filters.status)]
    if user is not None:
        clauses.append(access.score_visibility(user))
    if filters.countries:
        clauses.append(Assessment.country_code.in_(filters.countries))
    return sa.and_(*clauses)


def with_default_countries(user: User, filters: Filters) -> Filters:
    """Dashboards compare the EEU members (and a national user's own country) unless told otherwise."""
    if filters.countries:
        return filters
    own = (user.country_code,) if user.is_national and user.country_code not in EEU_MEMBERS else ()
    return replace(filters, countries=EEU_MEMBERS + own)


# ---- questionnaire versions and cycles -------------------------------------------------------

def versions_with_data(user: User, filters: Filters) -> list[QuestionnaireVersion]:
    """Questionnaire versions with at least one assessment the user may see under the status filter."""
    ids = sa.select(Assessment.questionnaire_version_id).where(scope(user, replace(filters, countries=())))
    return list(db.session.scalars(sa.select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(ids))
                                   .order_by(QuestionnaireVersion.questionnaire_id, QuestionnaireVersion.version)))


def resolve_version(user: User, filters: Filters,
                    candidates: list[QuestionnaireVersion] | None = None) -> QuestionnaireVersion | None:
    """The version named in the filters, else the latest digital-customs one with data, else any with data.

    `candidates`: versions_with_data(user, filters), when the caller has it."""
    if filters.questionnaire:
        named = find_by_label(filters.questionnaire)
        if named is not None:
            return named
    candidates = versions_with_data(user, filters) if candidates is None else candidates
    preferred = [v for v in candidates if v.questionnaire_id == DEFAULT_QUESTIONNAIRE]
    pool = preferred or candidates
    return max(pool, key=lambda v: version_key(v.version)) if pool else None


@dataclass(frozen=True)
class Choices:
    """What a dashboard's filter form offers, from one reading of the assessments the user may see.

    versions: versions_with_data; version: resolve_version (None: no data); cycles: the version's cycles
    with visible assessments, newest first; countries: the EEU members and every country with a visible
    assessment of the version's questionnaire, by code (empty unless asked for).
    """

    versions: list[QuestionnaireVersion]
    version: QuestionnaireVersion | None
    cycles: list[str]
    countries: list[Country]


def choices(user: User, filters: Filters, with_countries: bool = True) -> Choices:
    """The filter form's choices for these filters, in two or three queries: (version, cycle, country) of
    every visible assessment, the versions, and the countries."""
    seen = db.session.execute(sa.select(
        Assessment.questionnaire_version_id, Assessment.questionnaire_id, Assessment.cycle, Assessment.country_code)
        .distinct().where(scope(user, replace(filters, countries=())))).all()
    ids = {version_id for version_id, _q, _c, _code in seen}
    versions = list(db.session.scalars(
        sa.select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(ids))
        .order_by(QuestionnaireVersion.questionnaire_id, QuestionnaireVersion.version))) if ids else []
    named = next((v for v in versions if v.label == filters.questionnaire), None)
    version = named or resolve_version(user, filters, versions)
    if version is None:
        return Choices(versions, None, [], [])
    cycles = sorted({cycle for version_id, _q, cycle, _code in seen if version_id == version.id}, reverse=True)
    countries = []
    if with_countries:
        codes = {code for _v, questionnaire_id, _c, code in seen if questionnaire_id == version.questionnaire_id}
        codes.update(EEU_MEMBERS)
        countries = list(db.session.scalars(sa.select(Country).where(Country.code.in_(codes)).order_by(Country.code)))
    return Choices(versions, version, cycles, countries)


# ---- comparison ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StoredScore:
    """The values of one stored ScoreRow that a comparison shows, read as plain columns (a comparison reads
    some sixty rows; ORM objects would cost three times as much): level, index 0..100, completeness 0..1,
    evidence coverage 0..100, and on `_overall` rows the weakest dimensions' keys and the measure results."""

    level: int | None
    index: float | None
    completeness: float | None
    evidence_coverage: float | None
    weakest_dimensions: list[str] | None
    measures: list[dict] | None


#: the ScoreRow columns of a StoredScore, in its field order
_STORED_SCORE = (ScoreRow.level, ScoreRow.index, ScoreRow.completeness, ScoreRow.evidence_coverage,
                 ScoreRow.weakest_dimensions, ScoreRow.measures)


@dataclass(frozen=True)
class CountryScores:
    """One country's stored scores in one assessment: what a radar trace or a heatmap row shows."""

    country_code: str
    country_name: str
    assessment_id: int
    cycle: str
    status: str
    version: str
    #: dimension key (and `_overall`) -> StoredScore (or a ScoreRow: the same attributes)
    rows: dict[str, StoredScore] = field(default_factory=dict)


def comparison(user: User, filters: Filters, version: QuestionnaireVersion, lang: str) -> list[CountryScores]:
    """Per selected country, its assessment of this version in the chosen cycle (default: its latest).

    Two queries: the assessments (as columns) and the score rows of the chosen ones (as StoredScore)."""
    query = (sa.select(Assessment.id, Assessment.country_code, Assessment.cycle, Assessment.status,
                       Country.name_en, Country.name_ru).join(Country)
             .where(Assessment.questionnaire_version_id == version.id, scope(user, filters))
             .order_by(Assessment.country_code, Assessment.cycle.desc()))
    if filters.cycle:
        query = query.where(Assessment.cycle == filters.cycle)
    chosen = {}
    for row in db.session.execute(query):
        chosen.setdefault(row.country_code, row)  # the first is the latest cycle
    rows: dict[int, dict[str, StoredScore]] = {}
    if chosen:
        for assessment_id, key, *values in db.session.execute(
                sa.select(ScoreRow.assessment_id, ScoreRow.dimension_key, *_STORED_SCORE)
                .where(ScoreRow.assessment_id.in_([a.id for a in chosen.values()]))):
            rows.setdefault(assessment_id, {})[key] = StoredScore(*values)
    # Country.name reads name_en and name_ru, which the columns carry under the same names
    return [CountryScores(a.country_code, Country.name(a, lang), a.id, a.cycle, a.status, version.version,
                          rows.get(a.id, {})) for a in chosen.values()]


def _rows_by_assessment(ids: list[int]) -> dict[int, dict[str, ScoreRow]]:
    """Score rows by assessment id and dimension key."""
    grouped: dict[int, dict[str, ScoreRow]] = {}
    if ids:
        for row in db.session.scalars(sa.select(ScoreRow).where(ScoreRow.assessment_id.in_(ids))):
            grouped.setdefault(row.assessment_id, {})[row.dimension_key] = row
    return grouped


# ---- cycle overview --------------------------------------------------------------------------

@dataclass(frozen=True)
class OverviewRow:
    """Where one country stands in a cycle: status (or not started) and completeness."""

    country_code: str
    country_name: str
    status: str  # not_started | draft | submitted | returned | validated
    assessment_id: int | None = None
    version: str | None = None
    completeness: float | None = None
    level: int | None = None
    index: float | None = None
    updated_at: datetime | None = None


def overview_cycles(user: User, questionnaire_id: str) -> list[str]:
    """Cycles with any assessment of the questionnaire the user may see, in any status, newest first."""
    return sorted(db.session.scalars(sa.select(Assessment.cycle).distinct().where(
        Assessment.questionnaire_id == questionnaire_id, access.score_visibility(user))), reverse=True)


def cycle_overview(user: User, filters: Filters, questionnaire_id: str, cycle: str, lang: str,
                   participants: tuple[str, ...] | None = None) -> list[OverviewRow]:
    """Every participant (the cycle's countries, else the EEU members) and every other country with an
    assessment of this questionnaire in the cycle.

    Status and completeness are shown in every status (staff see all countries; a national user sees
    their own and, as far as the configuration allows, others' validated ones: access.score_visibility).
    Level and index only where the status filter shows scores (drafts: the user's own country only).
    """
    query = (sa.select(Assessment, ScoreRow).join(Country)
             .outerjoin(ScoreRow, sa.and_(ScoreRow.assessment_id == Assessment.id,
                                          ScoreRow.dimension_key == OVERALL))
             .where(Assessment.questionnaire_id == questionnaire_id, Assessment.cycle == cycle,
                    access.score_visibility(user)))
    found = db.session.execute(query).all()
    scored = set(db.session.scalars(sa.select(Assessment.id).where(
        Assessment.id.in_([a.id for a, _s in found]), scope(user, replace(filters, countries=())))))
    rows = {}
    for a, s in found:
        shown = s if a.id in scored else None
        rows[a.country_code] = OverviewRow(
            a.country_code, a.country.name(lang), a.status, a.id, a.questionnaire_version.version,
            s.completeness if s else None, shown.level if shown else None, shown.index if shown else None,
            a.updated_at)
    expected = (participants or EEU_MEMBERS) if not user.is_national else (user.country_code,)
    for country in db.session.scalars(sa.select(Country).where(Country.code.in_(expected))):
        rows.setdefault(country.code, OverviewRow(country.code, country.name(lang), "not_started"))
    return sorted(rows.values(), key=lambda r: r.country_name)


# ---- country profile -------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryEntry:
    """One cycle of a country's history with a questionnaire."""

    assessment_id: int
    cycle: str
    version: str
    status: str
    level: int | None
    index: float | None
    completeness: float | None


@dataclass(frozen=True)
class Profile:
    """A country's assessment in one cycle with its stored score rows, and its other cycles."""

    country: Country
    assessment: Assessment | None
    questionnaire: scoring.Questionnaire | None
    rows: dict[str, ScoreRow]
    history: list[HistoryEntry]


def country_profile(user: User, country: Country, filters: Filters, questionnaire_id: str) -> Profile:
    """The country's assessment in the filtered cycle (default: its latest visible one) and its history."""
    query = (sa.select(Assessment, QuestionnaireVersion.version, ScoreRow.level, ScoreRow.index,
                       ScoreRow.completeness)
             .join(QuestionnaireVersion, QuestionnaireVersion.id == Assessment.questionnaire_version_id)
             .outerjoin(ScoreRow, sa.and_(ScoreRow.assessment_id == Assessment.id,
                                          ScoreRow.dimension_key == OVERALL))
             .where(Assessment.country_code == country.code, Assessment.questionnaire_id == questionnaire_id,
                    scope(user, replace(filters, countries=())))
             .order_by(Assessment.cycle.desc()))
    found = db.session.execute(query).all()
    history = [HistoryEntry(a.id, a.cycle, version, a.status, level, index, completeness)
               for a, version, level, index, completeness in found]
    chosen = next((row[0] for row in found if row[0].cycle == filters.cycle), None) if filters.cycle else None
    assessment = chosen or (found[0][0] if found else None)
    if assessment is None:
        return Profile(country, None, None, {}, history)
    return Profile(country, assessment, parsed(assessment.questionnaire_version),
                   _rows_by_assessment([assessment.id]).get(assessment.id, {}), history)
