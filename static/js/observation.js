/* The observation form: saves the draft while typing, adds statement and injury rows,
   shows the panel that belongs to the chosen origin and filters the signal list.
   The form works without this script; this only makes it quicker and safer. */
(function () {
  "use strict";

  var form = document.getElementById("observation-form");
  if (!form) { return; }
  var DEBOUNCE_MS = 1500;
  var statusEl = document.getElementById("autosave-status");
  var draftInput = form.querySelector("input[name=concept]");
  var timer = null;
  var inFlight = null;
  var dirty = false;

  // A draft shown after a refused submit lives at its own address: a reload or "back"
  // must come back to it, not to an empty form that would start a second draft.
  if (form.dataset.editUrl && window.location.pathname !== form.dataset.editUrl &&
      window.history && window.history.replaceState) {
    window.history.replaceState(null, "", form.dataset.editUrl);
  }

  function payload() {
    var data = new FormData(form);
    data.delete("bijlagen");
    data.delete("actie");
    return data;
  }

  function say(message) {
    if (statusEl) { statusEl.textContent = message; }
  }

  function save() {
    timer = null;
    if (inFlight) { dirty = true; return inFlight; }
    dirty = false;
    inFlight = fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok && result.body.saved) {
        draftInput.value = result.body.id;
        form.action = result.body.edit_url;
        if (window.history && window.history.replaceState) {
          window.history.replaceState(null, "", result.body.edit_url);
        }
      }
      say(result.body.message);
    }).catch(function () {
      say(form.dataset.offlineMessage);
    }).then(function () {
      inFlight = null;
      if (dirty) { schedule(); }
    });
    return inFlight;
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, DEBOUNCE_MS);
  }

  function changed(event) {
    if (event.target && event.target.type === "file") { return; }
    if (event.target && event.target.id === "signal-search") { return; }
    schedule();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("meldcode:changed", schedule);

  // Closing the tab must not lose what was typed since the last save.
  function flush() {
    // Typed during a running save (dirty) counts too; a first save still under way has no
    // draft id yet, and a beacon then would create a second draft.
    if (!timer && !dirty) { return; }
    if (inFlight && !draftInput.value) { return; }
    clearTimeout(timer);
    timer = null;
    dirty = false;
    if (navigator.sendBeacon) {
      navigator.sendBeacon(form.dataset.autosaveUrl, payload());
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flush(); }
  });
  window.addEventListener("pagehide", flush);

  // A submit while a first save is still running would otherwise create a second draft;
  // a second click on "Vastleggen" would post a draft that no longer exists.
  var submitting = false;
  form.addEventListener("submit", function (event) {
    if (timer) { clearTimeout(timer); timer = null; }
    if (submitting) { event.preventDefault(); return; }
    if (inFlight) {
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () {
        if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
      });
      return;
    }
    submitting = true;
  });
  window.addEventListener("pageshow", function () { submitting = false; });

  // Enter in a one-line field would press the first button of the form; the draft is
  // saved anyway, so Enter does nothing there.
  form.addEventListener("keydown", function (event) {
    var t = event.target;
    if (event.key === "Enter" && t.tagName === "INPUT" && t.type !== "submit" &&
        t.type !== "checkbox" && t.type !== "radio" && t.type !== "file") {
      event.preventDefault();
    }
  });

  // --- Origin: show the source fields or the disclosure advice --------------------------
  var panels = form.querySelectorAll("[data-origin-panel]");
  function showOrigin() {
    var checked = form.querySelector("input[name=origin]:checked");
    var value = checked ? checked.value : "";
    panels.forEach(function (panel) { panel.hidden = panel.dataset.originPanel !== value; });
  }
  form.querySelectorAll("input[name=origin]").forEach(function (radio) {
    radio.addEventListener("change", showOrigin);
  });
  showOrigin();

  // --- Signal search -------------------------------------------------------------------
  var searchBox = form.querySelector("[data-signal-search]");
  if (searchBox) {
    searchBox.hidden = false;
    var input = searchBox.querySelector("input");
    var count = document.getElementById("signal-search-count");
    var normal = function (text) {
      return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    };
    input.addEventListener("input", function () {
      var words = normal(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      form.querySelectorAll("[data-signal-category]").forEach(function (category) {
        var any = false;
        category.querySelectorAll("[data-signal-option]").forEach(function (option) {
          var text = normal(option.textContent);
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          option.hidden = !match;
          if (match) { any = true; shown += 1; }
        });
        category.hidden = !any;
        // A folded category opens while its signals match the search, and folds again
        // afterwards unless the user opened it (or chose in it) themselves.
        if (category.tagName === "DETAILS") {
          if (words.length) {
            if (!("wasOpen" in category.dataset)) {
              category.dataset.wasOpen = category.open ? "1" : "";
            }
            category.open = any;
          } else if ("wasOpen" in category.dataset) {
            category.open = category.dataset.wasOpen === "1" ||
              !!category.querySelector("input:checked");
            delete category.dataset.wasOpen;
          }
        }
      });
      form.querySelectorAll(".signal-block").forEach(function (block) {
        block.hidden = !block.querySelector("[data-signal-category]:not([hidden])");
      });
      var found = shown === 1 ? searchBox.dataset.foundOne : searchBox.dataset.foundMany;
      count.textContent = words.length ? found.replace("%(n)s", String(shown)) : "";
    });
  }

  // --- Adding rows (statements, injuries) -----------------------------------------------
  function addRow(prefix, values) {
    var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-template");
    var container = form.querySelector("[data-rows=" + prefix + "]");
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement(container.tagName === "OL" ? "ol" : "div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    container.appendChild(row);
    total.value = String(index + 1);
    Object.keys(values || {}).forEach(function (name) {
      var field = row.querySelector("[name=" + prefix + "-" + index + "-" + name + "]");
      if (field) { field.value = values[name]; }
    });
    form.dispatchEvent(new CustomEvent("meldcode:rows", { detail: { prefix: prefix, row: row } }));
    return row;
  }
  window.meldcodeAddRow = addRow;

  form.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var row = addRow(button.dataset.addRow);
      var first = row.querySelector("textarea, select, input:not([type=hidden])");
      if (button.dataset.addRow === "uitspraken") { first = row.querySelector("textarea"); }
      if (button.dataset.addRow === "letsels") { first = row.querySelector("select"); }
      if (first) { first.focus(); }
    });
  });
})();
