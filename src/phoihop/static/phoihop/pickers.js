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

  function isoOf(text) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
    if (m) return m[3] + "-" + ("0" + m[2]).slice(-2) + "-" + ("0" + m[1]).slice(-2);
    return /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? text.trim() : "";
  }

  function datePicker(input) {
    if (input.dataset.pickerReady) return;
    input.dataset.pickerReady = "1";
    var hidden = document.createElement("input");
    hidden.type = "date";
    hidden.tabIndex = -1;
    hidden.className = "native-date";
    hidden.setAttribute("aria-hidden", "true");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pick-date";
    button.textContent = "Chọn ngày";
    button.setAttribute("aria-label", "Chọn ngày trên lịch");
    input.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", hidden);
    button.addEventListener("click", function () {
      hidden.value = isoOf(input.value);
      if (hidden.showPicker) { hidden.showPicker(); } else { hidden.focus(); }
    });
    hidden.addEventListener("change", function () {
      var p = hidden.value.split("-");
      if (p.length === 3) {
        input.value = p[2] + "/" + p[1] + "/" + p[0];
        input.dispatchEvent(new Event("input"));
      }
    });
  }

  function deadlineWarning(input) {
    var days = (input.dataset.nonWorking || "").split(" ").filter(Boolean);
    var note = document.getElementById(input.id + "-note");
    if (!note) return;
    function check() {
      var value = isoOf(input.value);
      var off = false;
      if (value) {
        var weekday = new Date(value + "T00:00:00").getDay();
        off = weekday === 0 || weekday === 6 || days.indexOf(value) !== -1;
      }
      var text = off ? "Lưu ý: ngày này là ngày nghỉ (cuối tuần hoặc ngày lễ), không phải ngày làm việc." : "";
      if (note.textContent !== text) note.textContent = text;
    }
    input.addEventListener("input", check);
    check();
  }

  function init(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-searchable]"), searchable);
    Array.prototype.forEach.call(root.querySelectorAll("input[data-date-picker]"), datePicker);
    Array.prototype.forEach.call(root.querySelectorAll("input[data-non-working]"), deadlineWarning);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
