// «Có phải bạn muốn phản ánh…?» as the citizen types: the closest public answers and open
// public issues from a small JSON endpoint, asked at most once per pause in typing.
(function () {
  "use strict";
  var box = document.getElementById("hints-live");
  var content = document.getElementById("id_content");
  var seen = document.getElementById("id_seen_hints");
  if (!box || !content || !window.fetch) return;
  var timer = null;
  var last = "";
  var controller = null;
  var WAIT_MS = 500;
  var MIN_CHARS = 12;

  function clear() {
    while (box.firstChild) box.removeChild(box.firstChild);
    box.hidden = true;
    if (seen) seen.value = "";
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function show(hints) {
    clear();
    if (!hints.length) return;
    box.appendChild(el("h2", "", box.dataset.title));
    box.appendChild(el("p", "muted small", box.dataset.intro));
    var list = el("ul", "hint-list");
    hints.forEach(function (h) {
      var item = el("li");
      var link = el("a", "", h.title);
      link.href = h.url;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("span", "badge", h.status));
      if (h.place) {
        item.appendChild(document.createTextNode(" "));
        item.appendChild(el("span", "muted small", h.place));
      }
      if (h.excerpt) item.appendChild(el("p", "muted small", h.excerpt));
      list.appendChild(item);
    });
    box.appendChild(list);
    box.hidden = false;
    // The citizen has seen them: the form need not stop at a second step.
    if (seen) seen.value = "1";
  }

  function ask() {
    var text = content.value.trim();
    if (text === last) return;
    last = text;
    if (text.length < MIN_CHARS) { clear(); return; }
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    var url = box.dataset.url + "?q=" + encodeURIComponent(text.slice(0, 2000));
    fetch(url, { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
      .then(function (r) { return r.ok ? r.json() : { hints: [] }; })
      .then(function (data) { show(data.hints || []); })
      .catch(function () { /* aborted or offline: the form's second step still works */ });
  }

  content.addEventListener("input", function () {
    if (timer) clearTimeout(timer);
    timer = setTimeout(ask, WAIT_MS);
  });
})();
