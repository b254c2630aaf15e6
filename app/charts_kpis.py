"""KPI trends as a Plotly line chart: a number question's values per country over cycles.

The values are answers as stored; the band thresholds of the newest version are drawn as reference
lines so a reader sees which values score what (see app/charts.py for the pattern).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from app.charts import TRACE_COLOURS, _figure, _layout, plain
from app.i18n import localised

if TYPE_CHECKING:  # annotations only: charts read score rows and never score
    import scoring


def band_lines(question: scoring.Question) -> list[tuple[float, str]]:
    """(value, label) of every band bound: "≤ 4: 1 point" style labels in the UI language."""
    lines = {}
    for band in question.bands:
        points = f"{band.points:g}"
        if band.max is not None:
            lines.setdefault(band.max, _("≤ %(value)s: scores %(points)s", value=f"{band.max:g}", points=points))
        if band.min is not None:
            lines.setdefault(band.min, _("≥ %(value)s: scores %(points)s", value=f"{band.min:g}", points=points))
    return sorted(lines.items())


def kpi_trend(points: Sequence, question: scoring.Question, lang: str, title: str = "", subtitle: str = "") -> dict:
    """One line per country over cycles; band bounds as dotted reference lines; the unit on the y axis."""
    cycles = sorted({p.cycle for p in points})
    unit = localised(question.unit, lang)
    grouped: dict[str, list] = {}
    for p in points:
        grouped.setdefault(p.country_name, []).append(p)
    data = []
    for i, (name, pts) in enumerate(grouped.items()):
        colour = TRACE_COLOURS[i % len(TRACE_COLOURS)]
        data.append({"type": "scatter", "mode": "lines+markers", "name": plain(name),
                     "x": [plain(p.cycle) for p in pts], "y": [p.value for p in pts],
                     "customdata": [[p.version] for p in pts], "line": {"color": colour, "width": 2},
                     "marker": {"size": 8},
                     "hovertemplate": "%{x}: %{y:g} " + plain(unit) + "<br>" + _("Version") +
                                      " %{customdata[0]}<extra>%{fullData.name}</extra>"})
    shapes, annotations = [], []
    for value, label in band_lines(question):
        shapes.append({"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": value, "y1": value,
                       "line": {"color": "#6c757d", "width": 1, "dash": "dot"}})
        annotations.append({"xref": "paper", "yref": "y", "x": 1, "y": value, "xanchor": "right", "yanchor": "bottom",
                            "showarrow": False, "font": {"color": "#495057", "size": 10}, "text": label})
    layout = _layout(title, subtitle, height=440, showlegend=True,
                     legend={"orientation": "h", "y": -0.2, "x": 0.5, "xanchor": "center"},
                     xaxis={"type": "category", "categoryorder": "array", "categoryarray": [plain(c) for c in cycles],
                            "title": {"text": _("Cycle")}},
                     yaxis={"title": {"text": plain(unit) or _("Value")}, "gridcolor": "#e3e6ea", "automargin": True,
                            "rangemode": "tozero"},
                     shapes=shapes, annotations=annotations, margin={"l": 60, "r": 30, "t": 90, "b": 50})
    return _figure(data, layout, lang, "kpi-trend")
