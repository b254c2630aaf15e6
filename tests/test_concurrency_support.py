"""Support for the race tests: a real threaded server on a file SQLite database or PostgreSQL,
HTTP clients with their own sessions, and a barrier that releases concurrent requests together.

No tests here; tests/test_concurrency.py uses it.
"""
from __future__ import annotations

import http.cookiejar
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests.conftest import PASSWORD, make_config


@dataclass
class Live:
    """An app served by a threaded werkzeug server on a free loopback port."""

    app: object
    base: str


def serve(url: str, tmp_path):
    """Create the schema on `url`, start a threaded server; a generator the fixture yields from."""
    app = create_app(make_config(url, tmp_path))
    with app.app_context():
        db.drop_all()
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


class Client:
    """One browser: its own cookie jar (session), logged in as `email`."""

    def __init__(self, base: str, email: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        status, page = self.post_form("/login", {"email": email, "password": PASSWORD})
        assert status == 200 and "Log out" in page, f"login of {email} failed ({status})"

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
        """(status, body) of a request; redirects are followed as a browser does."""
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read().decode()

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        return self.request(path, urllib.parse.urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, path: str, payload: dict) -> tuple[int, dict]:
        status, body = self.request(path, json.dumps(payload).encode(), {"Content-Type": "application/json"})
        try:
            return status, json.loads(body)
        except ValueError:
            return status, {"body": body[:500]}

    def upload(self, path: str, filename: str, content: bytes, content_type: str) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
                f"Content-Type: {content_type}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.request(path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def at_once(calls: list) -> list:
    """Run the callables in threads released together by a barrier; their results in order.

    An exception in a thread is re-raised here, so a crash is never mistaken for a refusal.
    """
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 (reported below, in the test's thread)
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
