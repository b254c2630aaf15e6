/*
 * A visible character counter under every text field that has a limit (data-limit): "120 / 10000",
 * red once the text is over the limit. The limit is not enforced by truncating (a paste would lose
 * text silently): the server refuses an over-long text with a message, and autosave shows it.
 */
(function () {
  "use strict";
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function counterOf(field) {
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/);
    for (var i = 0; i < ids.length; i++) {
      var el = ids[i] && document.getElementById(ids[i]);
      if (el && el.classList.contains("char-count")) { return el; }
    }
    return null;
  }

  function update(field) {
    var counter = counterOf(field);
    if (!counter) { return; }
    var limit = parseInt(field.dataset.limit, 10);
    var length = field.value.length;
    counter.textContent = format.format(length) + " / " + format.format(limit);
    counter.classList.toggle("text-danger", length > limit);
    counter.classList.toggle("fw-semibold", length > limit);
  }

  document.querySelectorAll("[data-limit]").forEach(update);
  document.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.limit) { update(event.target); }
  });
  window.cmUpdateCounter = update;
})();
