"""Human-readable quantities shown to users, in the UI language (one formatter for every page)."""
import functools

from babel.numbers import get_decimal_symbol
from flask import Flask
from flask_babel import format_decimal, gettext as _, ngettext

from app.i18n import current_language

KIB = 1024
MIB = 1024 * 1024


def human_size(size: int | None) -> str:
    """A byte count as people read it: '193 bytes', '1.5 KB', '12 MB' (binary units, locale digits).

    Below 1 KB the exact count is shown, so a small file never reads as '0 KB'; one decimal below 10 of
    a unit, whole numbers above. None (unknown) gives a dash.
    """
    if size is None:
        return "—"
    size = max(int(size), 0)
    if size < KIB:
        return ngettext("%(num)d byte", "%(num)d bytes", size)
    value, unit = (size / MIB, "MB") if size >= MIB else (size / KIB, "KB")
    number = format_decimal(value, format="#,##0.0" if value < 10 else "#,##0")
    return _("%(number)s MB", number=number) if unit == "MB" else _("%(number)s KB", number=number)


@functools.cache
def decimal_mark(language: str) -> str:
    """The decimal mark people of the language write: "." in English, "," in Russian (CLDR, via Babel)."""
    return get_decimal_symbol(language)


def decimal(value: float | None, pattern: str = "%.1f", lang: str | None = None) -> str:
    """A number as `pattern` writes it, with the decimal mark of the language: 62.5 -> "62,5" in Russian.

    The digits are Python's (`pattern % value`), the same as the CSV exports write (DESIGN §8), so a page
    and an export never round differently; only the mark changes. `lang` defaults to the UI language.
    None gives a dash.
    """
    if value is None:
        return "—"
    return number_text(pattern % value, lang)


def number_text(stored: str, lang: str | None = None) -> str:
    """A stored number (canonical text with a point, e.g. "9.5") as people of the language write it ("9,5")."""
    mark = decimal_mark(lang or current_language())
    return stored if mark == "." else stored.replace(".", mark)


def sentence(text: str | None) -> str:
    """A message shown on its own starts with a capital letter (service messages may be fragments)."""
    text = str(text or "")
    return text[:1].upper() + text[1:]


def register(app: Flask) -> None:
    app.jinja_env.filters["filesize"] = human_size
    app.jinja_env.filters["sentence"] = sentence
    app.jinja_env.filters["decimal"] = decimal
