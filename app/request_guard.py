"""A guard on every request: characters no field may hold, and JSON bodies that are too big or too deep.

Per-field rules (lengths, control characters, number formats) live with each field (app.text, the
forms, app.services.answer_values); this guard makes the KIND of fault impossible everywhere, also in
query strings such as ``?cycle=`` and in fields a view forgets: NUL (PostgreSQL cannot store it) and
lone surrogates answer 400 before any view runs, whatever the database.
"""
from __future__ import annotations

import json

from flask import Flask, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _

from app.text import forbidden

MAX_JSON_BYTES = 256 * 1024
MAX_JSON_DEPTH = 8
MAX_ARG_LENGTH = 2_000


class StrictJSONProvider(DefaultJSONProvider):
    """JSON that refuses NaN/Infinity and never raises RecursionError (a ValueError makes it a 400).

    Numbers stay as json reads them: a float is read back by its shortest representation
    (scoring.numbers.parse_number), which is what a browser (a JavaScript double) meant.
    """

    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_constant", _no_constant)
        try:
            return json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON document is nested too deeply") from None


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number")


def register(app: Flask) -> None:
    app.json = StrictJSONProvider(app)
    app.before_request(_check_request)


def _check_request():
    if _bad_text(request.path) or any(_bad_text(k) or _bad_text(v, MAX_ARG_LENGTH)
                                      for k, v in request.args.items(multi=True)):
        return _refuse()
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        return _check_body()
    return None


def _check_body():
    if request.is_json:
        if (request.content_length or 0) > MAX_JSON_BYTES:
            return _refuse(_("The request is too large."), 413)
        data = request.get_json(silent=True)
        if data is not None and _too_deep(data):
            return _refuse(_("The request could not be understood. Please go back and try again."))
        return None
    if any(_bad_text(k) or _bad_text(v) for k, v in request.form.items(multi=True)):
        return _refuse()
    if any(_bad_text(f.filename or "") for _name, f in request.files.items(multi=True)):
        return _refuse()
    return None


def _bad_text(value: str, limit: int | None = None) -> bool:
    return forbidden(value) or (limit is not None and len(value) > limit)


def _too_deep(data) -> bool:
    """Whether lists/objects nest deeper than MAX_JSON_DEPTH (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def _refuse(message: str | None = None, code: int = 400):
    from app.errors import _titles, _wants_json

    message = message or _("The request contains characters that cannot be stored (a NUL character or "
                           "invalid Unicode). Remove them and try again.")
    title = _titles()[code]
    if _wants_json():
        return jsonify(error=message, message=message), code
    return render_template("errors/error.html", code=code, title=title, message=message), code
