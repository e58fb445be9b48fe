// Autosave of a melding's draft: shortly after typing stops, the form is posted in the
// background, so nothing typed is lost when the page is left. The submit button still
// works without JavaScript. The status texts come translated from the page.
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
          status.textContent = response.ok ? status.dataset.saved : status.dataset.failed;
        }
      })
      .catch(function () {
        if (status) { status.textContent = status.dataset.failed; }
      });
  }
  form.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 1500);
  });
})();
