"""Language choice: the session's choice, then the user's, then the browser's."""
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
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


def translations():
    """The translations of the request's locale, looked up once per request and locale.

    flask_babel.get_translations() walks its request context, the domain and the locale on every
    call, and a page makes a hundred calls; the templates' `_()` and `ngettext()` come here instead.
    The locale is flask_babel's own (g._flask_babel.babel_locale, set by its first lookup and replaced
    by force_locale), so a forced locale gets its own translations.
    """
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return get_translations()
    found = g.get("_translations_of_locale")
    if found is None or found[0] is not locale:
        found = g._translations_of_locale = (locale, get_translations())
    return found[1]


def register(app: Flask) -> None:
    app.jinja_env.globals.update(current_language=current_language, localised=localised)
    # the i18n extension's callables as flask_babel installs them, with the lookup above
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n))
