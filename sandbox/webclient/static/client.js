// The demo's Telegram-like client: people on the left, one conversation on the right, kept live by
// long polling /api/chat. Everything a person does goes through the sandbox's user side.
"use strict";

const $ = (id) => document.getElementById(id);
const COLORS = ["#2a7ab8", "#b8562a", "#3a8a3f", "#8a3aa0", "#a07a1a", "#2a8a8a"];

const state = {
  bot: null,
  personas: [],
  groups: [],
  chatId: null, // the open conversation
  viewer: null, // whose eyes (a private chat: its person; a group: the chosen speaker)
  version: "",
  messages: [],
  menu: null,
  commands: [],
  replyTo: null,
  poll: null, // AbortController of the running long poll
  generation: 0,
};

function persona(id) {
  return state.personas.find((p) => p.id === id);
}

function colorOf(id) {
  return COLORS[Math.abs(Number(id)) % COLORS.length];
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  let data;
  try {
    data = await response.json();
  } catch (e) {
    throw new Error("réponse illisible du serveur de démo");
  }
  if (!data.ok) throw new Error(data.error || "erreur");
  return data.result;
}

let toastTimer = null;
function toast(text, kind) {
  const box = $("toast");
  box.textContent = text;
  box.className = "toast" + (kind ? " " + kind : "");
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, kind === "alert" ? 6000 : 3500);
}

function setStatus(text) {
  const box = $("status");
  box.textContent = text || "";
  box.hidden = !text;
}

// --- the list --------------------------------------------------------------------------------

function avatar(letter, id) {
  const el = document.createElement("div");
  el.className = "avatar";
  el.textContent = letter;
  el.style.background = colorOf(id);
  el.setAttribute("aria-hidden", "true");
  return el;
}

function chatItem(chatId, name, label, avatarId) {
  const item = document.createElement("button");
  item.type = "button";
  item.className = "chat-item";
  item.dataset.chatId = String(chatId);
  item.append(avatar(name.charAt(0), avatarId));
  const who = document.createElement("span");
  who.className = "who";
  const n = document.createElement("span");
  n.className = "name";
  n.textContent = name;
  const l = document.createElement("span");
  l.className = "label";
  l.textContent = label;
  who.append(n, l);
  item.append(who);
  item.addEventListener("click", () => openChat(chatId));
  return item;
}

function renderList() {
  const nav = $("chats");
  nav.replaceChildren();
  const people = document.createElement("p");
  people.className = "list-section";
  people.textContent = "Conversations privées avec le bot";
  nav.append(people);
  for (const p of state.personas) nav.append(chatItem(p.id, p.first_name, p.label, p.id));
  if (state.groups.length) {
    const groups = document.createElement("p");
    groups.className = "list-section";
    groups.textContent = "Groupes";
    nav.append(groups);
    for (const g of state.groups) nav.append(chatItem(g.id, g.title, "Groupe de la ville, avec le bot", g.id));
  }
}

// --- one conversation ------------------------------------------------------------------------

function isGroup(chatId) {
  return chatId < 0;
}

function groupOf(chatId) {
  return state.groups.find((g) => g.id === chatId);
}

function openChat(chatId) {
  state.chatId = chatId;
  state.replyTo = null;
  state.version = "";
  state.messages = [];
  $("replying").hidden = true;
  $("commands").hidden = true;
  for (const item of document.querySelectorAll(".chat-item")) {
    item.setAttribute("aria-current", item.dataset.chatId === String(chatId) ? "true" : "false");
  }
  const head = $("chat-avatar");
  if (isGroup(chatId)) {
    const group = groupOf(chatId);
    const members = state.personas.filter((p) => group.members.includes(p.id));
    if (!members.some((p) => p.id === state.viewer)) state.viewer = members.length ? members[0].id : null;
    const select = $("speaker");
    select.replaceChildren();
    for (const p of members) {
      const option = document.createElement("option");
      option.value = String(p.id);
      option.textContent = p.first_name + " — " + p.label;
      select.append(option);
    }
    select.value = String(state.viewer);
    $("speaker-row").hidden = false;
    $("chat-name").textContent = group.title;
    $("chat-sub").textContent = members.length + " membres et le bot @" + state.bot.username;
    head.textContent = group.title.charAt(0);
  } else {
    const p = persona(chatId);
    state.viewer = chatId;
    $("speaker-row").hidden = true;
    $("chat-name").textContent = p.first_name + " et le bot";
    $("chat-sub").textContent = "Conversation privée avec @" + state.bot.username;
    head.textContent = p.first_name.charAt(0);
  }
  head.style.background = colorOf(chatId);
  $("foot").hidden = false;
  document.body.classList.add("chat-open");
  history.replaceState(null, "", "#chat=" + chatId);
  $("messages").replaceChildren();
  startPolling();
  $("composer-input").focus({preventScroll: true});
}

