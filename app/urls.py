"""URL building without repeating it: a page asks for the same URLs (navigation, static files, links per
row) on every request, and werkzeug's URL building costs more than the rest of a small page's work.

`App.url_for` keeps the URLs it built for requests, by everything the result depends on: the endpoint,
its values, the anchor, the script root of the request, and for static files the file's version (which
app.assets adds as `?v=`). External URLs, URLs with a scheme or method, and URLs built outside a request
are built afresh each time. The rules never change after start-up, so a kept URL stays right.
"""
from __future__ import annotations

from flask import Flask
from flask.globals import _cv_request

#: at most this many URLs are kept; the store is emptied when full (a page builds a few dozen)
LIMIT = 20000


class App(Flask):
    """Flask whose url_for reuses the URLs it built for earlier requests."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._built_urls: dict[tuple, str] = {}

    def url_for(self, /, endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
                _scheme: str | None = None, _external: bool | None = None, **values) -> str:
        request_context = _cv_request.get(None)
        if request_context is None or _external or _scheme is not None or _method is not None:
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                                   _external=_external, **values)
        if endpoint[:1] == ".":
            endpoint = f"{request_context.request.blueprint or ''}{endpoint}".lstrip(".")
        try:
            key = (endpoint, _anchor, request_context.request.script_root, _version(self, endpoint, values),
                   frozenset(values.items()))
            url = self._built_urls.get(key)
        except TypeError:  # a value that cannot be a key (a list for a repeated query argument)
            return super().url_for(endpoint, _anchor=_anchor, **values)
        if url is None:
            url = super().url_for(endpoint, _anchor=_anchor, **values)
            if len(self._built_urls) >= LIMIT:
                self._built_urls.clear()
            self._built_urls[key] = url
        return url


def _version(app: Flask, endpoint: str, values: dict) -> str:
    """The version app.assets puts into a static file's URL (it changes when the file does)."""
    from app import assets

    return assets.version_of(app, endpoint, values)
