"""Reading answer files (CSV or XLSX) into answer rows, refusing hostile or malformed files.

Nothing here knows the questionnaire: the checks are about the file itself (type, size, zip bombs,
macros, XML entities, encoding, sheets and columns). Formulas are kept as `Formula` cells so that the
import can refuse them with a row-precise message.
"""
from __future__ import annotations

import csv
import io
import logging
import zipfile
from dataclasses import dataclass, field

import openpyxl
from flask_babel import gettext as _

from app.services import workbook
from app.services.answer_values import PercentCell

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 200  # uncompressed/compressed of one member; real sheets stay far below
MAX_MEMBERS = 2000
MAX_ROWS, MAX_COLUMNS = 5000, 40
_CHUNK = 1024 * 1024
_XML_DANGER = (b"<!DOCTYPE", b"<!ENTITY")

log = logging.getLogger(__name__)


class ImportRefused(ValueError):
    """The file as a whole cannot be read; the message says why, for the user."""


ANSWER_COLUMNS = ("value", "not_applicable", "comment", "evidence_url")
#: informational columns of the workbook and of answers.csv: read past, never imported
INFO_COLUMNS = frozenset({
    "stage", "question", "how_to_answer", "help", "source", "assessment_id", "country_code", "country_name",
    "cycle", "questionnaire_id", "questionnaire_version", "dimension_key", "dimension", "value_label", "points",
    "max_points", "status", "updated_by", "updated_at"})
KNOWN_COLUMNS = frozenset({"question_key", "revision", *ANSWER_COLUMNS}) | INFO_COLUMNS


class Formula(str):
    """The text of a cell that holds a formula."""


@dataclass(frozen=True)
class Table:
    """One sheet (or a CSV file: name None) as (row number, cell values) pairs, blank rows left out."""

    name: str | None
    rows: list[tuple[int, tuple]]


@dataclass(frozen=True)
class Tables:
    tables: list[Table]
    meta: dict = field(default_factory=dict)  # the hidden _meta sheet of a downloaded workbook


@dataclass(frozen=True)
class SourceRow:
    """One answer row as the file gives it: raw cells, not yet checked against the questionnaire."""

    where: str
    key: str
    fields: dict  # raw cells of the answer columns the file has
    revision: object = None  # raw cell; None when the file has no revision column
    formula_in: tuple[str, ...] = ()


def read_rows(filename: str, data: bytes) -> tuple[list[SourceRow], dict]:
    """The answer rows of a file and, for a downloaded workbook, its hidden metadata."""
    tables = read(filename, data)
    return source_rows(tables), tables.meta


