/* Чат поддержки «Билет в будущее»: виджет для сайта и личного кабинета.
 *
 * <script src="https://…/chat/widget.js" data-mode="site|account" data-token="<JWT>" async></script>
 * window.BiletChat.open() / close() / setToken(jwt) / reset()
 *
 * Talks only to the ticketing service that served this file (/chat/api/…), never to Rasa.
 * Everything shown is built with textContent and createElement (no innerHTML), so whatever the
 * bot, a specialist or the user wrote is text; only http(s) and e-mail addresses become links.
 * The conversation (its id, the history and the messages not yet sent) lives in localStorage,
 * one per mode and login, so a reload keeps it and a shared computer does not mix two accounts.
 * After a specialist's answer the server sends what the pupil types to that ticket, not to the bot
 * (``thread`` in its answers); the widget says so above the input and offers «Вернуться к боту».
 */
(function () {
  "use strict";
  if (window.BiletChat && window.BiletChat.version) return;

  var script = document.currentScript || document.querySelector('script[src*="/chat/widget.js"]');
  var BASE = new URL(".", (script && script.src) || location.href).href;
  var SCRIPT_MODE = script && script.getAttribute("data-mode") === "account" ? "account" : "site";
  var MAX_CHARS = 2000;
  var POLL_OPEN = 4000, POLL_IDLE = 15000, POLL_CLOSED = 60000, IDLE_AFTER = 120000;
  var SEND_TIMEOUT = 45000, READ_TIMEOUT = 15000, MAX_HISTORY = 300;
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  var LINK = /(https?:\/\/[^\s<>"«»]+|www\.[^\s<>"«»]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)/gi;
  var T = {
    title: "Поддержка «Билет в будущее»",
    subtitle: "Бот отвечает сразу, специалисты — до конца 3-го рабочего дня",
    open: "Открыть чат поддержки",
    openUnread: "Открыть чат поддержки — есть новое сообщение",
    close: "Закрыть чат",
    log: "Сообщения",
    empty: "Напишите вопрос о проекте — бот ответит сразу, а если нужно, передаст обращение специалистам.",
    input: "Ваше сообщение",
    placeholder: "Напишите сообщение…",
    placeholderThread: "Сообщение специалисту…",
    thread: "Вы пишете специалисту, обращение ",
    threadHint: ". Ответ придёт сюда и на почту.",
    backToBot: "Вернуться к боту",
    send: "Отправить",
    typing: "Бот печатает…",
    choices: "Варианты ответа",
    pending: "ожидает отправки",
    who: { user: "Вы", bot: "Бот", staff: "Специалист" },
    staff: "Ответ специалиста",
    ticket: ", обращение ",
    offline: "Нет связи с ботом. Сообщение сохранено и будет отправлено, как только связь восстановится",
    tooMany: "Слишком много сообщений подряд. Подождите немного — сообщение отправится само.",
    tooLong: function (n) {
      return "Сообщение слишком длинное: " + n + " символов, можно до " + MAX_CHARS + ". Сократите его или разделите на несколько.";
    }
  };

  var memory = {};
  var store = (function () {
    try {
      var probe = "bilet-chat:probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {  // private mode or storage switched off: this page's memory only
      return { getItem: function (k) { return k in memory ? memory[k] : null; },
               setItem: function (k, v) { memory[k] = String(v); },
               removeItem: function (k) { delete memory[k]; } };
    }
  })();

  var token = (script && script.getAttribute("data-token")) || "";
  var mode = token ? "account" : SCRIPT_MODE;
  var state, nodes = {}, ui = null;
  var sending = false, polling = false, retryTimer = null, pollTimer = null, backoff = 0;
  var lastActivity = Date.now();

  // --- identity and storage --------------------------------------------------------------

  function uuid4() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // Only to choose this browser's conversation for the login; the server checks the signature.
  function tokenLogin(jwt) {
    try {
      var part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      while (part.length % 4) part += "=";
      var bytes = Uint8Array.from(atob(part), function (c) { return c.charCodeAt(0); });
      var login = JSON.parse(new TextDecoder().decode(bytes)).login;
      return typeof login === "string" ? login : "";
    } catch (e) {
      return "";
    }
  }

  function storageKey() {
    return "bilet-chat:v1:" + (mode === "account" ? "account:" + (tokenLogin(token) || "-") : "site");
  }

  function fresh() {
    return { conversationId: uuid4(), history: [], next: -1, sent: [], queue: [], session: null,
             open: false, seen: -1, unread: false, active: false, thread: null };
  }

  function load() {
    try {
      var saved = JSON.parse(store.getItem(storageKey()) || "null");
      if (saved && UUID.test(saved.conversationId)) {
        var s = fresh();
        Object.keys(s).forEach(function (k) { if (k in saved) s[k] = saved[k]; });
        return s;
      }
    } catch (e) { /* a broken record starts a new conversation */ }
    return fresh();
  }

  function save() {
    try { store.setItem(storageKey(), JSON.stringify(state)); } catch (e) { /* full: keep going in memory */ }
  }

  // True once the server has (or is about to have) this conversation: only then is it polled.
  function started() {
    return state.active || state.history.length > 0 || state.sent.length > 0 || state.queue.length > 0;
  }

  // --- the server --------------------------------------------------------------------------

  function call(method, path, body, timeout) {
    var ctrl = window.AbortController ? new AbortController() : null;
    var timer = ctrl && setTimeout(function () { ctrl.abort(); }, timeout);
    return fetch(BASE + path, {
      method: method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
      credentials: "same-origin",
      cache: "no-store",
      signal: ctrl ? ctrl.signal : undefined
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        return { status: r.status, data: data || {}, retryAfter: Number(r.headers.get("Retry-After")) || 0 };
      });
    }).finally(function () { if (timer) clearTimeout(timer); });
  }

  function errorText(r, fallback) {
    return (r.data && r.data.error && r.data.error.message) || fallback;
  }

  // Personal account: the token goes once per conversation, before the first message, so the
  // bot already knows the region, login and e-mail and greets the user by name.
  // One request at a time: opening the chat and the first message must not race each other.
  var sessionInFlight = null;

  function ensureSession() {
    if (mode !== "account" || !token) return Promise.resolve();
    var tail = token.slice(-16);
    if (state.session && state.session.tail === tail) return Promise.resolve();
    if (sessionInFlight) return sessionInFlight;
    var conversation = state.conversationId;
    sessionInFlight = call("POST", "api/session", { conversation_id: conversation, token: token }, READ_TIMEOUT)
      .then(function (r) {
        if (r.status === 0 || r.status === 429 || r.status >= 500) throw new Error("session " + r.status);
        if (conversation !== state.conversationId) return;
        state.session = { tail: tail, identified: r.status === 200 && !!r.data.identified };
        if (state.session.identified) state.active = true;
        save();
        return refresh(false).catch(function () {});
      })
      .finally(function () { sessionInFlight = null; });
    return sessionInFlight;
  }

  function refresh(full) {
    var conversation = state.conversationId;
    var after = full ? -1 : state.next;
    var path = "api/history?conversation_id=" + encodeURIComponent(conversation) + "&after=" + after;
    return call("GET", path, null, READ_TIMEOUT).then(function (r) {
      if (r.status !== 200 || conversation !== state.conversationId) return false;
      if (!full && typeof r.data.next === "number" && r.data.next < state.next) return refresh(true);
      setThread(r.data);
      merge(r.data.messages || [], full, r.data.next);
      return true;
    });
  }

  function merge(messages, full, next) {
    if (full) {
      state.history = messages;
    } else {
      var known = {};
      state.history.forEach(function (m) { known[m.id] = true; });
      messages.forEach(function (m) { if (!known[m.id]) state.history.push(m); });
    }
    if (typeof next === "number") state.next = next;
    var confirmed = {};
    state.history.forEach(function (m) { if (m.client_message_id) confirmed[m.client_message_id] = true; });
    state.sent = state.sent.filter(function (s) { return !confirmed[s.cmid]; });
    state.queue = state.queue.filter(function (q) { return !confirmed[q.cmid]; });
    if (state.history.length > MAX_HISTORY) state.history = state.history.slice(-MAX_HISTORY);
    var newest = state.history.reduce(function (top, m) {
      return m.sender !== "user" && m.seq > top ? m.seq : top;
    }, -1);
    if (state.open) state.seen = Math.max(state.seen, newest);
    else if (newest > state.seen) state.unread = true;
    save();
    render();
  }

  // --- sending: a queue in localStorage, resent with the same id until the server has it ----

  function enqueue(item) {
    item.cmid = uuid4();
    state.queue.push(item);
    state.active = true;
    lastActivity = Date.now();
    save();
    render(true);
    pump();
  }

  function dequeue(cmid) {
    state.queue = state.queue.filter(function (q) { return q.cmid !== cmid; });
  }

  function pump() {
    if (sending || !state.queue.length) return;
    clearTimeout(retryTimer);
    retryTimer = null;
    sending = true;
    showTyping(true);
    var item = state.queue[0];
    var conversation = state.conversationId;
    ensureSession().then(function () {
      var body = { conversation_id: conversation, client_message_id: item.cmid };
      if (item.payload) { body.payload = item.payload; body.display = item.display; } else { body.text = item.text; }
      return call("POST", "api/messages", body, SEND_TIMEOUT);
    }).then(function (r) {
      if (conversation !== state.conversationId) return done();
      if (r.status === 200) {
        setThread(r.data);
        dequeue(item.cmid);
        var known = state.history.some(function (m) { return m.client_message_id === item.cmid; });
        if (!known) state.sent.push({ cmid: item.cmid, text: item.display || item.text, replies: r.data.messages || [] });
        backoff = 0;
        notice("");
        done();
        schedulePoll(300);
      } else if (r.status === 413 || r.status === 422 || r.status === 502) {
        dequeue(item.cmid);  // cannot be sent as it is: give the words back to the user
        if (item.text && ui && !ui.input.value) ui.input.value = item.text;
        notice(errorText(r, T.offline));
        done();
      } else if (r.status === 429) {
        fail(errorText(r, T.tooMany), (r.retryAfter || 10) * 1000);
      } else {
        fail(T.offline, r.retryAfter * 1000);
      }
    }, function () { fail(T.offline, 0); });
  }

  function done() {
    sending = false;
    showTyping(false);
    save();
    render(true);
    if (state.queue.length) pump();
  }

  function fail(text, delay) {
    sending = false;
    showTyping(false);
    notice(text);
    backoff = Math.min(backoff ? backoff * 2 : 2000, 30000);
    retryTimer = setTimeout(pump, Math.max(delay || 0, backoff));
    render();
  }

  // --- the specialist's thread: who the pupil's typed messages go to -------------------------

  // The server says it in every answer that knows (``thread``: {ticket} or null); absent — unchanged.
  function setThread(data) {
    if (!data || !("thread" in data)) return;
    var ticket = data.thread && typeof data.thread.ticket === "string" ? data.thread.ticket : null;
    if ((state.thread && state.thread.ticket) === ticket) return;
    state.thread = ticket ? { ticket: ticket } : null;
    save();
    showThread();
  }

  function backToBot() {
    var conversation = state.conversationId;
    ui.back.disabled = true;
    call("POST", "api/back-to-bot", { conversation_id: conversation }, READ_TIMEOUT).then(function (r) {
      ui.back.disabled = false;
      if (conversation !== state.conversationId) return;
      if (r.status !== 200) { notice(errorText(r, T.offline)); return; }
      notice("");
      setThread(r.data);
      refresh(false).catch(function () {});
      ui.input.focus();
    }, function () {
      ui.back.disabled = false;
      notice(T.offline);
    });
  }

  function showThread() {
    if (!ui) return;
    var ticket = state.thread && state.thread.ticket;
    ui.thread.hidden = !ticket;
    ui.threadText.textContent = ticket ? T.thread + ticket + T.threadHint : "";
    ui.input.placeholder = ticket ? T.placeholderThread : T.placeholder;
  }

  // --- polling: staff replies and the action server's notices arrive in the history ---------

  function pollDelay() {
    if (!state.open) return POLL_CLOSED;
    return Date.now() - lastActivity > IDLE_AFTER ? POLL_IDLE : POLL_OPEN;
  }

  function schedulePoll(ms) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(poll, ms);
  }

  function poll() {
    clearTimeout(pollTimer);
    if (document.hidden || !started() || polling) {
      if (!polling) schedulePoll(pollDelay());
      return;
    }
    polling = true;
    refresh(false).catch(function () { return false; }).then(function (reachable) {
      polling = false;
      schedulePoll(pollDelay());
      if (reachable && state.queue.length && !sending) {  // the bot is back: resend now, not after the backoff
        clearTimeout(retryTimer);
        retryTimer = null;
        backoff = 0;
        pump();
      }
    });
  }

  // --- the interface ------------------------------------------------------------------------

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function svg(path) {
    var ns = "http://www.w3.org/2000/svg";
    var icon = document.createElementNS(ns, "svg");
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.setAttribute("aria-hidden", "true");
    icon.setAttribute("focusable", "false");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    icon.appendChild(p);
    return icon;
  }

  function linkify(parent, text) {
    var last = 0, m;
    LINK.lastIndex = 0;
    while ((m = LINK.exec(text))) {
      var raw = m[0].replace(/[.,;:!?)»]+$/, "");
      if (!raw) continue;
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var a = document.createElement("a");
      a.href = /^https?:/i.test(raw) ? raw : /^www\./i.test(raw) ? "https://" + raw : "mailto:" + raw;
      a.textContent = raw;
      a.target = "_blank";
      a.rel = "noopener noreferrer nofollow";
      parent.appendChild(a);
      last = m.index + raw.length;
      LINK.lastIndex = last;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function items() {
    var out = [], used = {}, cmid = null, reply = 0;
    function add(item, fallback) {
      if (used[item.key]) item.key = fallback;
      used[item.key] = true;
      out.push(item);
    }
    state.history.forEach(function (m) {
      var key;
      if (m.sender === "user") {
        cmid = m.client_message_id || null;
        reply = 0;
        key = cmid ? "u:" + cmid : m.id;
      } else {
        key = cmid ? "r:" + cmid + ":" + reply++ : m.id;
      }
      add({ key: key, sender: m.sender, text: m.text, buttons: m.buttons, ticket: m.ticket }, m.id);
    });
    state.sent.forEach(function (s) {
      add({ key: "u:" + s.cmid, sender: "user", text: s.text }, "s:" + s.cmid);
      s.replies.forEach(function (r, i) {
        add({ key: "r:" + s.cmid + ":" + i, sender: r.sender || "bot", text: r.text, buttons: r.buttons }, "p:" + s.cmid + i);
      });
    });
    state.queue.forEach(function (q) {
      add({ key: "u:" + q.cmid, sender: "user", text: q.display || q.text, pending: true }, "q:" + q.cmid);
    });
    return out;
  }

  function fill(node, item) {
    node.textContent = "";
    node.className = "bc-msg bc-" + item.sender;
    node.appendChild(el("span", "bc-sr", (T.who[item.sender] || T.who.bot) + ": "));
    if (item.sender === "staff") {
      node.appendChild(el("p", "bc-label", T.staff + (item.ticket ? T.ticket + item.ticket : "")));
    }
    var text = el("p", "bc-text");
    linkify(text, item.text || "");
    node.appendChild(text);
    if (item.sender === "user") node.appendChild(el("span", "bc-status", T.pending));
    if (item.buttons && item.buttons.length) {
      var group = el("div", "bc-buttons");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", T.choices);
      item.buttons.forEach(function (b) {
        var button = el("button", "bc-choice", b.title);
        button.type = "button";
        button.addEventListener("click", function () {
          enqueue({ payload: b.payload, display: b.title });
          ui.input.focus();
        });
        group.appendChild(button);
      });
      node.appendChild(group);
    }
  }

  // Nodes are kept by key and only added, updated or moved when needed, so the live region
  // announces each new message once.
  function render(forceScroll) {
    if (!ui) return;
    var log = ui.log;
    var nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    var list = items();
    var wanted = {};
    var lastBot = list.length && list[list.length - 1].sender !== "user" ? list.length - 1 : -1;
    list.forEach(function (item, i) {
      var signature = JSON.stringify([item.sender, item.text, item.buttons || null, item.ticket || null]);
      var node = nodes[item.key];
      if (!node) {
        node = nodes[item.key] = el("div");
        fill(node, item);
      } else if (node.getAttribute("data-signature") !== signature) {
        fill(node, item);
      }
      node.setAttribute("data-signature", signature);
      node.classList.toggle("bc-pending", !!item.pending);
      Array.prototype.forEach.call(node.querySelectorAll(".bc-choice"), function (b) {
        b.disabled = i !== lastBot || sending || state.queue.length > 0;
      });
      wanted[item.key] = true;
      if (log.children[i] !== node) log.insertBefore(node, log.children[i] || null);
    });
    Object.keys(nodes).forEach(function (key) {
      if (!wanted[key]) {
        nodes[key].remove();
        delete nodes[key];
      }
    });
    ui.empty.hidden = list.length > 0;
    ui.badge.hidden = !state.unread;
    ui.launcher.setAttribute("aria-label", state.unread ? T.openUnread : T.open);
    if (forceScroll || nearBottom) log.scrollTop = log.scrollHeight;
  }

  function notice(text) {
    if (!ui) return;
    ui.notice.textContent = text || "";
    ui.notice.hidden = !text;
  }

  function showTyping(on) {
    if (ui) ui.typing.hidden = !on;
  }

  function build() {
    var host = el("div");
    host.id = "bilet-chat";
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var css = el("link");
    css.rel = "stylesheet";
    css.href = BASE + "widget.css";
    root.appendChild(css);

    var wrap = el("div", "bc-root");
    var launcher = el("button", "bc-launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-haspopup", "dialog");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "bc-panel");
    launcher.appendChild(svg("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"));
    var badge = el("span", "bc-badge");
    badge.hidden = true;
    launcher.appendChild(badge);

    var panel = el("section", "bc-panel");
    panel.id = "bc-panel";
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-labelledby", "bc-title");
    panel.setAttribute("aria-describedby", "bc-subtitle");

    var head = el("header", "bc-head");
    var titles = el("div");
    var title = el("h2", "bc-title", T.title);
    title.id = "bc-title";
    var subtitle = el("p", "bc-subtitle", T.subtitle);
    subtitle.id = "bc-subtitle";
    titles.appendChild(title);
    titles.appendChild(subtitle);
    var closer = el("button", "bc-close");
    closer.type = "button";
    closer.setAttribute("aria-label", T.close);
    closer.appendChild(svg("M6 6l12 12M18 6L6 18"));
    head.appendChild(titles);
    head.appendChild(closer);

    var noticeBox = el("div", "bc-notice");
    noticeBox.setAttribute("role", "status");
    noticeBox.hidden = true;
    var empty = el("p", "bc-empty", T.empty);
    var log = el("div", "bc-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", T.log);
    log.tabIndex = 0;
    var typing = el("div", "bc-typing");
    typing.setAttribute("role", "status");
    typing.hidden = true;
    var dots = el("span", "bc-dots");
    dots.setAttribute("aria-hidden", "true");
    dots.appendChild(el("i"));
    dots.appendChild(el("i"));
    dots.appendChild(el("i"));
    typing.appendChild(dots);
    typing.appendChild(el("span", "bc-sr", T.typing));

    var thread = el("div", "bc-thread");
    thread.hidden = true;
    var threadText = el("p", "bc-thread-text");
    threadText.setAttribute("role", "status");
    var back = el("button", "bc-back", T.backToBot);
    back.type = "button";
    thread.appendChild(threadText);
    thread.appendChild(back);

    var form = el("form", "bc-form");
    var label = el("label", "bc-sr", T.input);
    label.htmlFor = "bc-input";
    var input = el("textarea", "bc-input");
    input.id = "bc-input";
    input.rows = 1;
    input.placeholder = T.placeholder;
    var counter = el("span", "bc-counter");
    counter.setAttribute("aria-hidden", "true");
    var send = el("button", "bc-send");
    send.type = "submit";
    send.setAttribute("aria-label", T.send);
    send.appendChild(svg("M3 20l18-8L3 4v6l12 2-12 2z"));
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(counter);
    form.appendChild(send);

    [head, noticeBox, empty, log, typing, thread, form].forEach(function (n) { panel.appendChild(n); });
    wrap.appendChild(panel);
    wrap.appendChild(launcher);
    root.appendChild(wrap);
    document.body.appendChild(host);

    ui = { host: host, root: wrap, launcher: launcher, badge: badge, panel: panel, notice: noticeBox,
           empty: empty, log: log, typing: typing, input: input, counter: counter,
           thread: thread, threadText: threadText, back: back };

    launcher.addEventListener("click", function () { if (state.open) close(); else open(); });
    closer.addEventListener("click", close);
    back.addEventListener("click", backToBot);
    panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      submit();
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        submit();
      }
    });
    input.addEventListener("input", function () {
      input.style.height = "auto";
      input.style.height = Math.min(input.scrollHeight, 120) + "px";
      var n = input.value.length;
      counter.textContent = n > MAX_CHARS - 200 ? n + " / " + MAX_CHARS : "";
      counter.classList.toggle("bc-over", n > MAX_CHARS);
      lastActivity = Date.now();
    });
  }

  function submit() {
    var text = ui.input.value.trim();
    if (!text) return;
    if (text.length > MAX_CHARS) {
      notice(T.tooLong(text.length));
      return;
    }
    ui.input.value = "";
    ui.input.style.height = "auto";
    ui.counter.textContent = "";
    if (ui.notice.textContent !== T.offline) notice("");
    enqueue({ text: text });
  }

  function open() {
    state.open = true;
    state.unread = false;
    lastActivity = Date.now();
    var newest = state.history.reduce(function (top, m) { return Math.max(top, m.seq || -1); }, -1);
    state.seen = Math.max(state.seen, newest);
    save();
    ui.panel.hidden = false;
    ui.root.classList.add("bc-is-open");
    ui.launcher.setAttribute("aria-expanded", "true");
    render(true);
    ui.input.focus();
    ensureSession().catch(function () {});
    poll();
  }

  function close() {
    state.open = false;
    save();
    ui.panel.hidden = true;
    ui.root.classList.remove("bc-is-open");
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.focus();
    schedulePoll(POLL_CLOSED);
  }

  // A new conversation for the current mode and login (the old one stays with the bot).
  function switchTo(next) {
    Object.keys(nodes).forEach(function (key) { nodes[key].remove(); });
    nodes = {};
    var wasOpen = state ? state.open : false;
    state = next;
    state.open = wasOpen;
    showThread();
    sending = false;
    showTyping(false);
    notice("");
    save();
    render(true);
    if (state.open) ensureSession().catch(function () {});
    if (started()) refresh(true).catch(function () {});
    pump();
    schedulePoll(pollDelay());
  }

  function setToken(jwt) {
    token = typeof jwt === "string" ? jwt : "";
    mode = token ? "account" : SCRIPT_MODE;
    switchTo(load());
  }

  function reset() {
    store.removeItem(storageKey());
    switchTo(fresh());
  }

  function start() {
    state = load();
    build();
    showThread();
    if (state.open) {
      state.open = false;
      open();
    } else {
      render(true);
    }
    if (started()) refresh(true).catch(function () {});
    if (state.queue.length) pump();
    schedulePoll(pollDelay());
    document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
    window.addEventListener("focus", poll);
    window.addEventListener("online", function () {
      clearTimeout(retryTimer);
      retryTimer = null;
      backoff = 0;
      pump();
      poll();
    });
    window.dispatchEvent(new CustomEvent("biletchat:ready"));
  }

  window.BiletChat = {
    version: "1",
    open: function () { if (ui && !state.open) open(); },
    close: function () { if (ui && state.open) close(); },
    setToken: setToken,
    reset: reset
  };

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