function closeChat() {
  document.body.classList.remove("chat-open");
}

function startPolling() {
  if (state.poll) state.poll.abort();
  const generation = ++state.generation;
  const controller = new AbortController();
  state.poll = controller;
  (async () => {
    let failures = 0;
    while (generation === state.generation) {
      const params = new URLSearchParams({chat_id: state.chatId, user_id: state.viewer});
      if (state.version) params.set("since", state.version);
      try {
        const response = await fetch("/api/chat?" + params, {signal: controller.signal});
        const data = await response.json();
        if (generation !== state.generation) return;
        if (!data.ok) throw new Error(data.error);
        failures = 0;
        setStatus("");
        if (data.result.version !== state.version) show(data.result);
      } catch (error) {
        if (controller.signal.aborted) return;
        failures += 1;
        setStatus("Connexion à la démo perdue : nouvel essai dans quelques secondes… " +
          "(la démo tourne-t-elle toujours dans le terminal ?)");
        await new Promise((resolve) => setTimeout(resolve, Math.min(10000, 1000 * failures)));
      }
    }
  })();
}

// Messages are kept by id and only a changed one is drawn again: an edit flashes in place, and
// whatever the person is pointing at stays where it is.
const drawn = new Map(); // message id -> [JSON of what is drawn, element]

function show(chat) {
  const box = $("messages");
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 120;
  const first = !state.version;
  if (first) {
    drawn.clear();
    box.replaceChildren();
  }
  state.version = chat.version;
  state.messages = chat.messages;
  state.menu = chat.menu;
  state.commands = chat.commands || [];
  renderMenu();
  const empty = box.querySelector(".empty");
  if (empty) empty.remove();
  if (!chat.messages.length) {
    const note = document.createElement("p");
    note.className = "empty";
    note.textContent = "Aucun message pour l'instant. Écrivez /start pour commencer, ou /aide.";
    box.append(note);
  }
  const seen = new Set();
  let previous = null;
  for (const message of chat.messages) {
    seen.add(message.id);
    const json = JSON.stringify(message);
    const known = drawn.get(message.id);
    let el = known ? known[1] : null;
    if (!known || known[0] !== json) {
      const fresh = renderMessage(message);
      if (!first) fresh.classList.add("flash");
      if (el) el.replaceWith(fresh);
      el = fresh;
      drawn.set(message.id, [json, el]);
    }
    const expected = previous ? previous.nextSibling : box.firstChild;
    if (expected !== el) {
      if (previous) previous.after(el);
      else box.prepend(el);
    }
    previous = el;
  }
  for (const [id, [, el]] of drawn) {
    if (!seen.has(id)) {
      el.remove();
      drawn.delete(id);
    }
  }
  if (first || nearBottom) box.scrollTop = box.scrollHeight;
}

function renderMenu() {
  const button = $("open-webapp");
  if (state.menu && !isGroup(state.chatId)) {
    button.hidden = false;
    button.title = state.menu.text;
    button.dataset.url = state.menu.url;
  } else {
    button.hidden = true;
  }
}

