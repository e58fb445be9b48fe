// The page of a document in the making: while it is being made, fetch the page again every
// two seconds and swap in its status, so the progress moves and the download button
// appears without a reload. Without JavaScript the reader reloads the page themselves.
(function () {
  "use strict";
  function poll() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .getElementById("document-status");
        var current = document.getElementById("document-status");
        if (!fresh || !current) { return; }
        current.replaceWith(fresh);
        if (fresh.hasAttribute("data-poll")) { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  var status = document.getElementById("document-status");
  if (status && status.hasAttribute("data-poll")) { window.setTimeout(poll, 2000); }
})();
