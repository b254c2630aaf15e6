"""Static files: versioned URLs cached for a year, pre-compressed copies served to browsers that accept them."""
import gzip
import re

import brotli
import pytest

from app import assets


@pytest.fixture
def compressed(app, tmp_path, monkeypatch):
    """The app's own static files compressed into a temporary directory (plotly.min.js left out: slow)."""
    app.config["COMPRESSED_ASSETS_DIR"] = str(tmp_path / "compressed")
    every = assets.sources(app)
    monkeypatch.setattr(assets, "sources", lambda _app: {k: v for k, v in every.items() if k.startswith("static/")})
    return {name: raw for name, raw, _gz, _br in assets.compress(app)}


def static_url(client, filename: str) -> str:
    from flask import url_for

    with client.application.test_request_context():
        url = url_for("static", filename=filename)
    assert re.fullmatch(rf"/static/{re.escape(filename)}\?v=[0-9a-f]{{12}}", url), url
    return url


def test_static_urls_name_the_file_version_and_may_be_cached_for_a_year(client):
    url = static_url(client, "css/app.css")
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Content-Security-Policy" in response.headers
    response.close()
    unversioned = client.get("/static/css/app.css")
    assert "immutable" not in unversioned.headers.get("Cache-Control", "")
    unversioned.close()


def test_bootstrap_urls_are_versioned_too(client):
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r'/bootstrap/static/css/bootstrap\.min\.css\?v=[0-9a-f]{12}"', html)


@pytest.mark.parametrize("accept, encoding, decode", [("br, gzip", "br", brotli.decompress),
                                                      ("gzip", "gzip", gzip.decompress)])
def test_a_browser_that_accepts_compression_gets_the_precompressed_copy(client, compressed, accept, encoding, decode):
    url = static_url(client, "js/autosave.js")
    response = client.get(url, headers={"Accept-Encoding": accept})
    body = response.get_data()
    response.close()
    assert response.headers["Content-Encoding"] == encoding and "Accept-Encoding" in response.headers["Vary"]
    assert int(response.headers["Content-Length"]) == len(body) < compressed["static/js/autosave.js"]
    with client.application.open_resource("static/js/autosave.js") as f:
        assert decode(body) == f.read()


def test_without_accept_encoding_or_copies_the_file_is_served_as_it_is(client, app, tmp_path):
    app.config["COMPRESSED_ASSETS_DIR"] = str(tmp_path / "nothing-built")
    url = static_url(client, "js/autosave.js")
    for headers in ({}, {"Accept-Encoding": "br, gzip"}):
        response = client.get(url, headers=headers)
        assert "Content-Encoding" not in response.headers
        assert response.get_data().startswith(b"/*")
        response.close()


def test_a_stale_copy_is_not_served(client, compressed, app):
    import os
    from pathlib import Path

    source = Path(app.static_folder) / "js" / "autosave.js"
    with app.app_context():
        copy = assets.compressed_path("static/js/autosave.js", ".br")
    os.utime(copy, ns=(source.stat().st_mtime_ns - 10**9,) * 2)
    response = client.get(static_url(client, "js/autosave.js"), headers={"Accept-Encoding": "br"})
    assert "Content-Encoding" not in response.headers
    response.close()
