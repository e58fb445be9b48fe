/* The body map of the observation form: a click on the outline adds an injury row at that
   spot, and every injury row (also those added with the keyboard) is drawn as a numbered
   mark. The rows are the real form; the picture is a quicker way to fill them. */
(function () {
  "use strict";

  var map = document.querySelector("[data-bodymap]");
  var form = document.getElementById("observation-form");
  if (!map || !form) { return; }
  var SVG_NS = "http://www.w3.org/2000/svg";
  var WIDTH = 200, HEIGHT = 400;
  var centres = JSON.parse(document.getElementById("bodymap-centres").textContent);
  var rows = form.querySelector("[data-rows=letsels]");
  map.hidden = false;

  // Named zones in outline units; the child's right is on the left of the front view.
  function regionAt(side, x, y) {
    var viewerLeft = x < WIDTH / 2;
    var childRight = side === "voor" ? viewerLeft : !viewerLeft;
    var lr = childRight ? "rechter" : "linker";
    if (y < 71) { return "hoofd"; }
    if (y < 88) { return "hals"; }
    if ((x < 62 || x > 138) && y < 250) { return lr + (y > 224 ? "hand" : "arm"); }
    if (y < 214) {
      if (side === "voor") { return y < 150 ? "borst" : (y < 196 ? "buik" : "bekken"); }
      return y < 150 ? "bovenrug" : (y < 196 ? "onderrug" : "billen");
    }
    return lr + (y > 366 ? "voet" : "been");
  }

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }

  function redraw() {
    map.querySelectorAll(".bodymap__marks").forEach(function (g) { g.textContent = ""; });
    var number = 0;
    rows.querySelectorAll("[data-injury-row]").forEach(function (row) {
      var deleted = field(row, "DELETE");
      var side = field(row, "side").value;
      var region = field(row, "region").value;
      var kind = field(row, "kind").value;
      var x = parseFloat(field(row, "x").value);
      var y = parseFloat(field(row, "y").value);
      if (deleted && deleted.checked) { return; }
      number += 1;
      var label = row.querySelector("[data-injury-number]");
      if (label) { label.textContent = String(number); }
      if (!region && !kind && isNaN(x)) { return; }
      if (isNaN(x) || isNaN(y)) {
        var c = (centres[side] || {})[region];
        if (!c) { return; }
        x = c[0]; y = c[1];
      }
      var svg = map.querySelector("svg[data-side=" + side + "] .bodymap__marks");
      if (!svg) { return; }
      var g = document.createElementNS(SVG_NS, "g");
      g.setAttribute("class", "bodymap__mark");
      var circle = document.createElementNS(SVG_NS, "circle");
      circle.setAttribute("cx", x * WIDTH / 100);
      circle.setAttribute("cy", y * HEIGHT / 100);
      circle.setAttribute("r", "9");
      var text = document.createElementNS(SVG_NS, "text");
      text.setAttribute("x", x * WIDTH / 100);
      text.setAttribute("y", y * HEIGHT / 100);
      text.textContent = String(number);
      g.appendChild(circle);
      g.appendChild(text);
      svg.appendChild(g);
    });
  }

  map.querySelectorAll("svg[data-side]").forEach(function (svg) {
    svg.addEventListener("click", function (event) {
      if (!event.target.classList || !event.target.classList.contains("bodymap__body")) {
        return;
      }
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      var local = point.matrixTransform(svg.getScreenCTM().inverse());
      var side = svg.dataset.side;
      // Reuse the blank row the page starts with, if it is still untouched.
      var row = null;
      rows.querySelectorAll("[data-injury-row]").forEach(function (candidate) {
        var deleted = field(candidate, "DELETE");
        if (!row && !(deleted && deleted.checked) && !field(candidate, "kind").value &&
            !field(candidate, "region").value && !field(candidate, "x").value &&
            !field(candidate, "description").value) {
          row = candidate;
        }
      });
      if (!row) { row = window.meldcodeAddRow("letsels"); }
      field(row, "side").value = side;
      field(row, "region").value = regionAt(side, local.x, local.y);
      field(row, "x").value = (local.x * 100 / WIDTH).toFixed(2);
      field(row, "y").value = (local.y * 100 / HEIGHT).toFixed(2);
      redraw();
      form.dispatchEvent(new CustomEvent("meldcode:changed"));
      field(row, "kind").focus();
    });
  });

  // A region chosen again by hand replaces the click position with the region's centre.
  rows.addEventListener("change", function (event) {
    var name = event.target.name || "";
    if (/-(region|side)$/.test(name)) {
      var row = event.target.closest("[data-injury-row]");
      field(row, "x").value = "";
      field(row, "y").value = "";
    }
    redraw();
  });
  form.addEventListener("meldcode:rows", redraw);
  redraw();
})();
