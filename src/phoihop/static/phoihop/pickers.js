// Staff pickers: a search box over long agency and commune lists (with or without
// diacritics), and a live warning when a chosen deadline falls on a non-working day.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function searchable(select) {
    if (select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-search";
    box.setAttribute("aria-label", "Tìm nhanh trong danh sách: " + (select.labels && select.labels[0] ? select.labels[0].textContent : ""));
    box.setAttribute("placeholder", "Gõ để tìm (có hoặc không dấu)…");
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      var firstMatch = null;
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var text = fold(option.textContent);
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !match;
        if (match && !firstMatch) firstMatch = option;
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
      });
      if (firstMatch && words.length && select.selectedOptions.length && select.selectedOptions[0].hidden) {
        firstMatch.selected = true;
      }
    });
  }

  function deadlineWarning(input) {
    var days = (input.dataset.nonWorking || "").split(" ").filter(Boolean);
    var note = document.getElementById(input.id + "-note");
    if (!note) return;
    function check() {
      var value = input.value;  // yyyy-mm-dd from the date picker
      if (!value) { note.textContent = ""; return; }
      var day = new Date(value + "T00:00:00");
      var weekday = day.getDay();
      var off = weekday === 0 || weekday === 6 || days.indexOf(value) !== -1;
      note.textContent = off ? "Lưu ý: ngày này là ngày nghỉ (cuối tuần hoặc ngày lễ), không phải ngày làm việc." : "";
    }
    input.addEventListener("change", check);
    input.addEventListener("input", check);
    check();
  }

  function init(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-searchable]"), searchable);
    Array.prototype.forEach.call(root.querySelectorAll("input[data-non-working]"), deadlineWarning);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
