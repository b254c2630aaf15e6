"""Stored score rows -> Plotly figure dicts; no scoring of its own.

Every number drawn is a ScoreRow value (index 0..100, level, stage attainment 0..1) exactly as the
engine stored it; this module only arranges them. Figures are plain dicts ({"data", "layout",
"config"}) embedded in the page as JSON and drawn by static/js/charts.js.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from app.formatting import decimal, decimal_mark
from app.i18n import localised
from app.labels import level_name, level_names, numbered_level_name  # noqa: F401  (charts.level_names: pages)
from app.vocabulary import OVERALL, version_key

if TYPE_CHECKING:  # annotations only: charts read score rows and never score
    import scoring

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
#: one colour per level, light (level 0) to dark (top level): the heatmap is ordinal
LEVEL_COLOURS = ("#eef1f5", "#c6dbef", "#6baed6", "#2b7bba", "#08306b", "#041c40")
#: the stage colours of app.css (.stage-paperless ...), for the stage ladder
STAGE_COLOURS = ("#5a6478", "#1f63d6", "#1d7268", "#6a1fb0", "#e76f51", "#264653")
TRACE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                 "#17becf", "#bcbd22", "#7f7f7f")


def overall_rule(questionnaire: scoring.Questionnaire) -> str:
    """One sentence saying how this questionnaire's overall level and index are formed (its `scoring` block).

    Source: DESIGN.md §4 (overall level min | median | mean_floor over dimension levels, dimension-weighted;
    overall index mean | pooled).
    """
    rules = questionnaire.rules
    level = {
        "min": _("The overall level is the lowest dimension level: a country is only as mature as its weakest "
                 "dimension."),
        "median": _("The overall level is the weighted median of the dimension levels (the lower middle one)."),
        "mean_floor": _("The overall level is the weighted mean of the dimension levels, rounded down."),
    }.get(rules.overall_level, "")
    index = {
        "mean": _("The overall index is the weighted mean of the dimension indices."),
        "pooled": _("The overall index is the share of all attainable points achieved, over every dimension."),
    }.get(rules.overall_index, "")
    if not questionnaire.stages:
        return index
    threshold = _("A dimension attains a stage when at least %(threshold)s%% of the stage's weighted points are "
                  "achieved and every earlier stage is attained.",
                  threshold="%g" % (rules.stage_threshold * 100))
    return " ".join(part for part in (threshold, level, index) if part)


def config(lang: str, filename: str) -> dict:
    """Plotly config: the UI language's locale, a PNG download button, no Plotly logo."""
    return {
        "locale": lang, "responsive": True, "displaylogo": False, "displayModeBar": True,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoomIn2d", "zoomOut2d", "sendChartToCloud",
                                   "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian"],
    }


def _layout(title: str, subtitle: str = "", **extra) -> dict:
    # A real subtitle, not "<sub>": plotly.js draws <sub> with a style attribute, which the CSP refuses.
    return {"title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15},
                      "subtitle": {"text": subtitle, "font": {"size": 12, "color": "#5c636a"}}},
            "font": {"family": FONT, "size": 12}, "margin": {"l": 60, "r": 30, "t": 60, "b": 50},
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", **extra}


def _figure(data: list, layout: dict, lang: str, filename: str) -> dict:
    # the decimal mark of the language in plotly's own number formats (hover, axes), as on the page
    layout = {"separators": decimal_mark(lang) + " ", **layout}
    return {"data": data, "layout": layout, "config": config(lang, filename)}


def wrap(text: str, width: int = 16) -> str:
    """Break a long label into lines of about `width` characters with <br> (plotly's line break)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + [line]) if line else "<br>".join(lines)


def _pct(share: float | None) -> float | None:
    return None if share is None else share * 100


def plain(text: str) -> str:
    """Text typed by users (a cycle label) shown literally: plotly.js reads <b>, <a href> and the like as markup."""
    return str(text).replace("<", "&lt;").replace(">", "&gt;")


def _series_name(series, all_series) -> str:
    """A country's name, with its cycle when the compared assessments come from different cycles."""
    if len({s.cycle for s in all_series}) > 1:
        return plain(f"{series.country_name} · {series.cycle}")
    return plain(series.country_name)


# ---- comparison ------------------------------------------------------------------------------