function renderMessage(m) {
  const wrap = document.createElement("div");
  wrap.className = "msg";
  wrap.dataset.id = String(m.id);
  if (m.service) {
    const s = document.createElement("div");
    s.className = "service";
    s.textContent = m.service;
    wrap.append(s);
    wrap.classList.add("is-service");
    return wrap;
  }
  const mine = !m.bot && m.from.id === state.viewer;
  if (mine) wrap.classList.add("out");
  if (m.bot) wrap.classList.add("from-bot");
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  if (!mine && (isGroup(state.chatId) || m.bot)) {
    const sender = document.createElement("div");
    sender.className = "sender";
    sender.textContent = m.bot ? state.bot.first_name : m.from.first_name;
    sender.style.color = m.bot ? "" : colorOf(m.from.id);
    bubble.append(sender);
  }
  if (m.reply_to) {
    const q = document.createElement("div");
    q.className = "quote";
    const who = document.createElement("b");
    who.textContent = m.reply_to.from;
    const what = document.createElement("span");
    what.textContent = m.reply_to.text.length > 90 ? m.reply_to.text.slice(0, 90) + "…" : m.reply_to.text;
    q.append(who, what);
    q.addEventListener("click", () => {
      const target = document.querySelector('.msg[data-id="' + m.reply_to.id + '"]');
      if (target) target.scrollIntoView({behavior: "smooth", block: "center"});
    });
    bubble.append(q);
  }
  if (m.file) {
    const f = document.createElement("div");
    f.className = "file";
    f.textContent = "📎 " + m.file.name;
    bubble.append(f);
  }
  const text = document.createElement("div");
  text.className = "msg-text";
  text.append(renderText(m.text || "", m.entities || []));
  bubble.append(text);
  const meta = document.createElement("div");
  meta.className = "meta";
  if (m.edited) {
    const e = document.createElement("span");
    e.className = "edited";
    e.textContent = "modifié";
    meta.append(e);
  }
  const time = document.createElement("span");
  time.textContent = new Date(m.date * 1000).toLocaleTimeString("fr-FR", {hour: "2-digit", minute: "2-digit"});
  meta.append(time);
  if (isGroup(state.chatId)) {
    const reply = document.createElement("button");
    reply.type = "button";
    reply.className = "reply-btn";
    reply.textContent = "Répondre";
    reply.addEventListener("click", () => startReply(m));
    meta.prepend(reply);
  }
  bubble.append(meta);
  wrap.append(bubble);
  if (m.buttons && m.buttons.length) wrap.append(renderKeyboard(m));
  return wrap;
}

function renderKeyboard(m) {
  const kb = document.createElement("div");
  kb.className = "kb";
  for (const row of m.buttons) {
    const r = document.createElement("div");
    r.className = "kb-row";
    for (const b of row) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.text;
      button.dataset.kind = b.kind;
      button.addEventListener("click", () => pressButton(m, b, button));
      r.append(button);
    }
    kb.append(r);
  }
  return kb;
}

// Telegram's entities (UTF-16 offsets, as JavaScript strings count) to safe DOM nodes.
function renderText(text, entities) {
  const fragment = document.createDocumentFragment();
  const cuts = new Set([0, text.length]);
  for (const e of entities) {
    cuts.add(e.offset);
    cuts.add(e.offset + e.length);
  }
  const points = [...cuts].filter((n) => n >= 0 && n <= text.length).sort((a, b) => a - b);
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i];
    const end = points[i + 1];
    const piece = text.slice(start, end);
    let node = document.createTextNode(piece);
    const covering = entities.filter((e) => e.offset <= start && e.offset + e.length >= end);
    for (const e of covering) node = wrapEntity(node, e, piece);
    fragment.append(node);
  }
  return fragment;
}

function wrapEntity(node, e, piece) {
  const tags = {bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "pre", blockquote: "blockquote"};
  let el;
  if (tags[e.type]) {
    el = document.createElement(tags[e.type]);
  } else if (e.type === "text_link" || e.type === "url") {
    el = document.createElement("a");
    const href = e.type === "url" ? piece : e.url;
    el.href = /^https?:\/\//i.test(href) ? href : "https://" + href;
    el.addEventListener("click", (event) => {
      if (openTelegramLink(el.href)) event.preventDefault();
    });
    el.target = "_blank";
    el.rel = "noopener";
  } else if (e.type === "bot_command") {
    el = document.createElement("span");
    el.className = "command";
    el.addEventListener("click", () => send(piece.split("@")[0]));
  } else if (e.type === "spoiler") {
    el = document.createElement("span");
    el.className = "spoiler";
  } else {
    return node;
  }
  el.append(node);
  return el;
}

