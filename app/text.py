"""Text hygiene: what text may enter the database, and how stored text is made safe for a file.

At entry (every form, the autosave JSON, imports, query strings):

- NUL and invalid Unicode (lone surrogates, which only JSON escapes can carry) are refused: PostgreSQL
  cannot store NUL, and neither can be written to UTF-8 or to an XLSX file.
- Line breaks of any kind (CR LF, CR, Word's soft line break U+000B, form feed, U+2028/U+2029) become
  a newline; single-line fields get a space instead.
- Every other control character (C0 except tab and newline, DEL, C1) and the non-characters U+FFFE and
  U+FFFF are removed: a spreadsheet cannot
  hold it and nobody means it.
- Every field has a length limit (``LIMITS``), counted after the clean-up.

On the way out (``for_file``), text already stored (older rows may hold anything) is cleaned the same
way without ever failing, so that every export opens.
"""
from __future__ import annotations

import re

#: length limits in characters, one per kind of field (the templates show them as counters)
LIMITS = {
    "comment": 10_000,
    "text_answer": 10_000,
    "evidence_url": 2_000,
    "flag": 5_000,
    "reply": 5_000,
    "name": 200,
    "email": 254,
    "cycle": 20,
    "query": 500,
    "filename": 255,
}

_FORBIDDEN = re.compile(r"[\x00\ud800-\udfff]")
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


class TextRefused(ValueError):
    """Text that cannot be stored; ``reason`` is "forbidden" (NUL, invalid Unicode) or "too_long"."""

    def __init__(self, reason: str, limit: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.limit = reason, limit


def forbidden(text: str) -> bool:
    """Whether the text holds NUL or a lone surrogate (refused everywhere, never cleaned away)."""
    return _FORBIDDEN.search(text) is not None


def clean(text: str, limit: int, *, multiline: bool = True) -> str:
    """The text as it is stored: line breaks unified, control characters removed, ends stripped.

    Raises TextRefused for NUL or invalid Unicode, or when the result is longer than ``limit``.
    """
    if forbidden(text):
        raise TextRefused("forbidden")
    text = _CONTROL.sub("", _BREAKS.sub("\n", text))
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    text = text.strip()
    if len(text) > limit:
        raise TextRefused("too_long", limit)
    return text


def tidy(text: str, *, multiline: bool = True) -> str:
    """What ``clean`` would make of stored text, without limits or refusals (NUL and lone surrogates
    become U+FFFD): used to compare a file's text with the stored one and to write files."""
    text = _FORBIDDEN.sub("\ufffd", text)
    text = _CONTROL.sub("", _BREAKS.sub("\n", text))
    return text if multiline else text.replace("\n", " ").replace("\t", " ")


def for_file(value):
    """A cell value that any file format can hold: text is tidied (never fails); other values pass."""
    if isinstance(value, str) and (_FORBIDDEN.search(value) or _CONTROL.search(value) or _BREAKS.search(value)):
        return tidy(value)
    return value


def form_filter(kind: str, *, multiline: bool = True):
    """A WTForms filter that cleans a text field; a refusal becomes the field's error message."""
    limit = LIMITS[kind]

    def apply(value):
        if not isinstance(value, str):
            return value
        try:
            return clean(value, limit, multiline=multiline)
        except TextRefused as error:
            raise ValueError(message(error)) from None

    return apply


def message(error: TextRefused) -> str:
    """The refusal in the user's language."""
    from flask_babel import gettext as _

    if error.reason == "too_long":
        return _("The text is longer than %(limit)s characters.", limit=error.limit)
    return _("The text contains characters that cannot be stored (a NUL character or invalid Unicode).")
