"""Yes/no as people write it in files, forms and settings: one reading for the whole product.

Used by the answer tables of the engine (the not-applicable column), by imports (the
`not_applicable` column of CSV/XLSX answers, DESIGN.md §5) and by the configuration (environment
variables such as SESSION_COOKIE_SECURE). Pure Python, like the rest of scoring.
"""
from __future__ import annotations

from typing import Any

TRUE_WORDS = frozenset({"yes", "true", "1", "y", "on", "да", "д", "x"})
FALSE_WORDS = frozenset({"no", "false", "0", "n", "off", "нет", "н"})


def parse_bool(raw: Any) -> bool | None:
    """True or False for a bool, the numbers 0 and 1, or a yes/no word (any case, blanks around); else None.

    None is "not a yes or no": each caller decides what that means (an import refuses the row, a
    setting keeps it off).
    """
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)):
        return bool(raw) if raw in (0, 1) else None
    if isinstance(raw, str):
        word = raw.strip().casefold()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None
