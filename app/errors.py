"""Error pages that say what happened and leak nothing about the inside."""
from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from app.redirects import local_path


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        403: _("Access denied"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("File too large"),
        429: _("Too many attempts"),
        500: _("Something went wrong"),
    }


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Please go back and try again."),
        403: _("You do not have permission to open this page."),
        404: _("The page you asked for does not exist or is not available to you."),
        405: _("This action is not available here."),
        409: _("Someone else changed this in the meantime."),
        413: _("The file is larger than the allowed maximum."),
        429: _("Too many attempts in a short time. Please wait a minute and try again."),
        500: _("An unexpected error occurred. It has been logged; please try again later."),
    }


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_unexpected)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.is_json or best == "application/json"


def _message(code: int) -> str:
    if code == 413:
        from flask import current_app

        from app.formatting import human_size

        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        if limit:
            return _("The file is larger than the allowed maximum of %(limit)s; nothing was saved. "
                     "Choose a smaller file, or split it into several files.", limit=human_size(limit))
    return _messages()[code]


def _back_link() -> str | None:
    """Where the user came from, when that is a page of this site (so an error page always has a way back)."""
    referrer = request.referrer or ""
    same_page = request.method == "GET" and referrer.rstrip("/") == request.url.rstrip("/")
    if local_path(referrer, request.host_url) and not same_page:
        return referrer  # after a refused POST this is the form itself, shown afresh by GET
    return None


def _render(code: int):
    code = code if code in _titles() else 400 if code < 500 else 500
    if _wants_json():
        return jsonify(error=_titles()[code], message=_message(code)), code
    return render_template("errors/error.html", code=code, title=_titles()[code], message=_message(code),
                           back=_back_link()), code


def _handle_http(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    return _render(error.code)


def _handle_unexpected(error: Exception):
    db.session.rollback()
    from flask import current_app

    current_app.logger.exception("Unhandled exception", exc_info=error)
    if current_app.testing and current_app.config.get("PROPAGATE_TEST_ERRORS", True):
        raise error
    return _render(InternalServerError.code)