def radar(series: Sequence, questionnaire: scoring.Questionnaire, lang: str, mode: str = "index",
          title: str = "", subtitle: str = "", average=None, average_label: str = "") -> dict:
    """One closed scatterpolar trace per country over the dimensions: indices (0-100) or levels.

    `average` (app.services.dashboard_average.Average) adds a dashed trace named `average_label`: the mean
    of the countries' indices (or levels) per dimension.
    """
    theta = [wrap(localised(d.title, lang), 22) for d in questionnaire.dimensions]
    keys = [d.key for d in questionnaire.dimensions]
    names = level_names(questionnaire, lang)
    data = []
    for i, s in enumerate(series):
        rows = [s.rows.get(k) for k in keys]
        if mode == "level":
            r = [row.level if row else None for row in rows]
            text = [names[v] if v is not None and v < len(names) else "—" for v in r]
            hover = "%{theta}<br>%{text}<extra>%{fullData.name}</extra>"
        else:
            r = [row.index if row else None for row in rows]
            text = [decimal(v, lang=lang) for v in r]
            hover = "%{theta}<br>" + _("Index") + ": %{r:.1f}<extra>%{fullData.name}</extra>"
        colour = TRACE_COLOURS[i % len(TRACE_COLOURS)]
        data.append({"type": "scatterpolar", "name": _series_name(s, series), "r": r + r[:1],
                     "theta": theta + theta[:1], "text": text + text[:1], "mode": "lines+markers",
                     "fill": "toself", "fillcolor": _transparent(colour), "line": {"color": colour, "width": 2},
                     "marker": {"size": 6}, "hovertemplate": hover, "connectgaps": False})
    if average is not None:
        values = average.level if mode == "level" else average.index
        r = [values.get(k) for k in keys]
        text = [decimal(v, lang=lang) for v in r]
        data.append({"type": "scatterpolar", "name": average_label, "r": r + r[:1], "theta": theta + theta[:1],
                     "text": text + text[:1], "mode": "lines", "line": {"color": "#343a40", "width": 2, "dash": "dash"},
                     "hovertemplate": "%{theta}<br>%{text}<extra>%{fullData.name}</extra>", "connectgaps": False})
    radial = ({"range": [0, len(names) - 1], "tickvals": list(range(len(names))), "ticktext": names,
               "dtick": 1} if mode == "level" else {"range": [0, 100]})
    # the radial scale sits between the first two spokes, not on top of the first dimension's label
    angle = 90 - 180 / max(len(theta), 1)
    layout = _layout(title, subtitle, height=600, showlegend=True,
                     legend={"orientation": "h", "y": -0.16, "x": 0.5, "xanchor": "center"},
                     margin={"l": 90, "r": 90, "t": 110, "b": 90},
                     polar={"radialaxis": {**radial, "angle": angle, "tickangle": angle, "tickfont": {"size": 10},
                                           "gridcolor": "#d5d9de"},
                            "angularaxis": {"direction": "clockwise", "tickfont": {"size": 11},
                                            "gridcolor": "#d5d9de"},
                            "bgcolor": "#ffffff"})
    return _figure(data, layout, lang, "radar")


def _transparent(hex_colour: str, alpha: float = 0.06) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def heatmap(series: Sequence, questionnaire: scoring.Questionnaire, lang: str, title: str = "",
            subtitle: str = "") -> dict:
    """Dimensions (and overall) x countries, coloured by level, each cell "<level name><br>index".

    Dimensions are the rows: their long titles (Russian ones above all) fit beside the grid at any width,
    where as column titles they overlapped each other and the subtitle.
    """
    keys = [d.key for d in questionnaire.dimensions] + [OVERALL]
    dimension_names = [wrap(localised(d.title, lang), 30) for d in questionnaire.dimensions] + [_("Overall")]
    names = level_names(questionnaire, lang)
    z, text = [], []
    for key in keys:
        rows = [s.rows.get(key) for s in series]
        z.append([row.level if row else None for row in rows])
        text.append([_cell_text(row, names, lang) for row in rows])
    top = max(len(names) - 1, 1)
    data = [{"type": "heatmap", "x": [wrap(_series_name(s, series), 20) for s in series], "y": dimension_names,
             "z": z, "text": text, "texttemplate": "%{text}", "textfont": {"size": 11},
             "hovertemplate": "%{y} · %{x}<br>%{text}<extra></extra>", "xgap": 2, "ygap": 2,
             "zmin": -0.5, "zmax": top + 0.5, "colorscale": _discrete_scale(top + 1), "showscale": False}]
    # The levels' key as legend entries: plotly.js's colour bar for stepped scales sets style attributes,
    # which the CSP refuses.
    data += [{"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": name, "showlegend": True,
              "hoverinfo": "skip", "marker": {"symbol": "square", "size": 14, "color": LEVEL_COLOURS[i],
                                              "line": {"color": "#9aa4ae", "width": 1}}}
             for i, name in enumerate(names[:len(LEVEL_COLOURS)])]
    layout = _layout(title, subtitle, height=max(340, 190 + 46 * len(keys)),
                     xaxis={"side": "top", "tickangle": 0, "automargin": True, "type": "category",
                            "showgrid": False, "zeroline": False},
                     yaxis={"autorange": "reversed", "automargin": True, "type": "category",
                            "showgrid": False, "zeroline": False},
                     legend={"orientation": "h", "y": -0.02, "yanchor": "top", "title": {"text": _("Level")}},
                     margin={"l": 40, "r": 30, "t": 140, "b": 20})
    return _figure(data, layout, lang, "heatmap")


