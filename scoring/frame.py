"""Answer rows -> codes -> (assessment x question) matrices, without Python loops over rows."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Hashable, Iterable

import numpy as np
import pandas as pd

from .compiled import Compiled
from .flags import parse_bool
from .model import canonical_number

COLUMNS = ("assessment_id", "question_key", "value", "not_applicable", "has_evidence")


@dataclass(slots=True)
class Values:
    """What each distinct answer value means; index -1 (the last) stands for no value."""

    text: list[str | None]
    vocabulary: np.ndarray  # option-vocabulary code (the sentinel when not an option)
    number: np.ndarray  # the value as a number, NaN when it is not one
    nonempty: np.ndarray


@dataclass(slots=True)
class Answers:
    """Answer rows as codes: assessment position, question column, value code."""

    assessment: np.ndarray
    ids: list[Hashable]  # assessment id of each position, sorted when the ids allow
    question: np.ndarray  # -1 for keys the questionnaire does not have
    value: np.ndarray  # -1 for no value
    not_applicable: np.ndarray
    has_evidence: np.ndarray  # an evidence URL or at least one attachment
    values: Values
    known: bool = False  # every row has a question of the questionnaire


@dataclass(slots=True)
class Cells:
    """Answers of assessments [start, stop) as matrices, one column per question."""

    code: np.ndarray  # value code, -1 for none
    not_applicable: np.ndarray
    vocabulary: np.ndarray  # option-vocabulary code of each answer
    number: np.ndarray  # number questions only (columns as Compiled.number_columns)
    points: np.ndarray  # NaN where the answer gives no points
    valid: np.ndarray  # an answer the question understands (a known option, a number, text)
    evidence: np.ndarray  # the answer has evidence (False where there is no answer)


def read_columns(answers: Any) -> dict[str, Any]:
    """The answer columns of a DataFrame or of an iterable of dicts or records.

    Absent columns are None. Categorical DataFrame columns are kept as they are, since
    their codes factorize for free.
    """
    if isinstance(answers, pd.DataFrame):
        return {name: _frame_column(answers, name) for name in COLUMNS}
    rows = answers if isinstance(answers, list) else list(answers)
    return {name: _record_column(rows, name) for name in COLUMNS}


def _frame_column(frame: pd.DataFrame, name: str) -> Any:
    if name not in frame.columns:
        return None
    column = frame[name]
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column
    if isinstance(column.dtype, pd.BooleanDtype):  # nullable booleans: NA is False
        return column.to_numpy(dtype=bool, na_value=False)
    return column.to_numpy()


def _record_column(rows: list, name: str) -> np.ndarray | None:
    if rows and not _has(rows[0], name):
        return None
    if rows and isinstance(rows[0], Mapping):
        return _objects([row.get(name) for row in rows])
    return _objects([getattr(row, name, None) for row in rows])


def _has(row: Any, name: str) -> bool:
    return name in row if isinstance(row, Mapping) else hasattr(row, name)


def _objects(items: list) -> np.ndarray:
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array


def encode(c: Compiled, columns: dict[str, Any], ids: tuple[np.ndarray, list]) -> Answers:
    """Codes for answer columns; ``ids`` are the assessment codes and their ids."""
    if columns["question_key"] is None:
        raise ValueError("the answers have no question_key column")
    keys, key_uniques = pd.factorize(columns["question_key"])
    lookup = [c.index.get(k, -1) if isinstance(k, str) else -1 for k in key_uniques]
    values, value_uniques = _factorize_values(columns["value"], len(keys))
    question = np.array(lookup + [-1], dtype=np.intp)[keys]
    return Answers(
        assessment=ids[0], ids=ids[1], known=min(lookup, default=0) >= 0 and bool((keys >= 0).all()),
        question=question,
        value=values, not_applicable=flags(columns["not_applicable"], len(keys)),
        has_evidence=flags(columns["has_evidence"], len(keys)),
        values=value_table(value_uniques, c.vocabulary))


def assessment_codes(column: Any, extra: Iterable[Hashable] = ()) -> tuple[np.ndarray, list]:
    """Positions of the assessment ids (sorted if they can be) and the ids themselves."""
    extra = list(extra)
    dense = _dense_integer_codes(column) if not extra else None
    if dense is not None:
        return dense
    values = column if not extra else np.concatenate([_objects(list(column)), _objects(extra)])
    try:
        codes, uniques = pd.factorize(values, sort=True)
    except TypeError:  # ids of mixed types keep their order of appearance
        codes, uniques = pd.factorize(values)
    return codes[:len(column)], list(uniques.tolist())


def _dense_integer_codes(column: Any) -> tuple[np.ndarray, list] | None:
    """Sorted codes of integer ids in a range at most a few times their count, by a
    presence table and a running count (no hashing, no sort); None for other ids.

    Database ids are such integers, and this is the cost of a million-row bulk run that
    a hash table would otherwise pay per row.
    """
    array = column if isinstance(column, np.ndarray) else None
    if array is None or array.dtype.kind not in "iu" or not len(array):
        return None
    low, high = int(array.min()), int(array.max())
    span = high - low + 1
    if span > 4 * len(array) + 1024:
        return None
    offset = (array - low).astype(np.intp, copy=False)
    present = np.zeros(span, dtype=bool)
    present[offset] = True
    rank = np.cumsum(present, dtype=np.intp) - 1
    ids = (np.flatnonzero(present) + low).astype(array.dtype, copy=False)
    return rank[offset], ids.tolist()


def _factorize_values(column: Any, rows: int) -> tuple[np.ndarray, Any]:
    if column is None:
        return np.full(rows, -1, dtype=np.intp), []
    return pd.factorize(column)


def flags(column: Any, rows: int) -> np.ndarray:
    """Flags (not applicable, has evidence) as booleans; missing values are False."""
    if column is None:
        return np.zeros(rows, dtype=bool)
    array = np.asarray(column)
    if array.dtype == bool:
        return array
    if array.dtype.kind in "iu":  # 0/1 from a database driver
        return array != 0
    if array.dtype.kind == "f":
        return np.nan_to_num(array) != 0
    if {type(x) for x in array} <= _PLAIN_FLAGS:  # records from a database: Python bools or 0/1
        return array.astype(bool)
    return np.fromiter((_flag(x) for x in array), dtype=bool, count=len(array))


#: element types whose truth value is the flag (no text to parse, no missing value to test)
_PLAIN_FLAGS = frozenset({bool, int, np.bool_})


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return parse_bool(value) is True
    return False if pd.isna(value) else bool(value)


def value_table(uniques: Any, vocabulary: dict[str, int]) -> Values:
    """The meaning of each distinct value: option code, number and emptiness."""
    text = [_text(u) for u in uniques]
    sentinel = len(vocabulary)
    return Values(
        text=text + [None],
        vocabulary=np.array([vocabulary.get(t, sentinel) for t in text] + [sentinel],
                            dtype=np.intp),
        number=np.array([_number(t) for t in text] + [math.nan], dtype=float),
        nonempty=np.array([bool(t.strip()) for t in text] + [False], dtype=bool))


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    return canonical_number(value) or str(value)


def _number(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        return math.nan
    return number if math.isfinite(number) else math.nan


def cells(c: Compiled, answers: Answers, start: int, stop: int) -> Cells:
    """The matrices of assessments [start, stop), last row winning for repeated answers."""
    count, width = stop - start, len(c.keys)
    if start == 0 and stop == len(answers.ids) and answers.known:
        rows: np.ndarray | slice = slice(None)  # one block of known questions: every row
        flat = answers.assessment * width + answers.question
    else:
        keep = answers.question >= 0
        if start or stop < len(answers.ids):
            keep &= (answers.assessment >= start) & (answers.assessment < stop)
        rows = np.flatnonzero(keep)
        flat = (answers.assessment[rows] - start) * width + answers.question[rows]
    last = _last(flat)
    target = flat[last]
    source = last if isinstance(rows, slice) else rows[last]
    code = np.full(count * width, -1, dtype=np.intp)
    code[target] = answers.value[source]
    na = np.zeros(count * width, dtype=bool)
    na[target] = answers.not_applicable[source]
    evidence = np.zeros(count * width, dtype=bool)
    evidence[target] = answers.has_evidence[source]
    code, na = code.reshape(count, width), na.reshape(count, width)
    vocabulary = answers.values.vocabulary[code]
    width_v = len(c.vocabulary) + 1
    points = c.option_points[np.arange(width) * width_v + vocabulary]
    number = answers.values.number[code[:, c.number_columns]]
    points[:, c.number_columns] = band_points(number, c.bands)
    valid = ~np.isnan(points)
    valid[:, c.text_columns] = answers.values.nonempty[code[:, c.text_columns]]
    return Cells(code, na, vocabulary, number, points, valid,
                 evidence.reshape(count, width))


def _last(flat: np.ndarray) -> np.ndarray | slice:
    """Positions in ``flat`` to write: all, or the last of each repeated cell."""
    if not len(flat) or np.bincount(flat).max() <= 1:
        return slice(None)
    _, first_reversed = np.unique(flat[::-1], return_index=True)
    return np.sort(len(flat) - 1 - first_reversed)


def band_points(number: np.ndarray, bands: np.ndarray) -> np.ndarray:
    """Points of number answers: the first band whose bounds hold; 0 when none does."""
    low, high, points = bands
    result = np.where(np.isnan(number), np.nan, 0.0)
    done = np.zeros(number.shape, dtype=bool)
    for band in range(low.shape[0]):
        hit = ~done & (number >= low[band]) & (number <= high[band])
        result = np.where(hit, points[band], result)
        done |= hit
    return result
