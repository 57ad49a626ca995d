// The help page as you type: asks /help/search for the answers to the query, best first (the same
// ranking as the page's ?q=, ticketing/domain/help_search.py), and moves them right under the search
// box, the best one open, so on a phone the answer is on the first screen. Tapping a topic chip
// clears the search, so the topic is always there to scroll to. Without JavaScript the form's ?q=
// does the same on the server.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var found = document.getElementById("found");
  var results = document.getElementById("results");
  var nav = document.getElementById("themes");
  if (!input || !results) { return; }
  var entries = Array.prototype.slice.call(document.querySelectorAll(".entry"));
  var themes = Array.prototype.slice.call(document.querySelectorAll(".theme"));
  var byKey = {};
  entries.forEach(function (entry) { byKey[entry.id] = entry; });
  var asked = 0;
  var timer = null;

  // Every entry back in its theme, in the page's order.
  function restore() {
    entries.slice().sort(function (a, b) {
      return Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
    }).forEach(function (entry) {
      var home = document.getElementById(entry.getAttribute("data-theme"));
      if (home) { home.appendChild(entry); }
    });
  }

  function show(query, keys) {
    restore();
    var searching = query.length > 0;
    keys.forEach(function (key, place) {
      var entry = byKey[key];
      if (!entry) { return; }
      results.appendChild(entry);
      entry.open = place === 0;
    });
    results.hidden = !keys.length;
    themes.forEach(function (theme) { theme.hidden = searching; });
    if (nav) { nav.hidden = searching; }
    if (!found) { return; }
    found.hidden = !searching;
    found.textContent = keys.length
      ? "Найдено ответов: " + keys.length + ", лучший — первым."
      : "Ничего не нашлось — попробуйте другие слова или спросите чат-бота.";
    if (searching) {
      var all = document.createElement("a");
      all.href = "/help";
      all.textContent = "Показать все вопросы";
      all.addEventListener("click", function (event) { event.preventDefault(); clear(); });
      found.appendChild(document.createTextNode(" "));
      found.appendChild(all);
    }
  }

  function clear() {
    input.value = "";
    asked += 1;
    entries.forEach(function (entry) { entry.open = false; });
    show("", []);
  }

  function search() {
    var query = input.value.trim();
    var mine = ++asked;
    if (!query) { show("", []); return; }
    fetch("/help/search?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body && mine === asked) { show(query, body.keys || []); } })
      .catch(function () { /* offline: the form still submits ?q= to the server */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  if (nav) {
    nav.addEventListener("click", function (event) {
      if (event.target.closest("a") && input.value.trim()) { clear(); }
    });
  }

  var chat = document.getElementById("open-chat");
  if (chat) {
    chat.hidden = false;
    chat.addEventListener("click", function () {
      if (window.BiletChat) { window.BiletChat.open(); }
    });
  }
})();