def _cell_text(row, names: list[str], lang: str) -> str:
    if row is None or (row.level is None and row.index is None):
        return "—"
    name = names[row.level] if row.level is not None and row.level < len(names) else "—"
    index = decimal(row.index, lang=lang)
    return f"{wrap(name, 14)}<br>{index}"


def _discrete_scale(count: int) -> list:
    """A colorscale with one flat band per level (zmin/zmax are set half a step outside)."""
    colours = LEVEL_COLOURS[:count] if count <= len(LEVEL_COLOURS) else LEVEL_COLOURS
    scale = []
    for i in range(count):
        colour = colours[min(i, len(colours) - 1)]
        scale += [[i / count, colour], [(i + 1) / count, colour]]
    return scale


# ---- trends ----------------------------------------------------------------------------------

def version_changes(points: Sequence) -> list[tuple[str, str]]:
    """(cycle, version) where the questionnaire version in use differs from the previous cycle's."""
    by_cycle: dict[str, str] = {}
    for p in points:
        by_cycle[p.cycle] = max(by_cycle.get(p.cycle, p.version), p.version, key=version_key)
    changes, previous = [], None
    for cycle in sorted(by_cycle):
        if previous is not None and by_cycle[cycle] != previous:
            changes.append((cycle, by_cycle[cycle]))
        previous = by_cycle[cycle]
    return changes


def _by_country(points: Sequence) -> dict[tuple[str, str], list]:
    grouped: dict[tuple[str, str], list] = {}
    for p in points:
        grouped.setdefault((p.country_code, p.country_name), []).append(p)
    return grouped


def index_trend(points: Sequence, lang: str, title: str = "", subtitle: str = "") -> dict:
    """The index (0-100) per country over cycles, one line per country, version changes marked."""
    cycles = sorted({p.cycle for p in points})
    data = []
    for i, ((_code, name), pts) in enumerate(_by_country(points).items()):
        colour = TRACE_COLOURS[i % len(TRACE_COLOURS)]
        data.append({"type": "scatter", "mode": "lines+markers", "name": name, "x": [plain(p.cycle) for p in pts],
                     "y": [p.index for p in pts], "customdata": [[p.version] for p in pts],
                     "line": {"color": colour, "width": 2}, "marker": {"size": 8}, "connectgaps": False,
                     "hovertemplate": "%{x}: " + _("Index") + " %{y:.1f}<br>" + _("Version") +
                                      " %{customdata[0]}<extra>%{fullData.name}</extra>"})
    shapes, annotations = _version_markers(points, cycles)
    layout = _layout(title, subtitle, height=440, showlegend=True,
                     legend={"orientation": "h", "y": -0.2, "x": 0.5, "xanchor": "center"},
                     xaxis={"type": "category", "categoryorder": "array", "categoryarray": [plain(c) for c in cycles],
                            "title": {"text": _("Cycle")}},
                     yaxis={"range": [0, 100], "title": {"text": _("Index")}, "gridcolor": "#e3e6ea",
                            "automargin": True},
                     shapes=shapes, annotations=annotations, margin={"l": 60, "r": 30, "t": 110, "b": 50})
    return _figure(data, layout, lang, "trend-index")


