/* The reader's tools: night mode, font size, print, read aloud (server audio or the
   browser's speech synthesis). Every control is a real button or link. */
(function () {
  "use strict";
  var root = document.documentElement;
  var FONT_MIN = -1, FONT_MAX = 3;
  var FONT_NAMES = { "-1": "90%", "0": "100%", "1": "115%", "2": "130%", "3": "150%" };

  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }
  function announce(text) {
    var region = document.getElementById("reader-status");
    if (region) { region.textContent = text; }
  }

  // Night mode.
  var night = document.getElementById("night-toggle");
  function syncNight() {
    if (!night) { return; }
    night.setAttribute("aria-pressed", root.getAttribute("data-theme") === "dark" ? "true" : "false");
  }
  if (night) {
    syncNight();
    night.addEventListener("click", function () {
      var theme = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", theme);
      store("phoihop.theme", theme);
      syncNight();
      announce(theme === "dark" ? night.getAttribute("data-on") : night.getAttribute("data-off"));
    });
  }

  // Font size -A / A / +A.
  function fontLevel() { return parseInt(root.getAttribute("data-font") || "0", 10); }
  function setFont(level) {
    level = Math.max(FONT_MIN, Math.min(FONT_MAX, level));
    if (level === 0) { root.removeAttribute("data-font"); } else { root.setAttribute("data-font", String(level)); }
    store("phoihop.font", String(level));
    var label = document.getElementById("font-size-group");
    announce((label ? label.getAttribute("data-label") + ": " : "") + FONT_NAMES[String(level)]);
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-font-step]"), function (button) {
    button.addEventListener("click", function () {
      var step = button.getAttribute("data-font-step");
      setFont(step === "reset" ? 0 : fontLevel() + parseInt(step, 10));
    });
  });

  // Print: the link opens a print-friendly page without JavaScript; with it, print at once.
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });

  // Read aloud.
  var read = document.getElementById("read-aloud");
  var player = document.getElementById("reader-player");
  var audio = document.getElementById("reader-audio");
  var speed = document.getElementById("reader-speed");
  if (read && read.getAttribute("data-engine") === "server" && player && audio) {
    read.addEventListener("click", function (event) {
      event.preventDefault();
      player.hidden = false;
      if (!audio.getAttribute("src")) { audio.setAttribute("src", read.getAttribute("href")); }
      var playing = audio.play();
      if (playing && playing.catch) { playing.catch(function () { /* autoplay refused */ }); }
      audio.focus();
    });
    if (speed) {
      speed.addEventListener("change", function () { audio.playbackRate = parseFloat(speed.value); });
      audio.addEventListener("play", function () { audio.playbackRate = parseFloat(speed.value); });
    }
  } else if (read && read.getAttribute("data-engine") === "browser") {
    if (!("speechSynthesis" in window)) {
      read.hidden = true;
    } else {
      var source = document.getElementById(read.getAttribute("data-text"));
      read.addEventListener("click", function (event) {
        event.preventDefault();
        var synth = window.speechSynthesis;
        if (synth.speaking && !synth.paused) { synth.pause(); read.setAttribute("aria-pressed", "false"); return; }
        if (synth.paused) { synth.resume(); read.setAttribute("aria-pressed", "true"); return; }
        var utterance = new SpeechSynthesisUtterance(source ? source.textContent : document.title);
        utterance.lang = "vi-VN";
        utterance.rate = speed ? parseFloat(speed.value) : 1;
        utterance.onend = function () { read.setAttribute("aria-pressed", "false"); };
        read.setAttribute("aria-pressed", "true");
        synth.speak(utterance);
      });
    }
  }
})();

// The «Menu» button on narrow screens opens and closes the header's tools and sections.
(function () {
  "use strict";
  var button = document.getElementById("menu-toggle");
  if (!button) return;
  var header = button.closest(".site-header");
  button.addEventListener("click", function () {
    var open = header.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
  // Escape closes the open menu and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !header.classList.contains("menu-open")) return;
    header.classList.remove("menu-open");
    button.setAttribute("aria-expanded", "false");
    button.focus();
  });
})();
