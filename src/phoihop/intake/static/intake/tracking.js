// The feedback confirmation: copy the tracking code, or print the page that shows it.
(function () {
  "use strict";
  var code = document.getElementById("tracking-code");
  var status = document.getElementById("copy-status");
  var copy = document.getElementById("copy-code");
  var print = document.getElementById("print-code");
  if (!code) return;
  if (copy) {
    copy.addEventListener("click", function () {
      var text = code.textContent.trim();
      var done = function () { status.textContent = copy.dataset.copied + ": " + text; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () {
          window.getSelection().selectAllChildren(code);
        });
      } else {
        window.getSelection().selectAllChildren(code);
      }
    });
  }
  if (print) { print.addEventListener("click", function () { window.print(); }); }
})();
