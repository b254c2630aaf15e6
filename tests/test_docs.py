"""The repository's own documentation stays true to the code: links, demo log-ins, folders, commands, columns."""
import re
from pathlib import Path

from app.services import demo
from app.services.exports import ANSWER_COLUMNS, SCORE_HEAD, SCORE_TAIL

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DESIGN = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "questionnaires" / "README.md").read_text(encoding="utf-8")


def test_the_readme_points_to_documents_in_the_repository():
    assert "../shared" not in README and "../shared" not in GUIDE
    for target in re.findall(r"\]\(([^)#]+)\)", README + GUIDE.replace("../", "")):
        assert (ROOT / target).exists() or (ROOT / "questionnaires" / target).exists(), target


def test_the_readme_names_every_demo_login_pattern_and_the_password():
    assert demo.DEMO_PASSWORD in README
    for person in demo.demo_accounts():
        local = person["email"].split("@")[0]
        shown = re.sub(r"^[a-z]{2}\.", "xx.", local) if person["country_code"] else local
        assert f"`{shown}@{demo.DEMO_DOMAIN}`" in README, person["email"]
        if person["country_code"]:
            assert f"`{person['country_code'].lower()}`" in README


def test_the_questionnaire_guide_lists_every_questionnaire_folder():
    for folder in sorted(p.name for p in (ROOT / "questionnaires").iterdir() if p.is_dir()):
        assert f"{folder}/" in GUIDE, folder


def test_the_design_page_lists_every_command(app):
    for group, command in app.cli.commands.items():
        if group == "db":  # Flask-Migrate's own group: only `db upgrade` is part of the contract
            assert "`db upgrade`" in DESIGN
            continue
        for sub in getattr(command, "commands", {}):
            assert f"`{group} {sub}" in DESIGN, f"{group} {sub}"


def test_the_design_page_gives_the_csv_columns_in_their_order():
    scores = ", ".join(SCORE_HEAD) + ", stage_<stage key>… (one per stage), " + ", ".join(SCORE_TAIL)
    assert re.sub(r"\s+", " ", scores) in re.sub(r"\s+", " ", DESIGN)
    assert ", ".join(ANSWER_COLUMNS) in re.sub(r"\s+", " ", DESIGN)


def test_the_design_page_names_every_table(app):
    from app.extensions import db

    for table in db.metadata.tables:
        assert f"`{table}`" in DESIGN, table
