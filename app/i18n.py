"""Language choice: the session's choice, then the user's, then the browser's."""
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user


def select_locale() -> str:
    """The UI language for this request."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the command line speaks the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """The two-letter code of the UI language ("en" or "ru")."""
    return get_locale().language


def localised(texts: dict | None, lang: str | None = None) -> str:
    """Pick a questionnaire text in the UI language, falling back to English."""
    if not texts:
        return ""
    lang = lang or current_language()
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


def register(app: Flask) -> None:
    app.jinja_env.globals.update(current_language=current_language, localised=localised)
