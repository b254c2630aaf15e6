"""Steps the benchmarks share (imported after the benchmark put the repository root on sys.path)."""
from __future__ import annotations

import glob
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seed_demo(app) -> None:
    """Bring an empty database to the demo state the benchmarks measure, as `make setup` does.

    Migrates to the newest revision, syncs the country list, creates the demo accounts (password
    `app.services.demo.DEMO_PASSWORD`), loads every questionnaire in `questionnaires/*/*.yaml` and seeds the
    demo assessments; demo cycles are not opened. Runs in its own application context of `app`.
    """
    from flask_migrate import upgrade

    from app.services import countries, demo, questionnaires

    with app.app_context():
        upgrade()
        countries.sync_countries()
        demo.seed_accounts()
        questionnaires.load_paths(sorted(glob.glob(str(ROOT / "questionnaires/*/*.yaml"))))
        demo.seed_assessments()
