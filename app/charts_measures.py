"""The measures tracker as a Plotly heatmap: measures x countries coloured by measure status.

Every figure is a stored measure result (attainment 0..1, status) as the engine wrote it on the
`_overall` score row; this module only arranges them (see app/charts.py for the pattern).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _

from app.charts import _figure, _layout, plain, wrap
from app.i18n import localised
from app.labels import measure_status_label

if TYPE_CHECKING:  # annotations only: charts read score rows and never score
    import scoring

#: implemented, in progress, not started, no data (colour-blind-safe, dark to light)
STATUS_ORDER = ("implemented", "in_progress", "not_started", "no_data")
STATUS_COLOURS = ("#1b7837", "#f1a340", "#c2185b", "#e9ecef")


def cell_text(cell) -> str:
    """"<status><br><attainment> %" (attainment left out when there is none)."""
    status = str(measure_status_label(cell.status))
    return status if cell.attainment is None else f"{wrap(status, 12)}<br>{cell.attainment * 100:.0f}%"


def measure_matrix(matrix, questionnaire: scoring.Questionnaire, lang: str, title: str = "",
                   subtitle: str = "") -> dict:
    """Rows: the catalogue's measures (id and title); columns: the countries shown."""
    measures = questionnaire.measures
    y = [f"{m.id} {wrap(localised(m.title, lang), 34)}" for m in measures]
    x = [plain(s.country_name) for s in matrix.series]
    z, text = [], []
    for m in measures:
        cells = [matrix.cell(m.id, s.country_code) for s in matrix.series]
        z.append([STATUS_ORDER.index(c.status) for c in cells])
        text.append([cell_text(c) for c in cells])
    scale = []
    for i, colour in enumerate(STATUS_COLOURS):
        scale += [[i / 4, colour], [(i + 1) / 4, colour]]
    data = [{"type": "heatmap", "x": x, "y": y, "z": z, "text": text, "texttemplate": "%{text}",
             "textfont": {"size": 11}, "hovertemplate": "%{y}<br>%{x}: %{text}<extra></extra>", "xgap": 2, "ygap": 2,
             "zmin": -0.5, "zmax": 3.5, "colorscale": scale, "showscale": False}]
    data += [{"type": "scatter", "x": [None], "y": [None], "mode": "markers", "showlegend": True,
              "name": str(measure_status_label(status)), "hoverinfo": "skip",
              "marker": {"symbol": "square", "size": 14, "color": STATUS_COLOURS[i],
                         "line": {"color": "#9aa4ae", "width": 1}}}
             for i, status in enumerate(STATUS_ORDER)]
    layout = _layout(title, subtitle, height=max(320, 200 + 46 * len(measures)),
                     xaxis={"side": "top", "type": "category", "automargin": True, "showgrid": False, "zeroline": False},
                     yaxis={"autorange": "reversed", "automargin": True, "type": "category", "showgrid": False,
                            "zeroline": False},
                     legend={"orientation": "h", "y": -0.02, "yanchor": "top", "title": {"text": _("Status")}},
                     margin={"l": 220, "r": 30, "t": 130, "b": 20})
    return _figure(data, layout, lang, "measures")
