"""What each dashboard page shows: service queries turned into template context and figures."""
from __future__ import annotations

from dataclasses import dataclass, replace

from flask import url_for
from flask_babel import gettext as _

from app import access, chart_text, charts
from app.dashboard import formats
from app.i18n import localised
from app.labels import answer_text, source_labels
from app.models import Country, User
from app.services import dashboard as service
from app.services import cycles as cycle_service
from app.services import dashboard_comparable, dashboard_trends
from app.services.dashboard_average import average
from app.services.next_level import way_to_next_level
from app.services.dashboard import Filters
from app.services.questionnaires import parsed


def _base(user: User, filters: Filters, lang: str, with_countries: bool = True) -> dict:
    """The resolved filters and the choices the filter form offers (`countries` only `with_countries`: the
    filter forms of the comparison, trends, measures and KPI tabs show them)."""
    filters = service.with_default_countries(user, filters)
    choices = service.choices(user, filters, with_countries)
    version = choices.version
    context = {"filters": filters, "version": version, "questionnaire": None, "lang": lang,
               "versions": choices.versions, "cycles": [], "countries": [],
               "statuses": service.allowed_statuses(user)}
    if version is not None:
        filters = replace(filters, questionnaire=version.label)
        context.update(filters=filters, questionnaire=parsed(version), cycles=choices.cycles,
                       countries=choices.countries)
    return context


def _caption(context: dict, cycle: str | None) -> str:
    """"<questionnaire title> <version> · <cycle>" for chart titles (they travel with a PNG)."""
    version, lang = context["version"], context["lang"]
    cycle_text = cycle or _("latest cycle per country")
    return f"{localised(version.title, lang)} {version.version} · {cycle_text}"


