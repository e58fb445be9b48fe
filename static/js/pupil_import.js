// Pupil import: show a progress bar while a file is uploaded and the import is processed.
// Without JavaScript the forms submit as usual.
(function () {
  "use strict";

  function show(form, label) {
    var box = form.querySelector("[data-progress-bar]");
    if (!box) { return null; }
    box.hidden = false;
    if (label) { box.querySelector("[data-progress-label]").textContent = label; }
    return box.querySelector("progress");
  }

  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData) { return; }
      event.preventDefault();
      var bar = show(form);
      var buttons = form.querySelectorAll("button[type=submit]");
      buttons.forEach(function (b) { b.disabled = true; });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.upload.addEventListener("progress", function (e) {
        if (bar && e.lengthComputable) { bar.value = Math.round(e.loaded / e.total * 90); }
      });
      xhr.upload.addEventListener("load", function () {
        // The server now reads and checks every row; the bar waits at the end.
        if (bar) { bar.removeAttribute("value"); }
      });
      xhr.addEventListener("load", function () {
        // Show the page the server answered with (its messages are shown once only), at
        // the address it came from after redirects.
        var url = xhr.responseURL;
        document.open();
        document.write(xhr.responseText);
        document.close();
        if (url && window.history && window.history.replaceState) {
          window.history.replaceState(null, "", url);
        }
      });
      xhr.addEventListener("error", function () { form.submit(); });
      xhr.send(new FormData(form));
    });
  });
}());
