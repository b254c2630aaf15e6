"""The way to the next level of an assessment's dimensions, as stored on its score rows (scoring.next_level)."""
from __future__ import annotations

import scoring
from app.models import ScoreRow
from app.services.scores import stored_way


def way_to_next_level(rows: dict[str, ScoreRow]) -> dict[str, scoring.NextLevel]:
    """Dimension key -> points lacking and the smallest set of criteria, from the stored score rows.

    The engine computed them with the rows (app.services.scores), from the same answers; nothing is
    rescored here. Dimensions at the top level, without an index, or whose rows predate migration
    0009 (until `flask scores recompute`) have none.
    """
    found = {}
    for key, row in rows.items():
        way = stored_way(row)
        if way is not None:
            found[key] = way
    return found
