import sqlalchemy as sa

from app import create_app
from app.extensions import db
from tests.conftest import make_config


def test_sqlite_connections_have_foreign_keys_wal_and_a_busy_timeout(tmp_path):
    app = create_app(make_config(f"sqlite:///{tmp_path}/app.db", tmp_path))
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000
        db.engine.dispose()


def test_the_database_enforces_foreign_keys(app):
    from app.models import User

    with app.app_context():
        db.session.add(User(email="x@example.org", name="X", role="respondent", country_code="ZZ",
                            password_hash="-", session_token="t"))
        try:
            db.session.commit()
            raised = False
        except sa.exc.IntegrityError:
            raised = True
            db.session.rollback()
    assert raised
