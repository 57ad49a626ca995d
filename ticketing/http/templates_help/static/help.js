// Filters the help page as you type, with the same rule as the server's ?q=: every word of
// the query (cut to a stem, so «пароля» finds «пароль») must occur in the question, its answer
// or the ways people ask it (data-search). Without JavaScript the form's ?q= does the same.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var found = document.getElementById("found");
  if (!input) { return; }
  var entries = Array.prototype.slice.call(document.querySelectorAll(".entry"));
  var themes = Array.prototype.slice.call(document.querySelectorAll(".theme"));

  function stems(query) {
    var words = query.toLowerCase().replace(/ё/g, "е").match(/[0-9a-zа-я_]+/g) || [];
    return words.map(function (w) { return w.slice(0, Math.max(4, w.length - 2)); });
  }

  function apply() {
    var wanted = stems(input.value);
    var count = 0;
    entries.forEach(function (entry) {
      var text = entry.getAttribute("data-search") || "";
      var match = wanted.every(function (s) { return text.indexOf(s) !== -1; });
      entry.hidden = !match;
      entry.open = match && wanted.length > 0;
      if (match) { count += 1; }
    });
    themes.forEach(function (theme) {
      theme.hidden = !theme.querySelector(".entry:not([hidden])");
    });
    if (found) {
      found.hidden = wanted.length === 0;
      found.textContent = count ? "Найдено ответов: " + count + "." : "Ничего не нашлось — попробуйте другие слова.";
    }
  }

  input.addEventListener("input", apply);
})();
