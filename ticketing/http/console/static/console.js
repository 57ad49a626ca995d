// The console's only script: live queues over server-sent events (with a polling fallback),
// the scenario picker, confirmations. Everything works without it except the live updates.
(function () {
  "use strict";
  var POLL_MS = 15000;

  function liveQueue(section) {
    var url = section.getAttribute("data-live-url");
    var status = document.getElementById("live-status");
    var timer = null, pending = false, polling = null;

    function refresh(number) {
      if (pending) return;
      pending = true;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          var before = {};
          section.querySelectorAll("tr[data-number]").forEach(function (tr) { before[tr.dataset.number] = true; });
          section.innerHTML = html;
          section.querySelectorAll("tr[data-number]").forEach(function (tr) {
            if (!before[tr.dataset.number]) tr.classList.add("fresh");
          });
          if (number && status) status.textContent = "Обновлено: " + number + " (" + new Date().toLocaleTimeString("ru-RU") + ")";
        })
        .catch(function () { if (status) status.textContent = "Не удалось обновить очередь; повторим."; })
        .then(function () { pending = false; });
    }

    function schedule(number) {
      clearTimeout(timer);
      timer = setTimeout(function () { refresh(number); }, 300);
    }

    function startPolling() {
      if (!polling) polling = setInterval(function () { refresh(null); }, POLL_MS);
    }

    if (!window.EventSource) { startPolling(); return; }
    var source = new EventSource("/console/events");
    source.addEventListener("ticket", function (e) {
      var data = {};
      try { data = JSON.parse(e.data); } catch (err) { /* ignore a broken frame */ }
      schedule(data.number || "");
    });
    source.addEventListener("open", function () {
      if (polling) { clearInterval(polling); polling = null; }
    });
    source.addEventListener("error", function () {
      // The browser reconnects by itself; meanwhile (or if it gives up) poll.
      startPolling();
    });
  }

  function liveTicket(box) {
    if (!window.EventSource) return;
    var number = box.getAttribute("data-number");
    var me = box.getAttribute("data-me");
    var note = document.getElementById("ticket-changed");
    var source = new EventSource("/console/events");
    source.addEventListener("ticket", function (e) {
      var data = {};
      try { data = JSON.parse(e.data); } catch (err) { return; }
      if (data.number !== number || data.actor === me || !note) return;
      note.hidden = false;
      note.textContent = "";
      note.appendChild(document.createTextNode("Обращение изменил(а) " + (data.actor_ru || data.actor) + ". "));
      var a = document.createElement("a");
      a.href = window.location.pathname;
      a.textContent = "Обновить страницу";
      note.appendChild(a);
    });
  }

  function scenarioPickers() {
    document.querySelectorAll("select[data-scenario-target]").forEach(function (select) {
      select.addEventListener("change", function () {
        var target = document.getElementById(select.getAttribute("data-scenario-target"));
        if (!target || !select.value) return;
        target.value = target.value.trim() ? target.value.replace(/\s+$/, "") + "\n\n" + select.value : select.value;
        target.focus();
      });
    });
  }

  function confirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var queue = document.getElementById("queue-live");
    if (queue) liveQueue(queue);
    var ticket = document.getElementById("ticket");
    if (ticket) liveTicket(ticket);
    scenarioPickers();
    confirmations();
  });
})();
