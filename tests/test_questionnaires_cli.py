"""`flask questionnaires validate | load | list`: immutable published versions, reloadable drafts."""
import glob
import shutil

import sqlalchemy as sa

from app.extensions import db
from app.models import QuestionnaireVersion
from tests.conftest import DATA

SHIPPED = sorted(glob.glob("questionnaires/*/*.yaml"))


def _copy(tmp_path, name="2026.1.yaml"):
    target = tmp_path / "mini" / name
    target.parent.mkdir(exist_ok=True)
    shutil.copy(f"{DATA}/mini-2026.1.yaml", target)
    return target


def test_every_shipped_questionnaire_validates_and_loads(app, runner):
    assert len(SHIPPED) >= 2
    assert runner.invoke(args=["questionnaires", "validate", *SHIPPED]).exit_code == 0
    result = runner.invoke(args=["questionnaires", "load", *SHIPPED])
    assert result.exit_code == 0, result.output
    assert "digital-customs-maturity@2026.1: added" in result.output
    listing = runner.invoke(args=["questionnaires", "list"]).output
    assert "digital-customs-maturity@2026.1\tpublished\t" in listing and "single-window@2026.1" in listing


def test_loading_twice_is_idempotent(app, runner, tmp_path):
    path = str(_copy(tmp_path))
    runner.invoke(args=["questionnaires", "load", path])
    result = runner.invoke(args=["questionnaires", "load", path])
    assert result.exit_code == 0 and "mini@2026.1: unchanged" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(QuestionnaireVersion.id))) == 1


def test_a_changed_published_version_is_refused(app, runner, tmp_path):
    path = _copy(tmp_path)
    runner.invoke(args=["questionnaires", "load", str(path)])
    path.write_text(path.read_text().replace("Median release time", "Average release time"))
    result = runner.invoke(args=["questionnaires", "load", str(path)])
    assert result.exit_code == 1
    assert "already loaded as published with different content" in result.output
    assert "publish the change as a new version" in result.output


def test_a_draft_may_be_reloaded_with_changes(app, runner, tmp_path):
    path = _copy(tmp_path)
    path.write_text(path.read_text().replace("status: published", "status: draft"))
    runner.invoke(args=["questionnaires", "load", str(path)])
    path.write_text(path.read_text().replace("Median release time", "Average release time"))
    result = runner.invoke(args=["questionnaires", "load", str(path)])
    assert result.exit_code == 0 and "updated draft" in result.output


def test_a_published_version_may_be_retired_without_other_changes(app, runner, tmp_path):
    path = _copy(tmp_path)
    runner.invoke(args=["questionnaires", "load", str(path)])
    path.write_text(path.read_text().replace("status: published", "status: retired"))
    result = runner.invoke(args=["questionnaires", "load", str(path)])
    assert result.exit_code == 0 and "mini@2026.1: retired" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(QuestionnaireVersion.status)) == "retired"


def test_an_invalid_file_is_refused_with_file_path_and_reason(app, runner, tmp_path):
    path = _copy(tmp_path)
    path.write_text(path.read_text().replace("scale: implementation\n        na_allowed", "scale: maturity\n        na_allowed"))
    result = runner.invoke(args=["questionnaires", "validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}: dimensions[1].questions[1].scale" in result.output and "maturity" in result.output


def test_loading_is_all_or_nothing(app, runner, tmp_path):
    good = _copy(tmp_path)
    bad = tmp_path / "broken.yaml"
    bad.write_text("format: 1\nid: [unclosed\n")
    result = runner.invoke(args=["questionnaires", "load", str(good), str(bad)])
    assert result.exit_code == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(QuestionnaireVersion.id))) == 0
