"""The one parse step for answer fields, used by every entry path (autosave, workbook and CSV uploads,
`flask assessments import`): raw values -> the exact values stored, or a refusal in the user's language.

- value: by question type. Numbers go through scoring.numbers (exact Decimal, decimal comma, ambiguous
  thousands refused unless the caller passes the decimal separator the user chose, 15 digits, bounds on
  the exact value); a spreadsheet cell formatted as a percentage is scaled by 100 for a question whose
  unit is a percentage ("% of ..."), and refused for any other question. Option answers must be text
  (a label or value); text answers are cleaned by app.text and limited in length.
- not_applicable: a real boolean (JSON true/false; imports turn their yes/no words into one first).
- comment, evidence_url: text or null, cleaned by app.text; the evidence link must be http(s).

Nothing is coerced silently: a JSON string where a boolean is expected, or an object or list where
text is expected, is refused.
"""
from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

from flask_babel import gettext as _

import scoring
from app import text
from app.i18n import current_language, localised
from scoring.numbers import NumberError, canonical, check_bounds, format_bound, parse_number, scale_percent

ANSWER_FIELDS = ("value", "not_applicable", "comment", "evidence_url")


class ValueRefused(ValueError):
    """A field that cannot be stored; the message says why, for the user; ``field`` names the field."""

    field: str | None = None


class PercentCell(float):
    """A spreadsheet number cell formatted as a percentage: 0.85 is shown (and meant) as 85 %."""


def parse_changes(question: scoring.Question, changes: dict, *, decimal: str | None = None) -> dict:
    """The stored form of the submitted answer fields; ValueRefused (naming the field) for the first bad one."""
    parsers = {
        "value": lambda raw: parse_value(question, raw, decimal=decimal),
        "not_applicable": lambda raw: _not_applicable(question, raw),
        "comment": lambda raw: _text(raw, "comment", multiline=True),
        "evidence_url": _evidence_url,
    }
    clean = {}
    for field in ANSWER_FIELDS:
        if field in changes:
            try:
                clean[field] = parsers[field](changes[field])
            except ValueRefused as error:
                error.field = field
                raise
    return clean


def _not_applicable(question: scoring.Question, raw) -> bool:
    if not isinstance(raw, bool):
        raise ValueRefused(_("“Not applicable” must be true or false."))
    if raw and not question.na_allowed:
        raise ValueRefused(_("This question cannot be marked as not applicable."))
    return raw


def _evidence_url(raw) -> str | None:
    url = _text(raw, "evidence_url", multiline=False)
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueRefused(_("The evidence link must be a web address starting with http:// or https://."))
    return url


def parse_value(question: scoring.Question, raw, *, decimal: str | None = None) -> str | None:
    """The canonical stored answer for a raw value (None clears the answer)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, (dict, list, tuple, set)):
        raise ValueRefused(_("The answer must be text or a number."))
    if isinstance(raw, str):
        raw = _text(raw, "text_answer", multiline=question.type == "text")
    if question.type == "number":
        return parse_number_answer(question, raw, decimal=decimal)
    if question.type == "text":
        if isinstance(raw, bool):
            raise ValueRefused(_("The answer must be text."))
        return raw if isinstance(raw, str) else _number_as_text(raw)
    return _option(question, raw)


def parse_number_answer(question: scoring.Question, raw, *, decimal: str | None = None) -> str:
    """A number answer as its canonical string: exact, within the question's bounds."""
    try:
        if isinstance(raw, PercentCell):
            if not question.percent:
                raise ValueRefused(_("The cell is formatted as a percentage, but this question asks for %(unit)s. "
                                     "Format the cell as a number.", unit=_unit(question) or _("a number")))
            number = scale_percent(parse_number(float(raw)))
        else:
            number = parse_number(_percent_text(question, raw), decimal=decimal)
        return canonical(check_bounds(number, question.min, question.max, raw))
    except NumberError as error:
        raise ValueRefused(number_message(error, question)) from None


def _percent_text(question: scoring.Question, raw):
    """"85 %" typed for a percentage question is 85; for any other question it stays refused."""
    if question.percent and isinstance(raw, str) and raw.rstrip().endswith("%"):
        return raw.rstrip()[:-1]
    return raw


def number_message(error: NumberError, question: scoring.Question) -> str:
    """Why a number was refused, in the user's language."""
    shown = str(error.raw)[:40]
    if error.reason == "ambiguous":
        return _("“%(value)s” is ambiguous: a comma or point followed by three digits may be a decimal mark "
                 "or a thousands separator. Write the number without thousands separators, e.g. 1500 or 1,5.",
                 value=shown)
    if error.reason == "too_many_digits":
        return _("“%(value)s” has more than %(limit)s digits.", value=shown, limit=error.params["limit"])
    if error.reason in ("below_min", "above_max"):
        return _("%(value)s is outside the allowed range (%(range)s).", value=error.params["value"],
                 range=allowed_range(question))
    return _("“%(value)s” is not a number.", value=shown)


def allowed_range(question: scoring.Question) -> str:
    low, high = (format_bound(b) if b is not None else None for b in (question.min, question.max))
    return f"{low or '…'} – {high or '…'}"


def _unit(question: scoring.Question) -> str:
    return localised(question.unit)


def _number_as_text(raw) -> str:
    """A spreadsheet number cell in a text question (a year, a count) as the digits it shows."""
    try:
        return canonical(parse_number(raw))
    except NumberError:
        raise ValueRefused(_("The answer must be text.")) from None


def _option(question: scoring.Question, raw) -> str:
    if isinstance(raw, Decimal):
        raw = canonical(raw)  # a JSON number for a choice whose values are digits
    try:
        return question.normalise(raw)
    except ValueError:
        pass
    lang = current_language()
    allowed = ", ".join(f"“{question.option_label(o.value, lang)}”" for o in question.options)
    raise ValueRefused(_("“%(value)s” is not one of the answers to this question; choose one of %(allowed)s.",
                         value=str(raw)[:60], allowed=allowed))


def _text(raw, kind: str, *, multiline: bool) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise ValueRefused(_("This field must be text."))
    try:
        return text.clean(raw, text.LIMITS[kind], multiline=multiline) or None
    except text.TextRefused as error:
        raise ValueRefused(text.message(error)) from None