def level_trend(points: Sequence, names: Sequence[str], lang: str, title: str = "", subtitle: str = "") -> dict:
    """The level per country over cycles as a grid (countries x cycles) coloured and labelled by level.

    Levels are few whole numbers, so lines of several countries would lie on top of each other; a grid
    keeps every country visible. Version changes are marked as on the index chart.
    """
    cycles = sorted({p.cycle for p in points})
    grouped = _by_country(points)
    z, text = [], []
    for pts in grouped.values():
        at = {p.cycle: p for p in pts}
        z.append([at[c].level if c in at else None for c in cycles])
        text.append([_level_text(at.get(c), names) for c in cycles])
    top = max(len(names) - 1, 1)
    data = [{"type": "heatmap", "x": [plain(c) for c in cycles], "y": [name for _code, name in grouped], "z": z,
             "text": text,
             "texttemplate": "%{text}", "textfont": {"size": 11}, "xgap": 2, "ygap": 2, "showscale": False,
             "hovertemplate": "%{y} · %{x}<br>%{text}<extra></extra>", "zmin": -0.5, "zmax": top + 0.5,
             "colorscale": _discrete_scale(top + 1)}]
    shapes, annotations = _version_markers(points, cycles)
    layout = _layout(title, subtitle, height=max(300, 190 + 50 * len(grouped)),
                     xaxis={"type": "category", "categoryorder": "array", "categoryarray": [plain(c) for c in cycles],
                            "title": {"text": _("Cycle")}, "showgrid": False},
                     yaxis={"autorange": "reversed", "automargin": True, "type": "category", "showgrid": False},
                     shapes=shapes, annotations=annotations, margin={"l": 110, "r": 30, "t": 110, "b": 50})
    return _figure(data, layout, lang, "trend-level")


def _level_text(point, names: Sequence[str]) -> str:
    if point is None or point.level is None:
        return "—" if point is not None else ""
    return names[point.level] if point.level < len(names) else str(point.level)


def _version_markers(points: Sequence, cycles: list[str]) -> tuple[list, list]:
    """A dashed line before each cycle where a new questionnaire version starts, with its label."""
    shapes, annotations = [], []
    for cycle, version in version_changes(points):
        x = cycles.index(cycle) - 0.5
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
                       "line": {"color": "#b5179e", "width": 2, "dash": "dash"}})
        annotations.append({"xref": "x", "yref": "paper", "x": x, "y": 1.02, "showarrow": False,
                            "xanchor": "left", "yanchor": "bottom", "font": {"color": "#b5179e", "size": 11},
                            "text": _("new version %(version)s", version=version)})
    return shapes, annotations


# ---- country profile -------------------------------------------------------------------------

def stage_ladder(rows: dict, questionnaire: scoring.Questionnaire, lang: str, title: str = "",
                 subtitle: str = "") -> dict:
    """Attainment of each stage per dimension (and overall), bars by stage, with the threshold line.

    A stage with no counted question is attained vacuously: it has no bar and says so on hover.
    """
    dims = list(questionnaire.dimensions)
    x = [wrap(localised(d.title, lang), 16) for d in dims] + [_("Overall")]
    keys = [d.key for d in dims] + [OVERALL]
    threshold = questionnaire.rules.stage_threshold * 100
    vacuous = _("no criteria at this stage (counts as attained)")
    data = []
    for i, stage in enumerate(questionnaire.stages):
        shares = [(rows[k].stages or {}).get(stage.key) if k in rows else None for k in keys]
        values = [_pct(s) for s in shares]
        data.append({"type": "bar", "name": localised(stage.label, lang), "x": x, "y": values,
                     "marker": {"color": STAGE_COLOURS[i % len(STAGE_COLOURS)]},
                     # no value labels on the bars: grouped bars are too narrow ("100100"); the table has them
                     "customdata": [vacuous if v is None else decimal(v, "%.1f%%", lang) for v in values],
                     "hovertemplate": "%{x}<br>%{fullData.name}: %{customdata}<extra></extra>"})
    layout = _layout(title, subtitle, height=460, barmode="group", bargap=0.25, showlegend=True,
                     legend={"orientation": "h", "y": -0.25},
                     xaxis={"type": "category", "automargin": True, "tickangle": 0, "tickfont": {"size": 11}},
                     yaxis={"range": [0, 112], "title": {"text": _("Attainment, %")}, "gridcolor": "#e3e6ea"},
                     shapes=[{"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": threshold,
                              "y1": threshold, "line": {"color": "#c1121f", "width": 2, "dash": "dash"}}],
                     annotations=[{"xref": "paper", "yref": "y", "x": 1, "y": threshold, "xanchor": "right",
                                   "yanchor": "bottom", "showarrow": False, "font": {"color": "#c1121f"},
                                   "text": _("Threshold %(value)s%%", value=f"{threshold:g}")}])
    return _figure(data, layout, lang, "stage-ladder")
