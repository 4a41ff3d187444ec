/* Night mode for the staff pages: the choice made here or on the portal (same key), else the
   system's; applied before the page paints, worked by the «Chế độ ban đêm» button. */
(function () {
  "use strict";
  var root = document.documentElement;
  var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function stored() {
    try { return window.localStorage.getItem("phoihop.theme"); } catch (e) { return null; }
  }
  function apply() {
    var theme = stored();
    if (theme !== "dark" && theme !== "light") {
      theme = system && system.matches ? "dark" : "light";
    }
    root.setAttribute("data-theme", theme);
    var button = document.getElementById("theme-toggle");
    if (button) { button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false"); }
  }
  apply();
  if (system && system.addEventListener) {
    system.addEventListener("change", function () { if (!stored()) { apply(); } });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-toggle");
    if (!button) { return; }
    button.hidden = false;
    apply();
    button.addEventListener("click", function () {
      var theme = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
      try { window.localStorage.setItem("phoihop.theme", theme); } catch (e) { /* private mode */ }
      apply();
    });
  });
})();
