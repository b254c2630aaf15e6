/* The country report's "Print or save as PDF" button (no inline script: CSP script-src 'self'). */
(function () {
  "use strict";
  var button = document.getElementById("print-report");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
}());
