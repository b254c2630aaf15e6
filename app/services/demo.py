"""Illustrative demo data: labelled as demo everywhere it appears."""
import sqlalchemy as sa

from app.extensions import db
from app.models import User
from app.services import accounts, countries
from app.vocabulary import Role

DEMO_PASSWORD = "Demo-Customs-2026!"
DEMO_DOMAIN = "demo.example"


def demo_accounts() -> list[dict]:
    """The demo accounts: a coordinator and a respondent per EEU member, an analyst and an admin."""
    people = []
    for code in countries.EEU_MEMBERS:
        people.append({"email": f"{code.lower()}.coordinator@{DEMO_DOMAIN}", "role": Role.COORDINATOR,
                       "country_code": code, "name": f"Demo coordinator {code}"})
        people.append({"email": f"{code.lower()}.respondent@{DEMO_DOMAIN}", "role": Role.RESPONDENT,
                       "country_code": code, "name": f"Demo respondent {code}"})
    people.append({"email": f"analyst@{DEMO_DOMAIN}", "role": Role.ANALYST, "country_code": None,
                   "name": "Demo analyst EEC"})
    people.append({"email": f"admin@{DEMO_DOMAIN}", "role": Role.ADMIN, "country_code": None,
                   "name": "Demo administrator"})
    return people


def seed_assessments() -> int:
    """Demo assessments of the five EEU members over three cycles (see demo_assessments)."""
    from app.services import demo_assessments

    return demo_assessments.seed_assessments()


def has_demo_questionnaire() -> bool:
    """Whether the questionnaire the demo assessments use is loaded and published."""
    from app.services import demo_assessments

    return demo_assessments.demo_version() is not None


def seed_accounts() -> list[str]:
    """Create the demo accounts that do not exist yet; returns the e-mails created."""
    countries.sync_countries(countries.EEU_MEMBERS)
    existing = set(db.session.scalars(sa.select(User.email)))
    created = []
    for person in demo_accounts():
        if person["email"] not in existing:
            accounts.create_user(password=DEMO_PASSWORD, is_demo=True, **person)
            created.append(person["email"])
    return created
