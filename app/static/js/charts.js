/*
 * Draws the dashboard figures. Each figure is embedded in the page as JSON
 * (<script type="application/json" id="...-data">, never executed) next to an empty <div data-figure="...-data">;
 * this static script reads it and calls Plotly, so the pages need no inline script (CSP: script-src 'self').
 * The figure's config carries the locale (the UI language) and the PNG download options.
 */
(function () {
  "use strict";

  // The drawing is aria-hidden (the caption and the table carry its content), so nothing in it may take focus:
  // the toolbar stays for the mouse, and the page has an ordinary "Download as PNG" button for the keyboard.
  function unfocusable(target) {
    target.querySelectorAll("button, a[href], input, select, [tabindex]").forEach(function (el) {
      el.setAttribute("tabindex", "-1");
    });
  }

  function draw(target) {
    var source = document.getElementById(target.dataset.figure);
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    var config = figure.config || {};
    config.locale = config.locale || document.documentElement.lang || "en";
    window.Plotly.newPlot(target, figure.data, figure.layout, config).then(function () {
      unfocusable(target);
      target.on("plotly_afterplot", function () { unfocusable(target); });
      target.dataset.drawn = "true";
    });
    var button = document.querySelector(".chart-png[data-chart='" + target.id + "']");
    if (button) {
      button.addEventListener("click", function () {
        var options = config.toImageButtonOptions || {};
        window.Plotly.downloadImage(target, {format: "png", filename: options.filename || target.id,
                                             scale: options.scale || 2});
      });
    }
  }

  if (!window.Plotly) { return; }
  document.querySelectorAll("[data-figure]").forEach(draw);
}());
