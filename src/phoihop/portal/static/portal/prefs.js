/* Applies the reader's remembered display preferences before the page paints. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function applyTheme() {
    var theme = stored("phoihop.theme");
    if (theme !== "dark" && theme !== "light") {
      theme = dark && dark.matches ? "dark" : "light";
    }
    root.setAttribute("data-theme", theme);
  }
  applyTheme();
  var font = parseInt(stored("phoihop.font") || "0", 10);
  if (font >= -1 && font <= 3 && font !== 0) {
    root.setAttribute("data-font", String(font));
  }
  // Follow the system setting until the reader chooses explicitly.
  if (dark && dark.addEventListener) {
    dark.addEventListener("change", function () {
      if (!stored("phoihop.theme")) { applyTheme(); }
    });
  }
})();
