"""Commands on a database that was never migrated end with one clear line, not a traceback."""
import pytest

from app.extensions import db

QUESTIONNAIRE = "questionnaires/digital-customs-maturity/2026.2.yaml"

COMMANDS = [
    ["questionnaires", "validate", QUESTIONNAIRE],
    ["questionnaires", "load", QUESTIONNAIRE],
    ["questionnaires", "list"],
    ["scores", "export", "--table", "scores"],
    ["scores", "recompute"],
    ["scores", "sensitivity", "--questionnaire", "digital-customs-maturity@2026.2"],
    ["countries", "sync"],
    ["demo", "seed"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args[:2]))
def test_a_command_on_an_unmigrated_database_asks_for_the_upgrade(app, args):
    with app.app_context():
        db.drop_all()
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1, result.output
    assert "run `flask db upgrade` first" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
