"""Human-readable quantities shown to users, in the UI language (one formatter for every page)."""
from flask import Flask
from flask_babel import format_decimal, gettext as _, ngettext

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


def sentence(text: str | None) -> str:
    """A message shown on its own starts with a capital letter (service messages may be fragments)."""
    text = str(text or "")
    return text[:1].upper() + text[1:]


def register(app: Flask) -> None:
    app.jinja_env.filters["filesize"] = human_size
    app.jinja_env.filters["sentence"] = sentence