def comparison(user: User, filters: Filters, lang: str) -> dict:
    """Radar of dimension indices (or levels) and the level heatmap for one version and cycle."""
    context = _base(user, filters, lang)
    if context["version"] is None:
        return context
    filters, questionnaire = context["filters"], context["questionnaire"]
    series = service.comparison(user, filters, context["version"], lang)
    caption = _caption(context, filters.cycle)
    radar_title = (_("Dimension levels") if filters.view == "level" else _("Dimension index (0–100)"))
    keys = [d.key for d in questionnaire.dimensions] + [service.OVERALL]
    mean = average(series, keys) if len(series) > 1 else None
    label = _("EEU average (mean of the %(count)d countries shown)", count=len(series))
    names = charts.level_names(questionnaire, lang)
    context.update(
        series=series, names=names, average=mean, average_label=label, keys=keys,
        table=values_table(series, keys, names, filters),
        radar=charts.radar(series, questionnaire, lang, filters.view, radar_title, caption, mean, label),
        heatmap=charts.heatmap(series, questionnaire, lang, _("Levels by dimension"), caption),
        summary=chart_text.comparison_summary(series, questionnaire, lang))
    return context


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the comparison's table of values, as shown: the level's name ("—" without a level), the
    index with one decimal and "evidence <coverage>"."""

    level: str
    index: str
    evidence: str


@dataclass(frozen=True, slots=True)
class TableRow:
    """One country of the comparison's tables: its scores, the link to its profile in the same cycle, and
    a Cell per dimension key and `_overall` (None where no score row is stored)."""

    series: service.CountryScores
    link: str
    cells: list[Cell | None]


def values_table(series: list[service.CountryScores], keys: list[str], names: list[str],
                 filters: Filters) -> list[TableRow]:
    """The comparison's table of values, formatted once here rather than cell by cell in the template.

    `keys`: the dimension keys and `_overall`; `names`: the level names (charts.level_names)."""
    evidence = _("evidence %(share)s")  # the format string: no variables given, so nothing is filled in
    rows = []
    for s in series:
        cells = []
        for key in keys:
            row = s.rows.get(key)
            cells.append(None if row is None else Cell(
                "—" if row.level is None else (names[row.level] if row.level < len(names) else ""),
                formats.num(row.index), evidence % {"share": formats.ec(row.evidence_coverage)}))
        link = url_for("dashboard.country", code=s.country_code,
                       **filters.args(cycle=s.cycle, countries=(), view=None))
        rows.append(TableRow(s, link, cells))
    return rows


def trends(user: User, filters: Filters, lang: str) -> dict:
    """Index and level per country over cycles, across the versions of the questionnaire."""
    context = _base(user, filters, lang)
    if context["version"] is None:
        return context
    version, questionnaire = context["version"], context["questionnaire"]
    dimensions = dashboard_trends.dimensions_of(version.questionnaire_id)
    filters = context["filters"]
    if filters.dimension != service.OVERALL and filters.dimension not in {d.key for d in dimensions}:
        filters = replace(filters, dimension=service.OVERALL)
    comparable = None
    if filters.comparable:
        comparable = dashboard_comparable.comparable_trend(user, replace(filters, cycle=None),
                                                           version.questionnaire_id, lang)
        points = comparable.points
    else:
        points = dashboard_trends.trend_points(user, replace(filters, cycle=None), version.questionnaire_id, lang)
    subject = next((localised(d.title, lang) for d in dimensions if d.key == filters.dimension), _("Overall"))
    caption = f"{localised(version.title, lang)} · {subject}"
    if comparable is not None:
        caption += " · " + _("comparable criteria only (%(count)d)", count=comparable.criteria)
    names = charts.level_names(questionnaire, lang)
    context.update(
        filters=filters, dimensions=dimensions, points=points, changes=charts.version_changes(points), names=names,
        comparable=comparable,
        index_chart=charts.index_trend(points, lang, _("Index over cycles"), caption),
        level_chart=charts.level_trend(points, names, lang, _("Level over cycles"), caption),
        summary=chart_text.trend_summary(points, subject), trend_table=chart_text.trend_table(points))
    return context


def overview(user: User, filters: Filters, lang: str) -> dict:
    """Status and completeness of every country in one cycle (scores as far as the status filter shows them)."""
    context = _base(user, filters, lang, with_countries=False)
    if context["version"] is None:
        return context
    questionnaire_id = context["version"].questionnaire_id
    cycles = sorted(set(service.overview_cycles(user, questionnaire_id))
                    | set(cycle_service.labels(user, questionnaire_id)), reverse=True)
    cycle = context["filters"].cycle if context["filters"].cycle in cycles else (cycles[0] if cycles else None)
    record = cycle_service.find(questionnaire_id, cycle) if cycle else None
    context.update(cycles=cycles, cycle=cycle, names=charts.level_names(context["questionnaire"], lang),
                   rows=service.cycle_overview(user, context["filters"], questionnaire_id, cycle, lang,
                                               tuple(record.country_codes) if record else None)
                   if cycle else [],
                   cycle_record=record, standing=cycle_service.standing_by_country(record))
    return context


def profile(user: User, country: Country, filters: Filters, lang: str) -> dict:
    """A country's stage ladder, roadmap, completeness, status and history for one questionnaire."""
    context = _base(user, filters, lang, with_countries=False)
    context["country"] = country
    if context["version"] is None:
        return context
    found = service.country_profile(user, country, context["filters"], context["version"].questionnaire_id)
    context["profile"] = found
    if found.assessment is not None:
        questionnaire = found.questionnaire
        caption = (f"{country.name(lang)} · {localised(questionnaire.title, lang)} {questionnaire.version} · "
                   f"{found.assessment.cycle}")
        answers_shown = access.may_see_answers(user, found.assessment)
        names = charts.level_names(questionnaire, lang)
        ways = way_to_next_level(found.rows)
        context.update(
            ladder=charts.stage_ladder(found.rows, questionnaire, lang, _("Stage attainment by dimension"), caption),
            ladder_table=ladder_table(found.rows, questionnaire, names, lang),
            roadmap=roadmap(found, lang, answers_shown, ways), names=names, ways=ways,
            answers_shown=answers_shown, measure_titles=questionnaire_texts(questionnaire, lang).measures,
            summary=chart_text.profile_summary(found.rows, questionnaire, country.name(lang), lang))
    return context


@dataclass(frozen=True, slots=True)
class LadderRow:
    """A row of the table under the stage ladder, as shown: the dimension's title (or "Overall"), whether it
    is the overall row, the attainment of each stage ("83 %", "—" when vacuous), the level's name and the
    index."""

    title: str
    overall: bool
    shares: list[str]
    level: str
    index: str


def ladder_table(rows: dict, questionnaire, names: list[str], lang: str) -> list[LadderRow]:
    """The stage ladder's table: a LadderRow per dimension with a stored score row, then the overall one.

    `rows`: dimension key -> ScoreRow (stages: stage key -> attainment 0..1 or None); `names`: the level
    names (charts.level_names)."""
    table = []
    for dimension in (*questionnaire.dimensions, None):
        row = rows.get(dimension.key if dimension else service.OVERALL)
        if row is None:
            continue
        stages = row.stages or {}
        shares = [stages.get(stage.key) for stage in questionnaire.stages]
        table.append(LadderRow(
            localised(dimension.title, lang) if dimension else _("Overall"), dimension is None,
            ["—" if share is None else "%.0f %%" % (share * 100) for share in shares],
            names[row.level] if row.level is not None and row.level < len(names) else "—", formats.num(row.index)))
    return table


