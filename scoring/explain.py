"""The roadmap: per dimension, the questions between its level and the next one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .compiled import Compiled
from .frame import Cells
from .results import Gap, fast_constructor

if TYPE_CHECKING:
    from .engine import Totals

_gaps = fast_constructor(Gap)


@dataclass(slots=True)
class GapCells:
    """The gaps of a block as arrays, in (assessment, dimension, largest shortfall) order."""

    rows: np.ndarray  # assessment position within the block
    cols: np.ndarray  # question column
    codes: np.ndarray  # value code of the current answer, -1 when none is shown
    shares: np.ndarray
    shortfall: np.ndarray
    counted: np.ndarray  # whether the question is in the sums now (Gap.counted)


def explain(c: Compiled, block: Cells, visible: np.ndarray, totals: Totals,
            texts: list[str | None]) -> list[dict[str, tuple[Gap, ...]]]:
    """For each assessment, dimension key -> gaps, largest shortfall first (see ``gap_cells``)."""
    found = gap_cells(c, block, visible, totals)
    gaps = _gap_objects(c, found.cols, found.codes, found.shares, found.shortfall, found.counted, texts)
    return _by_dimension(c, len(visible), found.rows, found.cols, gaps)


def gap_cells(c: Compiled, block: Cells, visible: np.ndarray, totals: Totals) -> GapCells:
    """The gaps of every assessment of a block.

    The gaps of a dimension are the visible, applicable, scored questions of its first
    unattained stage with p_q < 1, unanswered ones included with p_q = 0 (under
    ``exclude`` too: they are exactly what the respondent still has to do), and under
    ``hidden: zero`` the hidden questions that count with p_q = 0 (value None: their
    gate is not met). Ties keep file order. A dimension at the top level, or without
    stages, has no gaps.
    """
    width = len(c.keys)
    cells = _gap_cells(c, block, visible, totals)
    shares = totals.shares.ravel()[cells]
    rows, cols = np.divmod(cells, width)
    shortfall = c.weight[cols] * (1 - shares)
    group = rows * len(c.dimension_keys) + c.dimension[cols]
    # Cells come in (assessment, column) order; two stable sorts give (assessment,
    # dimension) groups, largest shortfall first, file order among equal shortfalls.
    by_shortfall = np.argsort(-shortfall, kind="stable")
    order = by_shortfall[np.argsort(group[by_shortfall], kind="stable")]
    cells, rows, cols = cells[order], rows[order], cols[order]
    shown = block.valid.ravel()[cells] & visible.ravel()[cells]
    codes = np.where(shown, block.code.ravel()[cells], -1)
    counted = totals.counted_cells.ravel()[cells]
    return GapCells(rows, cols, codes, shares[order], shortfall[order], counted)


def _gap_cells(c: Compiled, block: Cells, visible: np.ndarray, totals: Totals) -> np.ndarray:
    """Flat (assessment * questions + question) positions of the gaps."""
    stages = len(c.stage_keys)
    if not stages:
        return np.empty(0, dtype=np.intp)
    first_unattained = np.where(totals.level < stages, totals.level, -1)
    in_stage = np.take(first_unattained, c.dimension, axis=1) == c.stage
    eligible = in_stage & totals.open_cells & (totals.shares < 1)
    return np.flatnonzero(eligible)


def _gap_objects(c: Compiled, cols: np.ndarray, codes: np.ndarray, shares: np.ndarray,
                 shortfall: np.ndarray, counted: np.ndarray, texts: list[str | None]) -> list[Gap]:
    """One Gap per cell, built once per distinct (question, answer, counted) and shared."""
    pairs, distinct = pd.factorize((cols * (len(texts) + 1) + (codes + 1)) * 2 + counted)
    # Any cell of a pair will do: every cell of a pair describes the same gap.
    sample = np.zeros(len(distinct), dtype=np.intp)
    sample[pairs] = np.arange(len(pairs))
    col, code = cols[sample].tolist(), codes[sample].tolist()
    built = _gaps([c.dimension_keys[c.dimension[i]] for i in col], [c.keys[i] for i in col],
                  [c.stage_key[i] for i in col], c.weight[cols[sample]].tolist(),
                  shares[sample].tolist(), shortfall[sample].tolist(),
                  [texts[i] for i in code], [i < 0 for i in code], counted[sample].tolist())
    return list(map(built.__getitem__, pairs.tolist()))


def _by_dimension(c: Compiled, count: int, rows: np.ndarray, cols: np.ndarray,
                  gaps: list[Gap]) -> list[dict[str, tuple[Gap, ...]]]:
    width = len(c.dimension_keys)
    grid: list[tuple[Gap, ...]] = [()] * (count * width)
    if gaps:
        group = rows * width + c.dimension[cols]
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        bounds = map(slice, starts.tolist(), np.r_[starts[1:], len(group)].tolist())
        for cell, members in zip(group[starts].tolist(), map(gaps.__getitem__, bounds)):
            grid[cell] = tuple(members)
    keys = c.dimension_keys
    return [dict(zip(keys, grid[i:i + width])) for i in range(0, count * width, width)]
