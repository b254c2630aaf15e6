/*
 * Draws the dashboard figures. Each figure is embedded in the page as JSON
 * (<script type="application/json" id="...-data">, never executed) next to an empty <div data-figure="...-data">;
 * this static script reads it and calls Plotly, so the pages need no inline script (CSP: script-src 'self').
 * The figure's config carries the locale (the UI language) and the PNG download options.
 */
(function () {
  "use strict";

  function draw(target) {
    var source = document.getElementById(target.dataset.figure);
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    var config = figure.config || {};
    config.locale = config.locale || document.documentElement.lang || "en";
    window.Plotly.newPlot(target, figure.data, figure.layout, config).then(function () {
      target.dataset.drawn = "true";
    });
  }

  if (!window.Plotly) { return; }
  document.querySelectorAll("[data-figure]").forEach(draw);
}());
