/*
 * Autosave of assessment answers with no lost update.
 * Every edit is queued in localStorage first, then sent (fetch, CSRF token in a header) with the
 * revision it was based on. 409 = someone else saved meanwhile: both answers are shown and the
 * user chooses. Network failure = "offline": the queue stays in localStorage and is resent when
 * the browser comes back online, on the next page load, or every 15 seconds.
 */
(function () {
  "use strict";
  var section = document.getElementById("section");
  if (!section || section.dataset.editable !== "true") { return; }
  var assessment = section.dataset.assessment;
  var csrf = document.querySelector("meta[name=csrf-token]").content;
  var statusEl = document.getElementById("save-status");
  var storeKey = "cm:pending:" + assessment;
  var timers = {};
  var inFlight = {};
  var conflicts = {};
  var serverTrouble = false;
  var sessionLost = false;

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

  function refreshStatus() {
    var queue = loadQueue();
    if (Object.keys(conflicts).length) { setStatus("conflict"); }
    else if (sessionLost) { setStatus("session"); }
    else if (!navigator.onLine || serverTrouble) { setStatus("offline"); }
    else if (sending || pageOrder().some(function (key) { return queue[key]; })) { setStatus("saving"); }
    else { setStatus("saved"); }
  }

  function readFields(el) {
    var fields = {};
    var radios = el.querySelectorAll("input[type=radio][data-field=value]");
    if (radios.length) {
      var checked = el.querySelector("input[type=radio][data-field=value]:checked");
      fields.value = checked ? checked.value : null;
    } else {
      var input = el.querySelector("[data-field=value]");
      fields.value = input.value.trim() === "" ? null : input.value.trim();
    }
    var na = el.querySelector("input[data-field=not_applicable]");
    if (na) { fields.not_applicable = na.checked; }
    fields.comment = el.querySelector("[data-field=comment]").value;
    fields.evidence_url = el.querySelector("[data-field=evidence_url]").value.trim();
    return fields;
  }

  function writeFields(el, answer) {
    var radios = el.querySelectorAll("input[type=radio][data-field=value]");
    radios.forEach(function (r) { r.checked = (r.value === answer.value); });
    if (!radios.length) { el.querySelector("[data-field=value]").value = answer.value === null ? "" : answer.value; }
    var na = el.querySelector("input[data-field=not_applicable]");
    if (na) { na.checked = !!answer.not_applicable; }
    el.querySelector("[data-field=comment]").value = answer.comment || "";
    el.querySelector("[data-field=evidence_url]").value = answer.evidence_url || "";
    applyNa(el);
  }

  function applyNa(el) {
    var na = el.querySelector("input[data-field=not_applicable]");
    var off = !!(na && na.checked);
    el.querySelectorAll("[data-field=value]").forEach(function (i) { i.disabled = off; });
  }

  function queueEdit(key) {
    var el = card(key);
    var queue = loadQueue();
    var base = queue[key] ? queue[key].base_revision : parseInt(el.dataset.revision, 10);
    queue[key] = { fields: readFields(el), base_revision: base };
    saveQueue(queue);
    applySkipLogic();
    refreshStatus();
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

  function showError(key, message) {
    var status = card(key).querySelector(".question-status");
    status.textContent = message ? section.dataset.labelError + " " + message : "";
    status.classList.toggle("text-danger", !!message);
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

  function send(key, item) {
    inFlight[key] = true;
    var body = Object.assign({ base_revision: item.base_revision }, item.fields);
    return fetch(card(key).dataset.saveUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      return (isJson ? response.json() : Promise.resolve({})).then(function (data) {
        delete inFlight[key];
        var queue = loadQueue();
        var unchangedSince = queue[key] && JSON.stringify(queue[key].fields) === JSON.stringify(item.fields);
        if (response.ok && isJson) {
          card(key).dataset.revision = data.answer.revision;
          card(key).classList.remove("carried");
          card(key).querySelectorAll(".carried-badge, .confirm-carried").forEach(function (b) { b.remove(); });
          if (unchangedSince) { delete queue[key]; } else if (queue[key]) { queue[key].base_revision = data.answer.revision; }
          saveQueue(queue);
          showError(key, "");
          applyProgress(data.progress);
          applyHidden(data.hidden);
        } else if (response.status === 409) {
          showConflict(key, data.current, queue[key] ? queue[key].fields : item.fields);
        } else if (response.status === 422 || response.status === 403) {
          // Refused for good (invalid value, locked assessment): keep the text on screen, not in the queue.
          if (unchangedSince) { delete queue[key]; saveQueue(queue); }
          showError(key, data.error || response.statusText);
        } else if (response.status >= 500 || response.status === 429) {
          serverTrouble = true;  // kept in the queue and sent again later
        } else {
          // Logged out (idle timeout) or the form token expired: keep the edit, ask for a new login.
          sessionLost = true;
        }
      });
    }).catch(function () {
      delete inFlight[key];
      serverTrouble = true;  // no answer at all: the network or the server is down; retried later
    });
  }

  // One save at a time, in page order: a question shown by skip logic is saved after the answer
  // that shows it, so the server never sees them in the wrong order.
  var sending = false;

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
    var fields = readFields(el);
    if (fields.not_applicable || fields.value === null) { return false; }
    if (rule.in) { return rule.in.indexOf(fields.value) !== -1; }
    var x = parseFloat(fields.value), v = rule.value;
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
    queueEdit(key);
    var typing = event.type === "input" && event.target.type !== "radio" && event.target.type !== "checkbox";
    timers[key] = setTimeout(flush, typing ? 800 : 0);
  }

  section.addEventListener("input", onEdit);
  section.addEventListener("change", onEdit);
  section.addEventListener("click", function (event) {
    var confirm = event.target.closest(".confirm-carried");
    if (confirm) {  // saving the unchanged answer marks it as confirmed by a person
      queueEdit(confirm.closest(".question").dataset.key);
      flush();
      return;
    }
    var button = event.target.closest(".keep-mine, .take-theirs");
    if (button) { resolveConflict(button.closest(".question").dataset.key, button.classList.contains("keep-mine")); }
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", refreshStatus);
  window.addEventListener("beforeunload", function (event) {
    if (Object.keys(inFlight).length) { event.preventDefault(); }
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
