"""Static files as browsers should get them: versioned URLs cached for a year, pre-compressed bodies.

- Every URL of a static file (the app's, Bootstrap's) carries `?v=<hash of the file>`; a response to a
  versioned URL may be cached for a year (`immutable`): a changed file gets a new URL.
- `flask assets compress` (run by `make install`) writes gzip (level 9) and brotli (quality 11) copies
  of the text assets pages load — app/static, the Bootstrap files the base template loads, plotly.min.js —
  into COMPRESSED_ASSETS_DIR. A request whose Accept-Encoding allows it gets the compressed copy
  (Content-Encoding, Vary: Accept-Encoding); nothing is compressed while serving.
  Without the copies the files are served as they are.
"""
from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import click
from flask import Flask, Response, current_app, request
from werkzeug.wsgi import wrap_file

ONE_YEAR = 31536000
#: the endpoints that serve files, and the URL argument that names the file
FILE_ENDPOINTS = {"static": "filename", "bootstrap.static": "filename", "dashboard.plotly_js": None}
COMPRESSIBLE = (".css", ".js", ".svg", ".map", ".json", ".txt")
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
_versions: dict[tuple[str, int, int], str] = {}
#: path -> version, read once per process: the files of a running server change only with a deployment,
#: which restarts it (every page names about ten files; a stat each was measurable per request)
_fixed_versions: dict[str, str] = {}


def register(app: Flask) -> None:
    app.config.setdefault("COMPRESSED_ASSETS_DIR", str(Path(app.root_path).parent / "build" / "compressed"))
    app.url_defaults(_add_version)
    app.after_request(_serve_compressed)
    app.cli.add_command(assets_cli)


# ---- versioned URLs --------------------------------------------------------------------------

def _folder(app: Flask, endpoint: str) -> str | None:
    if endpoint == "static":
        return app.static_folder
    blueprint = app.blueprints.get(endpoint.partition(".")[0])
    return blueprint.static_folder if blueprint is not None else None


def _add_version(endpoint: str, values: dict) -> None:
    version = version_of(current_app, endpoint, values)
    if version:
        values["v"] = version


def version_of(app: Flask, endpoint: str, values: dict) -> str:
    """The `v` a URL of a static file gets ("" for other endpoints, or when the URL names its own)."""
    if FILE_ENDPOINTS.get(endpoint) != "filename" or "v" in values or "filename" not in values:
        return ""
    folder = _folder(app, endpoint)
    if folder is None:
        return ""
    path = os.path.join(folder, values["filename"])
    if app.debug:  # files edited while `flask run --debug` serves them get a new URL at once
        return file_version(path)
    version = _fixed_versions.get(path)
    if version is None:
        version = file_version(path)
        if version:  # a missing file is looked for again
            _fixed_versions[path] = version
    return version


def file_version(path: str) -> str:
    """The first 12 hex digits of the file's sha256 ("" when it does not exist); re-read when it changes."""
    try:
        stat = os.stat(path)
    except OSError:
        return ""
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _versions:
        _versions[key] = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    return _versions[key]


# ---- serving ---------------------------------------------------------------------------------

def _source(endpoint: str, view_args: dict) -> tuple[str, Path] | None:
    """(name of the compressed copy, source file) of a request to a file endpoint."""
    if endpoint == "dashboard.plotly_js":
        from app.dashboard.assets import PLOTLY_JS

        return "plotly/plotly.min.js", PLOTLY_JS
    folder = _folder(current_app, endpoint)
    filename = view_args.get("filename", "")
    if folder is None or not filename.endswith(COMPRESSIBLE):
        return None
    return f"{endpoint}/{filename}", Path(folder) / filename


def _serve_compressed(response: Response) -> Response:
    endpoint = request.endpoint
    if endpoint not in FILE_ENDPOINTS:
        return response
    if request.args.get("v") and response.status_code in (200, 304):
        response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    found = _source(endpoint, request.view_args or {})
    if found is None:
        return response
    response.vary.add("Accept-Encoding")
    if response.status_code != 200:
        return response
    name, source = found
    for encoding, suffix in ENCODINGS:
        copy = compressed_path(name, suffix)
        if request.accept_encodings[encoding] and _fresh(copy, source):
            return _with_body(response, copy, encoding)
    return response


def _with_body(response: Response, copy: Path, encoding: str) -> Response:
    original = response.response
    if hasattr(original, "close"):
        original.close()  # the uncompressed file send_file opened
    response.response = wrap_file(request.environ, copy.open("rb"))
    response.direct_passthrough = True
    response.content_length = copy.stat().st_size
    response.headers["Content-Encoding"] = encoding
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(f"{etag}-{encoding}", weak=weak)
    return response


def compressed_path(name: str, suffix: str) -> Path:
    return Path(current_app.config["COMPRESSED_ASSETS_DIR"]) / f"{name}{suffix}"


def _fresh(copy: Path, source: Path) -> bool:
    try:
        return copy.stat().st_mtime_ns >= source.stat().st_mtime_ns
    except OSError:
        return False


# ---- building the compressed copies ----------------------------------------------------------

def sources(app: Flask) -> dict[str, Path]:
    """Every file to pre-compress, by the name of its copy: app/static, the Bootstrap files the base
    template loads, plotly.min.js."""
    from app.dashboard.assets import PLOTLY_JS

    found = {"plotly/plotly.min.js": PLOTLY_JS}
    static = Path(app.static_folder)
    for path in sorted(static.rglob("*")):
        if path.is_file() and path.name.endswith(COMPRESSIBLE):
            found[f"static/{path.relative_to(static).as_posix()}"] = path
    folder = Path(_folder(app, "bootstrap.static"))
    for filename in _bootstrap_files(app):
        found[f"bootstrap.static/{filename}"] = folder / filename
    return found


def _bootstrap_files(app: Flask) -> list[str]:
    """The Bootstrap files `bootstrap.load_css()` and `load_js()` link (read from their own output)."""
    import re

    bootstrap = app.extensions["bootstrap"]
    with app.test_request_context():
        html = str(bootstrap.load_css()) + str(bootstrap.load_js())
    return re.findall(r'/bootstrap/static/([^"?]+)', html)


def compress(app: Flask) -> list[tuple[str, int, int, int]]:
    """Write the gzip and brotli copies that are missing or older than their source;
    returns (name, bytes, gzip bytes, brotli bytes) per file."""
    import brotli

    report = []
    with app.app_context():
        for name, source in sources(app).items():
            data = source.read_bytes()
            sizes = [len(data)]
            for suffix, squeeze in ((".gz", lambda d: gzip.compress(d, 9, mtime=0)),
                                    (".br", lambda d: brotli.compress(d, quality=11))):
                copy = compressed_path(name, suffix)
                if not _fresh(copy, source):
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    temporary = copy.with_name(copy.name + ".tmp")
                    temporary.write_bytes(squeeze(data))
                    temporary.replace(copy)
                sizes.append(copy.stat().st_size)
            report.append((name, *sizes))
    return report


@click.group("assets", help="Static files: pre-compressed copies.")
def assets_cli() -> None:
    pass


@assets_cli.command("compress")
def compress_command() -> None:
    """Write gzip and brotli copies of the static files into COMPRESSED_ASSETS_DIR."""
    for name, raw, gz, br in compress(current_app._get_current_object()):
        click.echo(f"{name}: {raw:,} bytes, gzip {gz:,}, brotli {br:,}")
