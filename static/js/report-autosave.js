// Autosave of a melding's draft: every few seconds after typing, the form is posted in the
// background; nothing typed is lost when the page is left. The submit button still works
// without JavaScript.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var status = form.querySelector("[data-autosave-status]");
  var timer = null;
  function save() {
    timer = null;
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                        headers: {"X-Autosave": "1"}})
      .then(function (response) {
        if (status) {
          status.textContent = response.ok ? "Concept automatisch opgeslagen."
                                           : "Automatisch opslaan lukte niet; sla handmatig op.";
        }
      })
      .catch(function () {
        if (status) { status.textContent = "Automatisch opslaan lukte niet; sla handmatig op."; }
      });
  }
  form.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 1500);
  });
})();
