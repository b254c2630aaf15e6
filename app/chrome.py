"""The page chrome of base.html (head links, navigation bar, user menu, footer), rendered once per kind.

Every page carries the same navigation bar, language switch, user menu and footer; rendering them
through Jinja on each request cost about 2.5 ms, a third of a section page (issue 16). Their text
depends on a few values only — the language, the role, which menu item is active, the user's name,
demo flag and country name, the unread count and the script root — so each kind is rendered once per
process and kept, keyed by exactly those values (a changed name or count is a new key, never a stale
page). The two values that differ on every request, the CSRF token and the path the language switch
returns to, are written into the kept text through slots: a random per-process marker that no
rendered text can contain by chance.
"""
from __future__ import annotations

import secrets

from flask import Flask, current_app, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app.i18n import current_language
from app.services import notifications

_MARK = secrets.token_hex(8)
#: where the request's CSRF token and the language switch's return path go in a kept header
CSRF_SLOT, NEXT_SLOT = f"csrf-{_MARK}", f"next-{_MARK}"

#: kept renderings per application; cleared when it grows past this (a few per role and language are used)
MAX_KEPT = 2048


def _kept(key: tuple, render) -> str:
    kept = current_app.extensions.setdefault("chrome", {})
    text = kept.get(key)
    if text is None:
        if len(kept) >= MAX_KEPT:
            kept.clear()
        text = kept[key] = str(render())
    return text


def page_head() -> Markup:
    """The stylesheet and icon links of <head> (Bootstrap, app.css, favicon)."""
    return Markup(_kept(("head", request.script_root), lambda: render_template("chrome/head.html")))


def page_foot() -> Markup:
    """The footer and the Bootstrap script, in the request's language."""
    return Markup(_kept(("foot", request.script_root, current_language()),
                        lambda: render_template("chrome/foot.html")))


def page_header() -> Markup:
    """The skip link and the navigation bar with the language switch, the bell and the user menu.

    Shape: HTML text; the CSRF token (the one of this request, as Flask-WTF makes it) and the return
    path of the language switch (the request's path and query for GET, else empty) are filled in.
    """
    language = current_language()
    active = (request.endpoint or "").split(".")[0]
    if current_user.is_authenticated:
        unread = notifications.unread_count(current_user)
        user = current_user._get_current_object()
        country = user.country.name(language) if user.country is not None else ""
        who = (user.role, user.name, bool(user.is_demo), country, unread)
    else:
        who = None
    key = ("header", request.script_root, language, active, who)
    text = _kept(key, lambda: render_template("chrome/header.html", active=active, who=who,
                                              csrf_slot=CSRF_SLOT, next_slot=NEXT_SLOT))
    back = request.full_path if request.method == "GET" else ""
    return Markup(text.replace(CSRF_SLOT, str(escape(generate_csrf())))
                  .replace(NEXT_SLOT, str(escape(back))))


def register(app: Flask) -> None:
    app.jinja_env.globals.update(page_head=page_head, page_header=page_header, page_foot=page_foot)
