"""Text alternatives of the dashboard charts: a summary sentence saying what each chart shows (WCAG 1.1.1).

Like app/charts.py, this reads the stored score rows only (no scoring of its own); the tables that go
with the summaries are rendered by the templates from the same rows.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from app.formatting import decimal
from app.i18n import localised
from app.labels import numbered_level_name
from app.vocabulary import OVERALL

if TYPE_CHECKING:  # annotations only: charts read score rows and never score
    import scoring


def _fmt(value: float) -> str:
    return decimal(value)


def comparison_summary(series: Sequence, questionnaire: scoring.Questionnaire, lang: str) -> str:
    """Which country leads on the overall index, which trails, and which dimension is weakest on average.

    `series` are CountryScores (country_name, rows: dimension key -> ScoreRow).
    """
    scored = [(s, s.rows[OVERALL]) for s in series if OVERALL in s.rows and s.rows[OVERALL].index is not None]
    if not scored:
        return _("No country has an overall index under these filters.")
    leader, leader_row = max(scored, key=lambda item: item[1].index)
    parts = [_("%(country)s has the highest overall index (%(index)s, level %(level)s).",
               country=leader.country_name, index=_fmt(leader_row.index),
               level=numbered_level_name(questionnaire, leader_row.level, lang))]
    if len(scored) > 1:
        last, last_row = min(scored, key=lambda item: item[1].index)
        parts.append(_("%(country)s has the lowest (%(index)s).", country=last.country_name,
                       index=_fmt(last_row.index)))
    weakest = _weakest_dimension(series, questionnaire)
    if weakest is not None:
        dimension, mean = weakest
        parts.append(_("Across these countries the weakest dimension is “%(dimension)s” (mean index %(index)s).",
                       dimension=localised(dimension.title, lang), index=_fmt(mean)))
    return " ".join(parts)


def _weakest_dimension(series: Sequence, questionnaire: scoring.Questionnaire):
    means = []
    for dimension in questionnaire.dimensions:
        values = [s.rows[dimension.key].index for s in series
                  if dimension.key in s.rows and s.rows[dimension.key].index is not None]
        if values:
            means.append((sum(values) / len(values), dimension))
    if not means:
        return None
    mean, dimension = min(means, key=lambda item: item[0])
    return dimension, mean


def trend_table(points: Sequence) -> tuple[list[str], list[tuple[str, dict]]]:
    """(cycles in order, [(country name, {cycle: TrendPoint})]) for the table under the trend charts."""
    cycles = sorted({p.cycle for p in points})
    rows: dict[str, dict] = {}
    for point in points:
        rows.setdefault(point.country_name, {})[point.cycle] = point
    return cycles, sorted(rows.items())


def trend_summary(points: Sequence, subject: str) -> str:
    """Who leads in the latest cycle and who moved most between the first and the last cycle shown."""
    cycles, rows = trend_table(points)
    if not cycles:
        return _("No assessment of the selected countries matches these filters.")
    latest = [(name, by_cycle[cycles[-1]].index) for name, by_cycle in rows
              if cycles[-1] in by_cycle and by_cycle[cycles[-1]].index is not None]
    parts = [_("%(subject)s, cycles %(first)s to %(last)s.", subject=subject, first=cycles[0], last=cycles[-1])]
    if latest:
        name, index = max(latest, key=lambda item: item[1])
        parts.append(_("In %(cycle)s %(country)s has the highest index (%(index)s).", cycle=cycles[-1],
                       country=name, index=_fmt(index)))
    changes = []
    for name, by_cycle in rows:
        indexed = [by_cycle[c].index for c in cycles if c in by_cycle and by_cycle[c].index is not None]
        if len(indexed) > 1:
            changes.append((indexed[-1] - indexed[0], name))
    if changes:
        change, name = max(changes, key=lambda item: abs(item[0]))
        parts.append(_("The largest change is %(country)s's: %(change)s points.", country=name,
                       change=decimal(change, "%+.1f")))
    return " ".join(parts)


def profile_summary(rows: dict, questionnaire: scoring.Questionnaire, country: str, lang: str) -> str:
    """The country's strongest and weakest dimension and the overall level the rule gives."""
    scored = [(d, rows[d.key]) for d in questionnaire.dimensions if d.key in rows and rows[d.key].index is not None]
    if not scored:
        return _("%(country)s has no scored dimension in this assessment.", country=country)
    weakest = min(scored, key=lambda item: (item[1].level if item[1].level is not None else -1, item[1].index))
    strongest = max(scored, key=lambda item: (item[1].level if item[1].level is not None else -1, item[1].index))
    overall = rows.get(OVERALL)
    parts = [_("%(country)s is strongest in “%(dimension)s” (level %(level)s, index %(index)s).", country=country,
               dimension=localised(strongest[0].title, lang),
               level=numbered_level_name(questionnaire, strongest[1].level, lang), index=_fmt(strongest[1].index)),
             _("Its weakest dimension is “%(dimension)s” (level %(level)s, index %(index)s).",
               dimension=localised(weakest[0].title, lang),
               level=numbered_level_name(questionnaire, weakest[1].level, lang), index=_fmt(weakest[1].index))]
    if overall is not None and overall.level is not None:
        parts.append(_("Overall level: %(level)s.", level=numbered_level_name(questionnaire, overall.level, lang)))
    return " ".join(parts)
