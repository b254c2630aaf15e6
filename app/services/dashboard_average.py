"""The EEU average of a comparison: the mean of the shown countries' stored indices per dimension."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Average:
    """Per dimension key (and `_overall`): the mean index (0-100) and the mean level of the countries
    shown that have one, and how many countries that is; None where no country has a value."""

    index: dict[str, float | None] = field(default_factory=dict)
    level: dict[str, float | None] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)


def average(series: Sequence, keys: Iterable[str]) -> Average:
    """The unweighted mean over `series` (dashboard.CountryScores) of each stored ScoreRow's index and level.

    Every country shown counts once; a country without a value for a dimension is left out of that
    dimension's mean (the count says how many remain).
    """
    result = Average()
    for key in keys:
        rows = [s.rows.get(key) for s in series]
        indices = [r.index for r in rows if r is not None and r.index is not None]
        levels = [r.level for r in rows if r is not None and r.level is not None]
        result.index[key] = sum(indices) / len(indices) if indices else None
        result.level[key] = sum(levels) / len(levels) if levels else None
        result.countries[key] = len(indices)
    return result
