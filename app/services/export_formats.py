"""Writing export rows: CSV in chunks for streamed responses, XLSX in openpyxl's write-only mode.

CSV: starts with a UTF-8 byte-order mark unless asked not to (Excel then opens Cyrillic correctly);
cells a spreadsheet would run as a formula (starting with = + - @ or a tab) get a leading apostrophe.
XLSX: text cells are typed as text, which no spreadsheet runs as a formula, so they keep their visible
text; numbers are number cells; characters a workbook cannot hold are replaced (app.text.for_file), so
an export never fails on what older rows hold.
"""
from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator

from app.models import User
from app.text import for_file
from app.services import exports
from app.services.dashboard import Filters

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_DANGEROUS_START = frozenset(_DANGEROUS)
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")


def neutralise(cell):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe; numbers pass."""
    if isinstance(cell, str) and cell.startswith(_DANGEROUS) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


BOM = "\ufeff"
_UNENCODABLE = re.compile(r"[\ud800-\udfff]")


def csv_chunks(rows: Iterable[list], rows_per_chunk: int = 500, *, bom: bool = True) -> Iterator[str]:
    """CSV text in chunks of a few hundred rows; floats with 2 decimals; formula-like cells neutralised.

    The first chunk starts with a byte-order mark when ``bom``; text that UTF-8 cannot encode (lone
    surrogates in older rows) is replaced, so the download never breaks off.
    """
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer)
    for count, row in enumerate(rows, 1):
        writer.writerow(_csv_row(row))
        if count % rows_per_chunk == 0:
            yield _encodable(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield _encodable(buffer.getvalue())


def _encodable(chunk: str) -> str:
    return _UNENCODABLE.sub("\ufffd", chunk)


def _csv_row(row: list) -> list:
    """neutralise() and number formatting, written for speed: this runs for every row of a million."""
    return [cell if cell.__class__ is str and not (cell and cell[0] in _DANGEROUS_START) else _csv_cell(cell)
            for cell in row]


def _csv_cell(cell):
    if cell is None:
        return ""
    if cell.__class__ is float:
        return f"{cell:.2f}"
    return neutralise(cell)


def write_xlsx(user: User | None, filters: Filters, lang: str, target) -> None:
    """The workbook (sheets scores, answers, measures, questionnaire) written row by row (openpyxl write-only)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheets = (("scores", exports.score_rows), ("answers", exports.answer_rows), ("measures", exports.measure_rows),
              ("questionnaire", exports.question_rows))
    for title, rows_of in sheets:
        rows = rows_of(user, filters, lang)
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([xlsx_cell(sheet, cell) for cell in row])
    workbook.save(target)


def xlsx_cell(sheet, value):
    """A value for an XLSX row: numbers as number cells, text as text cells (never a formula)."""
    if isinstance(value, exports.NumberText):
        return float(value)
    if isinstance(value, str):
        return text_cell(sheet, value)
    return value


def text_cell(sheet, value: str):
    """Text that a workbook can hold, typed as text even when it begins with "="."""
    value = for_file(value)
    if not value.startswith("="):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def xlsx_file(user: User | None, filters: Filters, lang: str):
    """The workbook in an anonymous temporary file, positioned at its start (the caller closes it)."""
    handle = tempfile.TemporaryFile()
    try:
        write_xlsx(user, filters, lang, handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def file_chunks(handle, size: int = 64 * 1024) -> Iterator[bytes]:
    """Read a file in blocks for a streamed response, then close it."""
    with handle:
        while block := handle.read(size):
            yield block
