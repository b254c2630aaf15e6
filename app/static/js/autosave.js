/*
 * Autosave of assessment answers that tells the truth and loses nothing.
 *
 * Every valid edit is queued in localStorage first, then sent (fetch, CSRF token in a header) with the
 * revision it was based on, one save at a time in page order.
 * - 409: someone else saved meanwhile: both answers are shown and the user chooses.
 * - 400/403/413/422: refused (an invalid value, a link that is not http(s), a text over its limit):
 *   the text stays in the field, the reason is shown next to it, and the header says "not saved".
 * - No answer within 15 seconds, a network failure, 5xx or 429: the edit stays queued and is resent when
 *   the browser comes back online, on the next page load, or every 15 seconds.
 * Numbers are checked here with the server's rules (scoring/numbers.py) before anything is sent:
 * "9,5" is 9.5; "1,500" is refused as ambiguous; at most 15 digits; the question's range.
 * "All changes saved" is shown only when nothing is queued, sending, refused or in conflict; leaving
 * the page warns otherwise.
 */
(function () {
  "use strict";
  var section = document.getElementById("section");
  if (!section || section.dataset.editable !== "true") { return; }
  var assessment = section.dataset.assessment;
  var csrf = document.querySelector("meta[name=csrf-token]").content;
  var statusEl = document.getElementById("save-status");
  var storeKey = "cm:pending:" + assessment;
  var TIMEOUT_MS = window.cmSaveTimeoutMs || 15000;  // a browser test shortens it
  var MAX_DIGITS = 15;
  var timers = {};
  var inFlight = {};
  var conflicts = {};
  var refused = {};  // question key -> {field, message}: edits kept on screen, not stored
  var serverTrouble = false;
  var sessionLost = false;
  var sending = false;

  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }
  function saveQueue(queue) { localStorage.setItem(storeKey, JSON.stringify(queue)); }
  function card(key) { return document.getElementById("q-" + key); }

  function setStatus(state, detail) {
    if (!statusEl) { return; }
    statusEl.dataset.state = state;
    statusEl.textContent = section.dataset["label" + state.charAt(0).toUpperCase() + state.slice(1)] + (detail ? " " + detail : "");
  }

  function unsaved() {
    var queue = loadQueue();
    return sending || Object.keys(inFlight).length > 0 || Object.keys(refused).length > 0 ||
      Object.keys(conflicts).length > 0 || pageOrder().some(function (key) { return queue[key]; });
  }

  function refreshStatus() {
    var queue = loadQueue();
    if (Object.keys(conflicts).length) { setStatus("conflict"); }
    else if (sessionLost) { setStatus("session"); }
    else if (Object.keys(refused).some(function (key) { return !refused[key].quiet; })) { setStatus("refused"); }
    else if (Object.keys(refused).length) { setStatus("saving"); }
    else if (!navigator.onLine || serverTrouble) { setStatus("offline"); }
    else if (sending || pageOrder().some(function (key) { return queue[key]; })) { setStatus("saving"); }
    else { setStatus("saved"); }
  }

  // ---- numbers: the rules of scoring/numbers.py ---------------------------------------------------

  var SPACE = /[ \u00a0\u202f\u2009]/;
  var SPACES = /[ \u00a0\u202f\u2009]/g;
  var PLAIN = /^(\d+)(?:[.,](\d+))?(?:[eE]([+-]?\d{1,9}))?$/;
  var AMBIGUOUS = /^[1-9]\d{0,2}[.,]\d{3}$/;
  var THOUSANDS = /^\d{1,3}(?:[.,]\d{3}){2,}(?:[.,]\d+)?$/;
  var SPACE_GROUPED = /^\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?$/;

  // {value: "9.5"} (canonical, as the server stores it), {value: null} for empty, or {error: reason}.
  function parseNumber(raw, input) {
    var text = raw.trim();
    if (!text) { return { value: null }; }
    if (input.hasAttribute("data-percent") && text.charAt(text.length - 1) === "%") { text = text.slice(0, -1).trim(); }
    if (text.length > 64) { return { error: "not" }; }
    var sign = "";
    if ("+-\u2212".indexOf(text.charAt(0)) !== -1) { sign = text.charAt(0) === "+" ? "" : "-"; text = text.slice(1); }
    if (SPACE.test(text)) {
      if (!SPACE_GROUPED.test(text)) { return { error: "not" }; }
      text = text.replace(SPACES, "");
    }
    var m = PLAIN.exec(text);
    if (!m) { return { error: THOUSANDS.test(text) ? "ambiguous" : "not" }; }
    if (m[3] === undefined && AMBIGUOUS.test(text)) { return { error: "ambiguous" }; }
    var canonical = canonicalOf(m[1] + (m[2] || ""), parseInt(m[3] || "0", 10) - (m[2] || "").length, sign);
    if (canonical === null) { return { error: "digits" }; }
    var number = Number(canonical);
    var min = input.dataset.min, max = input.dataset.max;
    if ((min !== undefined && number < Number(min)) || (max !== undefined && number > Number(max))) { return { error: "range" }; }
    return { value: canonical };
  }

  // digits x 10^exponent as a plain decimal string, or null when it needs more than MAX_DIGITS digits
  function canonicalOf(digits, exponent, sign) {
    digits = digits.replace(/^0+/, "");
    if (!digits) { return "0"; }
    while (digits.length > 1 && digits.charAt(digits.length - 1) === "0") { digits = digits.slice(0, -1); exponent += 1; }
    var integerPlaces = Math.max(digits.length + exponent, 0);
    var decimalPlaces = Math.max(-exponent, 0);
    var leadingZeros = Math.max(-(digits.length + exponent), 0);
    if (integerPlaces + decimalPlaces - leadingZeros > MAX_DIGITS || decimalPlaces > MAX_DIGITS) { return null; }
    var text;
    if (exponent >= 0) { text = digits + new Array(exponent + 1).join("0"); }
    else if (-exponent >= digits.length) { text = "0." + new Array(leadingZeros + 1).join("0") + digits; }
    else { text = digits.slice(0, digits.length + exponent) + "." + digits.slice(digits.length + exponent); }
    return sign + text;
  }

  // ---- reading and writing the fields -------------------------------------------------------------

  // {fields} ready to send, or {field, message} when something must be corrected first.
  function readFields(el) {
    var fields = {};
    var radios = el.querySelectorAll("input[type=radio][data-field=value]");
    if (radios.length) {
      var checked = el.querySelector("input[type=radio][data-field=value]:checked");
      fields.value = checked ? checked.value : null;
    } else {
      var input = el.querySelector("[data-field=value]");
      if (input.hasAttribute("data-number") && !input.disabled) {
        var parsed = parseNumber(input.value, input);
        if (parsed.error) { return { field: "value", message: section.dataset["number" + cap(parsed.error)] }; }
        fields.value = parsed.value;
      } else {
        fields.value = input.value.trim() === "" ? null : input.value.trim();
      }
    }
    var na = el.querySelector("input[data-field=not_applicable]");
    if (na) { fields.not_applicable = na.checked; }
    fields.comment = el.querySelector("[data-field=comment]").value;
    fields.evidence_url = el.querySelector("[data-field=evidence_url]").value.trim();
    var tooLong = Array.prototype.filter.call(el.querySelectorAll("[data-limit]"), function (f) {
      return f.value.length > parseInt(f.dataset.limit, 10);
    })[0];
    if (tooLong) { return { field: tooLong.dataset.field, message: section.dataset.textLong }; }
    return { fields: fields };
  }

  function cap(word) { return word.charAt(0).toUpperCase() + word.slice(1); }

  function writeFields(el, answer) {
    var radios = el.querySelectorAll("input[type=radio][data-field=value]");
    radios.forEach(function (r) { r.checked = (r.value === answer.value); });
    if (!radios.length) { el.querySelector("[data-field=value]").value = answer.value === null || answer.value === undefined ? "" : answer.value; }
    var na = el.querySelector("input[data-field=not_applicable]");
    if (na) { na.checked = !!answer.not_applicable; }
    el.querySelector("[data-field=comment]").value = answer.comment || "";
    el.querySelector("[data-field=evidence_url]").value = answer.evidence_url || "";
    el.querySelectorAll("[data-limit]").forEach(function (f) { if (window.cmUpdateCounter) { window.cmUpdateCounter(f); } });
    applyNa(el);
  }

  function applyNa(el) {
    var na = el.querySelector("input[data-field=not_applicable]");
    var off = !!(na && na.checked);
    el.querySelectorAll("[data-field=value]").forEach(function (i) { i.disabled = off; });
  }

  // ---- refusals, shown next to the field ----------------------------------------------------------

  function showRefusal(key, field, message) {
    var el = card(key);
    refused[key] = { field: field || "value", message: message };
    clearFieldErrors(el);
    var slot = el.querySelector("[data-error-for='" + refused[key].field + "']") || el.querySelector("[data-error-for]");
    var input = el.querySelector("[data-field='" + refused[key].field + "']");
    if (slot) { slot.textContent = message; }
    if (input) { input.setAttribute("aria-invalid", "true"); input.classList.add("is-invalid"); }
    var status = el.querySelector(".question-status");  // short: the reason itself is next to the field
    status.textContent = slot ? section.dataset.labelUnsaved : section.dataset.labelError + " " + message;
    status.classList.add("text-danger");
  }

  function clearRefusal(key) {
    var el = card(key);
    delete refused[key];
    clearFieldErrors(el);
    var status = el.querySelector(".question-status");
    status.textContent = "";
    status.classList.remove("text-danger");
  }

  function clearFieldErrors(el) {
    el.querySelectorAll("[data-error-for]").forEach(function (s) { s.textContent = ""; });
    el.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); i.classList.remove("is-invalid"); });
  }

  // ---- the queue ------------------------------------------------------------------------------------

  // quiet: a number being typed ("1," on the way to "1,5") is not sent and not yet reported as refused
  function queueEdit(key, quiet) {
    var el = card(key);
    var queue = loadQueue();
    var read = readFields(el);
    if (!read.fields) {
      // nothing is sent until the field is corrected; an older queued edit of this answer is superseded
      delete queue[key];
      saveQueue(queue);
      if (quiet) { refused[key] = { field: read.field, message: read.message, quiet: true }; }
      else { showRefusal(key, read.field, read.message); }
      refreshStatus();
      return false;
    }
    var base = queue[key] ? queue[key].base_revision : parseInt(el.dataset.revision, 10);
    queue[key] = { fields: read.fields, base_revision: base };
    saveQueue(queue);
    if (refused[key]) { clearRefusal(key); }
    applySkipLogic();
    refreshStatus();
    return true;
  }

  function describe(answer) {
    if (!answer || (answer.value === null && !answer.not_applicable)) { return section.dataset.labelEmpty; }
    if (answer.not_applicable) { return section.dataset.labelNa; }
    var el = card(answer.question_key);
    var radio = el && el.querySelector("input[type=radio][value='" + CSS.escape(String(answer.value)) + "']");
    var label = radio ? el.querySelector("label[for='" + radio.id + "']").textContent : String(answer.value);
    return label + (answer.comment ? " — " + answer.comment : "");
  }

  function showConflict(key, current, mine) {
    var el = card(key);
    conflicts[key] = current;
    var panel = el.querySelector(".conflict-panel");
    panel.querySelector(".theirs").textContent = describe(current) + (current.updated_by ? " (" + current.updated_by + ")" : "");
    panel.querySelector(".mine").textContent = describe(Object.assign({ question_key: key }, mine));
    panel.classList.remove("d-none");
  }

  function resolveConflict(key, keepMine) {
    var el = card(key);
    var current = conflicts[key];
    delete conflicts[key];
    el.querySelector(".conflict-panel").classList.add("d-none");
    el.dataset.revision = current.revision;
    var queue = loadQueue();
    if (keepMine && queue[key]) {
      queue[key].base_revision = current.revision;
      saveQueue(queue);
      flush();
    } else {
      delete queue[key];
      saveQueue(queue);
      writeFields(el, current);
      applySkipLogic();
    }
    refreshStatus();
  }

  function applyProgress(progress) {
    Object.keys(progress).forEach(function (dim) {
      var badge = document.querySelector(".section-progress[data-dimension='" + dim + "']");
      if (badge) { badge.textContent = progress[dim].percent + " %"; }
    });
    var mine = progress[section.dataset.dimension];
    if (mine) {
      var bar = document.getElementById("section-progress-bar");
      bar.className = "progress-bar pct-" + (Math.floor(mine.percent / 5) * 5);
      bar.parentElement.setAttribute("aria-valuenow", mine.percent);
      document.getElementById("section-progress-text").textContent = section.dataset.labelProgress
        .replace("{answered}", mine.answered).replace("{required}", mine.required);
    }
  }

  // A fetch that gives up after TIMEOUT_MS: a hung request must not hold every later save.
  function post(url, body) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return fetch(url, {
      method: "POST", credentials: "same-origin", signal: controller ? controller.signal : undefined,
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      return (isJson ? response.json() : Promise.resolve({})).then(function (data) {
        clearTimeout(timer);
        return { response: response, isJson: isJson, data: data };
      });
    }, function (error) { clearTimeout(timer); throw error; });
  }

  function send(key, item) {
    inFlight[key] = true;
    var body = Object.assign({ base_revision: item.base_revision }, item.fields);
    return post(card(key).dataset.saveUrl, body).then(function (result) {
      var response = result.response, data = result.data;
      delete inFlight[key];
      var queue = loadQueue();
      var unchangedSince = queue[key] && JSON.stringify(queue[key].fields) === JSON.stringify(item.fields);
      if (response.ok && result.isJson) {
        card(key).dataset.revision = data.answer.revision;
        card(key).classList.remove("carried");
        card(key).querySelectorAll(".carried-badge, .confirm-carried").forEach(function (b) { b.remove(); });
        if (unchangedSince) { delete queue[key]; } else if (queue[key]) { queue[key].base_revision = data.answer.revision; }
        saveQueue(queue);
        if (unchangedSince && refused[key]) { clearRefusal(key); }
        if (data.progress) { applyProgress(data.progress); }  // absent when the save changed nothing
        if (data.hidden) { applyHidden(data.hidden); }
      } else if (response.status === 409) {
        showConflict(key, data.current, queue[key] ? queue[key].fields : item.fields);
      } else if ([400, 403, 413, 422].indexOf(response.status) !== -1 && result.isJson) {
        // Refused for good: the text stays on screen with the reason; it is sent again once edited.
        if (unchangedSince) { delete queue[key]; saveQueue(queue); }
        showRefusal(key, data.field, data.error || data.message || response.statusText);
      } else if (response.status >= 500 || response.status === 429) {
        serverTrouble = true;  // kept in the queue and sent again later
      } else {
        // Logged out (idle timeout) or the form token expired: keep the edit, ask for a new login.
        sessionLost = true;
      }
    }).catch(function () {
      delete inFlight[key];
      serverTrouble = true;  // no answer (network down, server down, or no reply in 15 s): retried later
    });
  }

  // One save at a time, in page order: a question shown by skip logic is saved after the answer
  // that shows it, so the server never sees them in the wrong order.
  function pageOrder() {
    return Array.prototype.map.call(document.querySelectorAll(".question"), function (el) { return el.dataset.key; });
  }

  function flush() {
    if (!navigator.onLine || sessionLost || sending) { refreshStatus(); return; }
    serverTrouble = false;
    var queue = loadQueue();
    var next = pageOrder().filter(function (key) { return queue[key] && !conflicts[key]; })[0];
    if (!next) { refreshStatus(); return; }
    sending = true;
    refreshStatus();
    send(next, queue[next]).then(function () {
      sending = false;
      if (serverTrouble || sessionLost) { refreshStatus(); } else { flush(); }
    });
  }

  function holds(rule, el) {
    if (!el || el.classList.contains("d-none")) { return false; }
    var read = readFields(el);
    if (!read.fields) { return false; }
    var fields = read.fields;
    if (fields.not_applicable || fields.value === null) { return false; }
    if (rule.in) { return rule.in.indexOf(fields.value) !== -1; }
    var x = Number(fields.value), v = rule.value;
    return { "<": x < v, "<=": x <= v, ">": x > v, ">=": x >= v, "==": x === v }[rule.op] === true;
  }

  function applySkipLogic() {
    // Rules point at earlier questions, so one pass in page order settles chains.
    document.querySelectorAll(".question[data-show-if]").forEach(function (el) {
      var rule = JSON.parse(el.dataset.showIf);
      var target = card(rule.question);
      if (!target) { return; }  // the target is in another section: the server decides (applyHidden)
      el.classList.toggle("d-none", !holds(rule, target));
    });
  }

  function applyHidden(hidden) {
    document.querySelectorAll(".question").forEach(function (el) {
      el.classList.toggle("d-none", hidden.indexOf(el.dataset.key) !== -1);
    });
  }

  function onEdit(event) {
    var el = event.target.closest(".question");
    if (!el || !event.target.dataset.field) { return; }
    var key = el.dataset.key;
    if (event.target.dataset.field === "not_applicable") { applyNa(el); }
    clearTimeout(timers[key]);
    var typing = event.type === "input" && event.target.type !== "radio" && event.target.type !== "checkbox";
    var number = typing && event.target.hasAttribute("data-number");
    // a number being typed is reported as refused only when the official pauses or leaves the field
    var queued = queueEdit(key, number);
    timers[key] = setTimeout(function () {
      if (queued) { flush(); } else if (refused[key] && refused[key].quiet) { queueEdit(key, false); }
    }, typing ? 800 : 0);
  }

  section.addEventListener("input", onEdit);
  section.addEventListener("change", onEdit);
  section.addEventListener("click", function (event) {
    var confirm = event.target.closest(".confirm-carried");
    if (confirm) {  // saving the unchanged answer marks it as confirmed by a person
      if (queueEdit(confirm.closest(".question").dataset.key)) { flush(); }
      return;
    }
    var button = event.target.closest(".keep-mine, .take-theirs");
    if (button) { resolveConflict(button.closest(".question").dataset.key, button.classList.contains("keep-mine")); }
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", refreshStatus);
  window.addEventListener("beforeunload", function (event) {
    if (unsaved()) { event.preventDefault(); event.returnValue = ""; }
  });
  setInterval(flush, 15000);

  // Edits that never reached the server (closed tab, lost connection) are put back and resent.
  var pending = loadQueue();
  Object.keys(pending).forEach(function (key) {
    if (card(key)) { writeFields(card(key), Object.assign({ question_key: key }, pending[key].fields)); }
  });
  applySkipLogic();
  flush();
})();
