"""Numbers as the dashboard tables show them: plain functions, which Jinja calls for a fraction of what a
macro call costs (a comparison table formats some hundred values)."""
from app.formatting import decimal

DASH = "—"


def num(value: float | None) -> str:
    """An index (0–100) with one decimal and the UI language's decimal mark, e.g. "47.5" ("47,5"); "—" for None."""
    return DASH if value is None else decimal(value)


def pct(value: float | None) -> str:
    """A share 0..1 as a whole percentage, e.g. "83%"; "—" for None."""
    return DASH if value is None else "%.0f%%" % (value * 100)


def ec(value: float | None) -> str:
    """An evidence coverage, already a percentage 0..100, as a whole percentage, e.g. "60%"; "—" for None."""
    return DASH if value is None else "%.0f%%" % value


#: what every dashboard template may call (routes.py puts them in the context)
FORMATS = {"num": num, "pct": pct, "ec": ec}
