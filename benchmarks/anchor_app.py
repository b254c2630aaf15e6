"""The anchor of benchmarks/pages.py: bare Flask + Flask-SQLAlchemy on the product's own database.

    DATABASE_URL=sqlite:///... gunicorn --workers 2 --threads 2 benchmarks.anchor_app:app

What a framework costs at the least, measured in the same run as the product so that the ratio,
not the absolute figure, says how much work the product adds:

- GET /read/<assessment_id>: one query of 15 answer rows rendered by a Jinja template (a table);
- POST /save/<answer_id> with JSON {"base_revision": n, "comment": "..."}: load the answer row,
  check its revision (409 on a mismatch), update it, commit, answer JSON.

No login, sessions, CSRF, translations or scoring: those are what the product adds. SQLite gets the
product's connection settings (WAL, busy timeout, foreign keys) so that writes queue the same way.
"""
import os

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, abort, jsonify, render_template, request
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader


class Base(so.DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Answer(db.Model):
    """The product's `answer` table, mapped with only the columns the anchor reads and writes."""

    __tablename__ = "answer"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    assessment_id: so.Mapped[int]
    question_key: so.Mapped[str]
    value: so.Mapped[str | None]
    comment: so.Mapped[str | None]
    revision: so.Mapped[int]


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Answers of assessment {{ assessment_id }}</title></head>
<body><h1>Answers of assessment {{ assessment_id }}</h1>
<table><thead><tr><th>Question</th><th>Value</th><th>Comment</th><th>Revision</th></tr></thead><tbody>
{% for answer in answers %}<tr><td>{{ answer.question_key }}</td><td>{{ answer.value or "" }}</td>
<td>{{ answer.comment or "" }}</td><td>{{ answer.revision }}</td></tr>
{% endfor %}</tbody></table></body></html>
"""


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.jinja_loader = DictLoader({"page.html": PAGE})
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _sqlite_pragmas)

    @app.get("/read/<int:assessment_id>")
    def read(assessment_id: int):
        answers = db.session.scalars(sa.select(Answer).where(Answer.assessment_id == assessment_id)
                                     .order_by(Answer.id).limit(15)).all()
        return render_template("page.html", assessment_id=assessment_id, answers=answers)

    @app.post("/save/<int:answer_id>")
    def save(answer_id: int):
        payload = request.get_json()
        answer = db.session.get(Answer, answer_id)
        if answer is None:
            abort(404)
        if answer.revision != payload["base_revision"]:
            return jsonify(error="stale", id=answer.id, revision=answer.revision), 409
        answer.comment = str(payload.get("comment", ""))[:1000]
        answer.revision += 1
        db.session.commit()
        return jsonify(id=answer.id, revision=answer.revision, comment=answer.comment)

    return app


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


app = create_app()
