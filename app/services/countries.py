"""The ISO 3166-1 country list with English and Russian names, and country groups."""
import gettext

import pycountry
import sqlalchemy as sa

from app.extensions import db
from app.models import Country

EEU_GROUP = "eeu-member"
EEU_MEMBERS = ("AM", "BY", "KZ", "KG", "RU")
# The short names the Eurasian Economic Commission uses for its members.
NAME_OVERRIDES = {
    "AM": ("Armenia", "Армения"),
    "BY": ("Belarus", "Беларусь"),
    "KZ": ("Kazakhstan", "Казахстан"),
    "KG": ("Kyrgyzstan", "Кыргызстан"),
    "RU": ("Russia", "Россия"),
}


def iso_countries() -> list[tuple[str, str, str]]:
    """(code, English name, Russian name) for every ISO 3166-1 country."""
    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)
    rows = []
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        rows.append((country.alpha_2, *NAME_OVERRIDES.get(country.alpha_2, (english, ru.gettext(country.name)))))
    return rows


def sync_countries(codes: tuple[str, ...] | None = None) -> int:
    """Insert or update countries (all, or the given codes); idempotent; commits. Returns rows changed."""
    existing = {c.code: c for c in db.session.scalars(sa.select(Country))}
    changed = 0
    for code, name_en, name_ru in iso_countries():
        if codes is not None and code not in codes:
            continue
        groups = [EEU_GROUP] if code in EEU_MEMBERS else []
        country = existing.get(code)
        if country is None:
            db.session.add(Country(code=code, name_en=name_en, name_ru=name_ru, groups=groups))
            changed += 1
        elif (country.name_en, country.name_ru, sorted(country.groups or [])) != (name_en, name_ru, groups):
            country.name_en, country.name_ru, country.groups = name_en, name_ru, groups
            changed += 1
    db.session.commit()
    return changed


def all_countries() -> list[Country]:
    """Every stored country, by code (for country pickers and filters)."""
    return list(db.session.scalars(sa.select(Country).order_by(Country.code)))


def names(codes, lang: str) -> dict[str, str]:
    """{code: name in `lang`} in one query; a code with no stored country keeps the code."""
    found = {c.code: c.name(lang) for c in db.session.scalars(sa.select(Country).where(Country.code.in_(codes)))}
    return {code: found.get(code, code) for code in codes}


def get(code: str) -> Country | None:
    """The country with this ISO alpha-2 code (any case), or None."""
    return db.session.get(Country, code.upper())
