"""Reading a number answer exactly: the one parser behind every entry path (web, workbook, CSV, CLI).

A number is read into a ``Decimal`` and stored as its canonical string ("12", "12.5"), never through
a float. The rules (issue 10; DESIGN.md §3 ``number`` questions):

- A decimal comma is accepted ("9,5" is 9.5): Russian-speaking officials write one.
- A single comma or point followed by exactly three digits ("1,500", "1.500", "-12,345") is
  ambiguous: 1.5 in Russian, 1500 in English. It is refused unless the caller passes the decimal
  separator the user chose (``decimal=","`` or ``decimal="."``); the other mark is then a thousands
  separator and must group digits by three.
- Spaces (also no-break and thin spaces) may group thousands ("1 500,5"): they are never decimal
  marks. A leading "+" or "-" (also the minus sign U+2212) is allowed.
- Exponents ("1.5e3") are read, but the result must fit the digit limit.
- At most ``MAX_DIGITS`` (15) digits from the first significant digit to the last decimal place, and
  at most 15 decimal places: the precision of a spreadsheet cell (IEEE double), so a stored number
  survives a workbook round trip; "1e400" (401 digits) is refused, not stored.
- NaN, infinities, booleans, hex, underscores and anything else are refused.

Errors are ``NumberError`` with a ``reason`` code and ``params``, so that the shell can word them
in the user's language.
"""
from __future__ import annotations

import math
import numbers
import re
from decimal import Decimal, InvalidOperation

MAX_DIGITS = 15
MAX_TEXT = 64  # longer raw text is refused before any parsing

REASONS = ("not_a_number", "ambiguous", "too_many_digits", "below_min", "above_max")

_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
_SIGN = "+-\u2212"
_PLAIN = re.compile(r"(?P<int>\d+)(?:(?P<sep>[.,])(?P<frac>\d+))?(?:[eE](?P<exp>[+-]?\d{1,9}))?", re.ASCII)
_AMBIGUOUS = re.compile(r"[1-9]\d{0,2}[.,]\d{3}", re.ASCII)
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3}){2,}(?:[.,]\d+)?", re.ASCII)
_GROUPED = {
    ",": re.compile(r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?", re.ASCII),
    ".": re.compile(r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?", re.ASCII),
}
_SPACE_GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?", re.ASCII)


class NumberError(ValueError):
    """A raw value that is not an acceptable number; ``reason`` is one of REASONS."""

    def __init__(self, reason: str, raw: object, **params: object) -> None:
        self.reason, self.raw, self.params = reason, raw, params
        super().__init__(_ENGLISH[reason].format(raw=_shown(raw), **params))


_ENGLISH = {
    "not_a_number": "'{raw}' is not a number",
    "ambiguous": "'{raw}' is ambiguous: a comma or point followed by three digits may be a decimal mark or "
                 "a thousands separator; write it without a thousands separator (1500 or 1,5)",
    "too_many_digits": "'{raw}' has more than {limit} digits",
    "below_min": "{value} is below the smallest allowed value, {limit}",
    "above_max": "{value} is above the largest allowed value, {limit}",
}


def _shown(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= 40 else text[:39] + "…"


def parse_number(raw: object, *, decimal: str | None = None) -> Decimal:
    """The exact value of a raw answer (str, int, float or Decimal); NumberError if it is not a number.

    ``decimal`` is the decimal separator the user chose ("," or "."); None refuses what is ambiguous.
    Floats (spreadsheet cells, JSON numbers) are read by their shortest representation (0.1 is 0.1).
    """
    if isinstance(raw, bool) or raw is None:
        raise NumberError("not_a_number", raw)
    if isinstance(raw, Decimal):
        number = raw if raw.is_finite() else None
    elif isinstance(raw, numbers.Integral):  # int, numpy integers
        number = Decimal(int(raw))
    elif isinstance(raw, numbers.Real):  # float, numpy floats
        number = Decimal(repr(float(raw))) if math.isfinite(raw) else None
    elif isinstance(raw, str):
        number = _from_text(raw, decimal)
    else:
        number = None
    if number is None:
        raise NumberError("not_a_number", raw)
    return _checked_digits(number, raw)


def _from_text(raw: str, decimal: str | None) -> Decimal | None:
    text = raw.strip()
    if not text or len(text) > MAX_TEXT:
        return None
    sign = ""
    if text[0] in _SIGN:
        sign, text = ("" if text[0] == "+" else "-"), text[1:]
    if _SPACES.search(text):
        if not _SPACE_GROUPED.fullmatch(text):
            return None
        text = _SPACES.sub("", text)
    if decimal in _GROUPED and "e" not in text.lower():
        match = _GROUPED[decimal].fullmatch(text)
        if match is None:
            return None
        digits = match["int"].replace("." if decimal == "," else ",", "")
        return Decimal(f"{sign}{digits}.{match['frac'] or '0'}")
    match = _PLAIN.fullmatch(text)
    if match is None:
        if decimal is None and _THOUSANDS.fullmatch(text):
            raise NumberError("ambiguous", raw)
        return None
    if decimal is None and match["exp"] is None and _AMBIGUOUS.fullmatch(text):
        raise NumberError("ambiguous", raw)
    try:
        return Decimal(f"{sign}{match['int']}.{match['frac'] or '0'}e{match['exp'] or '0'}")
    except InvalidOperation:
        return None


def _checked_digits(number: Decimal, raw: object) -> Decimal:
    """Refuse values whose exact decimal expansion needs more than MAX_DIGITS digits."""
    if number.is_zero():
        return Decimal(0)
    sign, digits, exponent = number.as_tuple()
    digits = tuple(digits)
    while len(digits) > 1 and digits[-1] == 0:  # trailing zeros carry no precision: 1.50 is 1.5
        digits, exponent = digits[:-1], exponent + 1
    integer_places = max(len(digits) + exponent, 0)
    decimal_places = max(-exponent, 0)
    leading_zeros = max(-(len(digits) + exponent), 0)  # 0.001 has two zeros before its first digit
    if integer_places + decimal_places - leading_zeros > MAX_DIGITS or decimal_places > MAX_DIGITS:
        raise NumberError("too_many_digits", raw, limit=MAX_DIGITS)
    return Decimal((sign, digits, exponent))


def canonical(number: Decimal) -> str:
    """The stored form of a parsed number: plain notation, no trailing zeros, no "-0"."""
    if number.is_zero():
        return "0"
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def check_bounds(number: Decimal, low: float | None, high: float | None, raw: object) -> Decimal:
    """The number if it lies within the inclusive bounds, compared exactly; NumberError otherwise."""
    if low is not None and number < _exact(low):
        raise NumberError("below_min", raw, value=canonical(number), limit=format_bound(low))
    if high is not None and number > _exact(high):
        raise NumberError("above_max", raw, value=canonical(number), limit=format_bound(high))
    return number


def _exact(bound: float) -> Decimal:
    """A questionnaire bound as written in the file (720, 0.5), not as its binary approximation."""
    return Decimal(repr(bound)) if isinstance(bound, float) else Decimal(bound)


def format_bound(bound: float) -> str:
    """A bound from a questionnaire file as people read it ("720", "0.5")."""
    return canonical(_exact(bound).normalize()) if _exact(bound).is_finite() else str(bound)


def scale_percent(number: Decimal) -> Decimal:
    """A spreadsheet percentage cell's value (0.85 shown as 85%) in percent units (85), exactly."""
    return number.scaleb(2)