@dataclass(frozen=True)
class QuestionnaireTexts:
    """A questionnaire version's texts in one language as the country profile shows them: question key ->
    (text, sources joined by "; "), stage key -> label, measure id -> title. Built once per version and
    language (questionnaire_texts); the versions are immutable."""

    questions: dict[str, tuple[str, str]]
    stages: dict[str, str]
    measures: dict[str, str]


#: (parsed questionnaire, language) -> its texts; parsed versions are kept for good (questionnaires.parsed),
#: so this holds a few entries per loaded version
_TEXTS: dict[tuple, QuestionnaireTexts] = {}
_TEXTS_LIMIT = 256


def questionnaire_texts(questionnaire, lang: str) -> QuestionnaireTexts:
    """The QuestionnaireTexts of a parsed questionnaire (scoring.Questionnaire) in `lang`, built on first use."""
    key = (questionnaire, lang)
    found = _TEXTS.get(key)
    if found is None:
        if len(_TEXTS) >= _TEXTS_LIMIT:
            _TEXTS.clear()
        found = _TEXTS[key] = QuestionnaireTexts(
            {q.key: (localised(q.text, lang), "; ".join(source_labels(questionnaire, q, lang)))
             for q in questionnaire.questions},
            {s.key: localised(s.label, lang) for s in questionnaire.stages},
            {m.id: localised(m.title, lang) for m in questionnaire.measures})
    return found


@dataclass(frozen=True, slots=True)
class Gap:
    """A criterion of the roadmap as shown: question key, text, sources, stage label, weight, shortfall in
    weighted points and the answer in words (both None when answers are not shown), and whether it belongs
    to the way to the next level."""

    key: str
    text: str
    source: str
    stage: str
    weight: float | None
    shortfall: float | None
    answer: str | None
    to_next: bool


@dataclass(frozen=True, slots=True)
class RoadmapDimension:
    """A dimension of the roadmap: key, title, its stored ScoreRow, the way to the next level (or None), the
    level's name, the next stage's label (None at the top) and the gaps."""

    key: str
    title: str
    row: object
    way: object
    level_name: str
    next_stage: str | None
    gaps: list[Gap]


def roadmap(found: service.Profile, lang: str, answers_shown: bool = True,
            ways: dict | None = None) -> list[RoadmapDimension]:
    """Per dimension: its level, the next stage, the engine's gaps with question text and sources, and the way
    to the next level (`ways`: scoring.NextLevel by dimension; its criteria are marked `to_next`).

    Without `answers_shown` (access.may_see_answers) a gap carries neither the answer nor its shortfall,
    which would give the answer's points away.
    """
    questionnaire, plan = found.questionnaire, []
    texts = questionnaire_texts(questionnaire, lang)
    for dimension in questionnaire.dimensions:
        row = found.rows.get(dimension.key)
        if row is None:
            continue
        level = row.level
        following = (questionnaire.stages[level] if level is not None and level < len(questionnaire.stages)
                     else None)
        way = (ways or {}).get(dimension.key)
        chosen = set(way.criteria) if way else set()
        plan.append(RoadmapDimension(
            dimension.key, localised(dimension.title, lang), row, way,
            charts.level_name(questionnaire, level, lang),
            texts.stages[following.key] if following else None,
            [_gap(questionnaire, texts, gap, lang, answers_shown, gap["question_key"] in chosen)
             for gap in row.explanation or [] if gap["question_key"] in texts.questions]))
    return plan


def _gap(questionnaire, texts: QuestionnaireTexts, gap: dict, lang: str, answers_shown: bool,
         to_next: bool) -> Gap:
    key = gap["question_key"]
    text, source = texts.questions[key]
    return Gap(key, text, source, texts.stages.get(gap.get("stage"), gap.get("stage") or ""), gap.get("weight"),
               gap.get("shortfall") if answers_shown else None,
               answer_label(questionnaire.question(key), gap, lang) if answers_shown else None, to_next)


def answer_label(question, gap: dict, lang: str) -> str:
    """The current answer in words: an option label, a number with its unit, or "not answered"."""
    value = gap.get("value")
    if gap.get("not_answered") or value is None:
        return _("Not answered")
    return answer_text(question, value, lang)
