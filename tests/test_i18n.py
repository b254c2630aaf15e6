"""Every user-facing string is marked for translation and translated into Russian."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "app" / "translations" / "ru" / "LC_MESSAGES" / "messages.po"
METHOD_MAP = [("app/**.py", "python"), ("app/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHOD_MAP, keywords=KEYWORDS, options_map={"app/templates/**.html": {}}):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalog():
    with CATALOG.open("rb") as handle:
        return read_po(handle, locale="ru")


def test_every_message_in_the_code_has_a_russian_translation():
    catalog = _catalog()
    missing = sorted(m for m in _source_messages() if not (catalog.get(m) and all(_forms(catalog.get(m).string))))
    assert missing == [], "run `make i18n` and translate: " + "; ".join(missing[:20])


def test_no_translation_is_fuzzy():
    fuzzy = [m.id for m in _catalog() if m.id and m.fuzzy]
    assert fuzzy == []


def test_placeholders_are_kept_in_translations():
    import re

    pattern = re.compile(r"%\(\w+\)[sd]")
    wrong = [m.id for m in _catalog() if m.id and m.string
             for form in _forms(m.string) if sorted(set(pattern.findall(_forms(m.id)[-1]))) != sorted(set(
                 pattern.findall(form)))]
    assert wrong == []


def _forms(text) -> tuple[str, ...]:
    """The forms of a message: one, or the singular and plural forms of an ngettext message."""
    return tuple(text) if isinstance(text, (tuple, list)) else (text,)