def read(filename: str, data: bytes) -> Tables:
    """The tables of a .csv or .xlsx file; ImportRefused for anything else or anything unsafe."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(_("The file is larger than %(size)s MB.", size=MAX_FILE_BYTES // (1024 * 1024)))
    if not data:
        raise ImportRefused(_("The file is empty."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "csv":
        return Tables([read_csv(data)])
    if extension == "xlsx":
        return read_xlsx(data)
    if extension in ("xlsm", "xltm", "xlsb"):
        raise ImportRefused(_("Macro-enabled and binary workbooks are not accepted. Save the file as .xlsx."))
    raise ImportRefused(_("Only .xlsx workbooks and .csv files can be uploaded."))


def read_csv(data: bytes) -> Table:
    """A UTF-8 CSV file (with or without BOM), comma- or semicolon-separated."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_("The CSV file is not in UTF-8. Save it as “CSV UTF-8” and try again.")) from None
    if "\x00" in text:
        raise ImportRefused(_("This is not a text CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    rows, reader = [], csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if any(c.strip() for c in cells):
                rows.append((number, tuple(_csv_cell(c) for c in cells[:MAX_COLUMNS])))
            _check_row_count(len(rows))
    except csv.Error as error:
        raise ImportRefused(_("The CSV file is malformed near line %(line)s: %(error)s", line=reader.line_num,
                            error=str(error))) from None
    return Table(None, rows)


def _csv_cell(text: str):
    return Formula(text) if text.startswith("=") else text


def read_xlsx(data: bytes) -> Tables:
    """The sheets of a checked .xlsx workbook, read without evaluating anything."""
    check_xlsx(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # the library raises many kinds on a damaged file
        log.info("unreadable workbook: %r", error)
        raise ImportRefused(_("The file could not be read as an Excel workbook (.xlsx).")) from None
    try:
        meta = _meta(book[workbook.META_SHEET]) if workbook.META_SHEET in book.sheetnames else {}
        tables = [_sheet(book[name]) for name in book.sheetnames
                  if name not in (workbook.META_SHEET, workbook.LISTS_SHEET)]
    except ImportRefused:
        raise
    except Exception as error:
        log.info("unreadable sheet: %r", error)
        raise ImportRefused(_("The file could not be read as an Excel workbook (.xlsx).")) from None
    finally:
        book.close()
    return Tables(tables, meta)


def check_xlsx(data: bytes) -> None:
    """Refuse anything that is not a plain, reasonably sized OOXML workbook, before any XML is parsed."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise ImportRefused(_("This is an old-format Excel file (.xls). Save it as .xlsx and try again."))
    if data[:4] != b"PK\x03\x04":
        raise ImportRefused(_("This is not an Excel workbook (.xlsx)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportRefused(_("This is not an Excel workbook (.xlsx): the file is damaged.")) from None
    names = {m.filename.lower() for m in members}
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportRefused(_("This is not an Excel workbook (.xlsx)."))
    if any(n.endswith("vbaproject.bin") for n in names) or b"macroEnabled" in archive.read("[Content_Types].xml"):
        raise ImportRefused(_("Macro-enabled workbooks are not accepted. Save the file as .xlsx without macros."))
    _check_sizes(members)
    _check_members(archive, members)


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    too_big = _("The workbook unpacks to more than %(size)s MB; it is refused as a possible zip bomb.",
                size=MAX_UNCOMPRESSED // (1024 * 1024))
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
        raise ImportRefused(too_big)
    for member in members:
        if member.file_size > _CHUNK and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ImportRefused(_("The workbook is compressed to an implausible degree; it is refused as a "
                                "possible zip bomb."))


def _check_members(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Unpack every member as a stream, counting real bytes (headers can lie) and refusing XML entities."""
    total = 0
    for member in members:
        tail = b""
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > MAX_UNCOMPRESSED:
                        raise ImportRefused(_("The workbook unpacks to more than %(size)s MB; it is refused as "
                                            "a possible zip bomb.", size=MAX_UNCOMPRESSED // (1024 * 1024)))
                    window = tail + chunk
                    if any(marker in window for marker in _XML_DANGER):
                        raise ImportRefused(_("The workbook contains XML declarations that are not allowed."))
                    tail = window[-16:]
        except ImportRefused:
            raise
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
            raise ImportRefused(_("This is not an Excel workbook (.xlsx): the file is damaged.")) from None


def _meta(sheet) -> dict:
    meta = {}
    for row in sheet.iter_rows(min_row=1, max_row=50, max_col=2, values_only=True):
        if row and row[0] is not None:
            meta[str(row[0])] = row[1] if len(row) > 1 else None
    return meta


def _sheet(sheet) -> Table:
    rows = []
    for number, cells in enumerate(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS), start=1):
        values = tuple(_xlsx_cell(c) for c in cells)
        if any(v is not None and v != "" for v in values):
            rows.append((number, values))
            _check_row_count(len(rows))
    return Table(sheet.title, rows)


def _xlsx_cell(cell):
    """A cell's value; only a formula cell is a formula (text beginning with "=" is text: the cell type
    says so), and a number formatted as a percentage is marked, so that 85 % is read as meant."""
    value = cell.value
    if cell.data_type == "f":
        return Formula(str(getattr(value, "text", value)))
    if value is not None and not isinstance(value, (str, int, float, bool)):
        return str(value)  # dates and the like: shown back in the error, never trusted
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return PercentCell(value)
    return value


def _check_row_count(count: int) -> None:
    if count > MAX_ROWS:
        raise ImportRefused(_("The file has more than %(rows)s rows.", rows=MAX_ROWS))


# ------------------------------------------------------------------ rows from tables


def where(sheet: str | None, row: int) -> str:
    """A row's place in the file, as the user sees it in the spreadsheet."""
    if sheet is None:
        return _("Row %(row)s", row=row)
    return _("Sheet %(sheet)s, row %(row)s", sheet=sheet, row=row)


def source_rows(tables: Tables) -> list[SourceRow]:
    """The answer rows of every sheet; ImportRefused when a sheet or its header is wrong."""
    ours = tables.meta.get("format") == workbook.FORMAT
    rows = []
    for table in tables.tables:
        header = _header(table)
        if header is None:
            if ours and table.name in workbook.INSTRUCTION_TITLES or table.name is not None and not table.rows:
                continue
            raise ImportRefused(_("%(place)s has no header row with the columns question_key and value.",
                                  place=_place(table.name)))
        number, columns = header
        first = workbook.FIRST_ROW if ours else number + 1
        rows.extend(r for n, cells in table.rows if n >= first
                    if (r := _source_row(table.name, n, cells, columns)) is not None)
    if not rows:
        raise ImportRefused(_("The file contains no answer rows."))
    return rows


def _place(sheet: str | None) -> str:
    return _("The file") if sheet is None else _("Sheet %(sheet)s", sheet=sheet)


def _header(table) -> tuple[int, dict[str, int]] | None:
    for number, cells in table.rows[:3]:
        names = [str(c).strip().lower() if c is not None else "" for c in cells]
        if "question_key" in names:
            return number, _columns(table.name, names)
    return None


def _columns(sheet: str | None, names: list[str]) -> dict[str, int]:
    columns = {}
    for index, name in enumerate(names):
        if not name:
            continue
        if name not in KNOWN_COLUMNS:
            raise ImportRefused(_("%(place)s has an unknown column “%(column)s”. The columns are question_key, "
                                  "value, not_applicable, comment, evidence_url (and revision in a downloaded "
                                  "workbook).", place=_place(sheet), column=name[:40]))
        if name in columns:
            raise ImportRefused(_("%(place)s has the column “%(column)s” twice.", place=_place(sheet), column=name))
        columns[name] = index
    if "value" not in columns:
        raise ImportRefused(_("%(place)s has no column “value”.", place=_place(sheet)))
    return columns


def _source_row(sheet: str | None, number: int, cells: tuple, columns: dict[str, int]) -> SourceRow | None:
    def cell(name):
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    key = _blank_to_none(cell("question_key"))
    fields = {name: _blank_to_none(cell(name)) for name in ANSWER_COLUMNS if name in columns}
    if key is None and all(v is None for v in fields.values()):
        return None
    checked = ("question_key", "revision", *ANSWER_COLUMNS)
    formulas = tuple(name for name in checked if isinstance(cell(name), Formula))
    return SourceRow(where(sheet, number), str(key or "").strip(), fields,
                     cell("revision") if "revision" in columns else None, formulas)


def _blank_to_none(value):
    if isinstance(value, str) and not value.strip():
        return None
    return value
