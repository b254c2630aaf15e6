"""plotly.js served by the app itself (no CDN), under a versioned URL with a long cache."""
from pathlib import Path

import plotly
from flask import abort, send_file

from app.dashboard import bp

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
ONE_YEAR = 31536000


@bp.route("/assets/plotly-<version>.min.js")
def plotly_js(version: str):
    """The bundled plotly.min.js; the URL names the plotly package version, so it may be cached for good."""
    if version != plotly.__version__:
        abort(404)
    response = send_file(PLOTLY_JS, mimetype="text/javascript", max_age=ONE_YEAR, conditional=True)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response


def plotly_version() -> str:
    return plotly.__version__