// t.me/<bot>?start=<payload>: as a Telegram client does, open the private chat and send /start.
function openTelegramLink(href) {
  let url;
  try {
    url = new URL(href);
  } catch (e) {
    return false;
  }
  if (!["t.me", "telegram.me"].includes(url.hostname)) return false;
  if (url.pathname.replace(/\//g, "").toLowerCase() !== state.bot.username.toLowerCase()) return false;
  const payload = url.searchParams.get("start");
  const who = state.viewer;
  if (!who) return false;
  openChat(who);
  send(payload ? "/start " + payload : "/start");
  return true;
}

// --- acting ------------------------------------------------------------------------------------

function startReply(m) {
  state.replyTo = m;
  $("replying-who").textContent = m.bot ? state.bot.first_name : m.from.first_name;
  $("replying-text").textContent = m.text || "";
  $("replying").hidden = false;
  $("composer-input").focus();
}

function stopReply() {
  state.replyTo = null;
  $("replying").hidden = true;
}

async function send(text) {
  const value = text.trim();
  if (!value || !state.viewer) return;
  const body = {user_id: state.viewer, chat_id: state.chatId, text: value};
  if (state.replyTo) body.reply_to = state.replyTo.id;
  try {
    await api("/api/send", body);
    stopReply();
    $("commands").hidden = true;
  } catch (error) {
    toast("Message non envoyé : " + error.message, "error");
    throw error;
  }
}

async function pressButton(m, b, el) {
  if (b.kind === "url") {
    if (!openTelegramLink(b.url)) window.open(b.url, "_blank", "noopener");
    return;
  }
  if (b.kind === "web_app") {
    openWebApp(b.url, b.text);
    return;
  }
  if (b.kind === "reply") {
    send(b.text).catch(() => {});
    return;
  }
  if (b.kind !== "callback") return;
  el.disabled = true;
  try {
    const result = await api("/api/press", {user_id: state.viewer, chat_id: state.chatId, message_id: m.id, data: b.data});
    if (result.answer && result.answer.text) toast(result.answer.text, result.answer.show_alert ? "alert" : "");
  } catch (error) {
    toast("Bouton sans effet : " + error.message, "error");
  } finally {
    el.disabled = false;
  }
}

async function openWebApp(url, title) {
  try {
    const result = await api("/api/webapp", {user_id: state.viewer, url: url || null});
    $("webapp-title").textContent = title || (state.menu && state.menu.text) || "Application";
    $("webapp-frame").src = result.url;
    $("webapp-tab").href = result.url;
    $("webapp").hidden = false;
    $("webapp-close").focus();
  } catch (error) {
    toast("Impossible d'ouvrir l'application : " + error.message, "error");
  }
}

function closeWebApp() {
  $("webapp").hidden = true;
  $("webapp-frame").src = "about:blank";
}

function renderCommands() {
  const box = $("commands");
  box.replaceChildren();
  if (!state.commands.length) {
    const none = document.createElement("p");
    none.className = "empty";
    none.textContent = "Le bot n'a pas encore donné de menu : essayez /start ou /aide.";
    box.append(none);
  }
  for (const c of state.commands) {
    const button = document.createElement("button");
    button.type = "button";
    const name = document.createElement("b");
    name.textContent = "/" + c.command;
    const description = document.createElement("span");
    description.textContent = c.description;
    button.append(name, description);
    button.addEventListener("click", () => send("/" + c.command).catch(() => {}));
    box.append(button);
  }
}

function setup() {
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("composer-input");
    const text = input.value;
    send(text).then(() => { input.value = ""; input.style.height = ""; }, () => {});
  });
  $("composer-input").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  $("composer-input").addEventListener("input", (event) => {
    const input = event.target;
    input.style.height = "";
    input.style.height = Math.min(input.scrollHeight, 150) + "px";
  });
  $("speaker").addEventListener("change", (event) => {
    state.viewer = Number(event.target.value);
    state.version = "";
    startPolling();
  });
  $("replying-cancel").addEventListener("click", stopReply);
  $("back").addEventListener("click", closeChat);
  $("open-webapp").addEventListener("click", () => openWebApp($("open-webapp").dataset.url, state.menu && state.menu.text));
  $("webapp-close").addEventListener("click", closeWebApp);
  $("show-commands").addEventListener("click", () => {
    const box = $("commands");
    if (box.hidden) renderCommands();
    box.hidden = !box.hidden;
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("webapp").hidden) closeWebApp();
  });
}

async function main() {
  setup();
  try {
    const s = await api("/api/state");
    state.bot = s.bot;
    state.personas = s.personas;
    state.groups = s.groups;
  } catch (error) {
    setStatus("La démo ne répond pas : relancez « python3 dev.py demo » puis rechargez la page.");
    return;
  }
  renderList();
  const wanted = Number((location.hash.match(/chat=(-?\d+)/) || [])[1]);
  if (wanted && (persona(wanted) || groupOf(wanted))) {
    openChat(wanted);
  } else if (window.matchMedia("(min-width: 721px)").matches && state.personas.length) {
    openChat(state.personas[0].id);
  }
}

main();
