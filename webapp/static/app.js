// coordo's Mini App: plain JavaScript, no build step, nothing from a CDN.
//
// Telegram gives the page its signed initData either through telegram-web-app.js
// (window.Telegram.WebApp) or in the URL fragment (#tgWebAppData=…&tgWebAppThemeParams=…). The
// shim below reads whichever is there; every API call sends it in the Authorization header
// (`tma <initData>`), never in a URL or a cookie. Every text set on the page goes through
// textContent: data from the server is never read as HTML.
"use strict";

(function () {
  // --- Telegram shim ---------------------------------------------------------------------------
  function fragmentParams() {
    const hash = window.location.hash.replace(/^#/, "");
    const out = {};
    for (const part of hash.split("&")) {
      const at = part.indexOf("=");
      if (at <= 0) continue;
      try {
        out[decodeURIComponent(part.slice(0, at))] = decodeURIComponent(part.slice(at + 1));
      } catch (e) {
        /* a broken fragment: ignored */
      }
    }
    return out;
  }

  const webApp = window.Telegram && window.Telegram.WebApp ? window.Telegram.WebApp : null;
  const fragment = fragmentParams();
  const initData = (webApp && webApp.initData) || fragment.tgWebAppData || "";
  let theme = webApp && webApp.themeParams ? webApp.themeParams : null;
  if (!theme && fragment.tgWebAppThemeParams) {
    try {
      theme = JSON.parse(fragment.tgWebAppThemeParams);
    } catch (e) {
      theme = null;
    }
  }

  function signedUserLanguage() {
    try {
      const user = JSON.parse(new URLSearchParams(initData).get("user") || "{}");
      return user.language_code || "";
    } catch (e) {
      return "";
    }
  }

  function applyTheme(params) {
    if (!params) return;
    const names = {
      bg_color: "--bg",
      text_color: "--text",
      hint_color: "--hint",
      link_color: "--link",
      button_color: "--button",
      button_text_color: "--button-text",
      secondary_bg_color: "--secondary-bg",
    };
    for (const [key, css] of Object.entries(names)) {
      const value = params[key];
      if (typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
        document.documentElement.style.setProperty(css, value);
      }
    }
  }

  applyTheme(theme);
  if (webApp) {
    try {
      webApp.ready();
      webApp.expand();
    } catch (e) {
      /* an older client */
    }
  }

  // --- Texts -------------------------------------------------------------------------------------
  let lang = (signedUserLanguage() || navigator.language || "fr").toLowerCase().startsWith("en") ? "en" : "fr";

  function tr(key, values) {
    const table = window.CoordoTexts[lang] || window.CoordoTexts.fr;
    let text = table[key] !== undefined ? table[key] : window.CoordoTexts.fr[key] || key;
    values = values || {};
    // {n:plural:one:other}: French counts 0 and 1 as singular, English only 1.
    text = text.replace(/\{(\w+):plural:([^:}]*):([^}]*)\}/g, function (_, name, one, other) {
      const n = Math.abs(Number(values[name]) || 0);
      return (lang === "fr" ? n < 2 : n === 1) ? one : other;
    });
    return text.replace(/\{(\w+)\}/g, function (_, name) {
      return values[name] !== undefined ? String(values[name]) : "";
    });
  }

  // --- DOM helpers -------------------------------------------------------------------------------
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children || []) {
      if (child) node.appendChild(child);
    }
    return node;
  }

  function button(label, onclick, extra) {
    return el("button", Object.assign({ type: "button", text: label, onclick: onclick }, extra || {}));
  }

  const main = () => document.getElementById("main");
  const nav = () => document.getElementById("nav");

  function setMain(...nodes) {
    const box = main();
    box.replaceChildren(...nodes.filter(Boolean));
    box.focus({ preventScroll: true });
  }

  function notice(text, kind) {
    const box = document.getElementById("notice");
    box.replaceChildren();
    if (!text) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    box.className = "notice " + (kind || "info");
    box.appendChild(el("p", { text: text }));
  }

  // --- API ---------------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, code) {
      super(code);
      this.status = status;
      this.code = code;
    }
  }

  async function api(name, options) {
    options = options || {};
    const init = { method: options.body ? "POST" : "GET", headers: { Authorization: "tma " + initData } };
    if (options.body) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    let url = "api/" + name;
    if (options.query) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(options.query)) if (v !== "" && v !== null && v !== undefined) q.set(k, v);
      if ([...q].length) url += "?" + q.toString();
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (e) {
      throw new ApiError(0, "offline");
    }
    if (!response.ok) {
      let code = "error";
      try {
        code = (await response.json()).error || code;
      } catch (e) {
        /* not JSON */
      }
      throw new ApiError(response.status, code);
    }
    return options.binary ? response.blob() : response.json();
  }

  function showAuthRefusal() {
    nav().replaceChildren();
    document.getElementById("hello").textContent = "";
    setMain(
      el("section", { class: "card refusal", id: "refusal", role: "alert" }, [
        el("h2", { text: tr("auth.title") }),
        el("p", { text: tr("auth.body") }),
      ])
    );
  }

  function showOffline(retry) {
    const box = document.getElementById("notice");
    box.hidden = false;
    box.className = "notice offline";
    box.setAttribute("role", "alert");
    box.replaceChildren(
      el("strong", { text: tr("offline.title") }),
      el("p", { text: tr("offline.body") }),
      button(tr("btn.retry"), function () {
        notice("");
        retry();
      }, { id: "retry", class: "primary" })
    );
  }

  // Runs `action`; on failure shows the right message and, for a dropped connection, a retry.
  async function guarded(action) {
    try {
      notice("");
      return await action();
    } catch (e) {
      if (!(e instanceof ApiError)) {
        notice(tr("error"), "error");
        throw e;
      }
      if (e.status === 401) showAuthRefusal();
      else if (e.code === "offline") showOffline(() => guarded(action));
      else if (e.status === 403) notice(tr("forbidden"), "error");
      else if (e.status === 404) notice(tr("not_found"), "error");
      else if (e.status === 400) notice(tr("bad_request"), "error");
      else notice(tr("error"), "error");
      return undefined;
    }
  }

  // --- Shared pieces -----------------------------------------------------------------------------
  function weekNav(week, go) {
    return el("div", { class: "week" }, [
      el("h2", { text: tr("week.title", { start: week.start, end: week.end }) }),
      el("div", { class: "row" }, [
        button(tr("week.prev"), () => go(week.offset - 1), { disabled: week.offset <= week.min, id: "week-prev" }),
        week.offset !== 0 ? button(tr("week.now"), () => go(0), { id: "week-now" }) : null,
        button(tr("week.next"), () => go(week.offset + 1), { disabled: week.offset >= week.max, id: "week-next" }),
      ]),
    ]);
  }

  function badge(staffing) {
    return el("span", { class: "badge staffing-" + staffing, "data-staffing": staffing, text: tr("staffing." + staffing) });
  }

  function needsList(needs) {
    return el(
      "ul",
      { class: "needs" },
      needs.map((n) =>
        el("li", { class: n.missing ? "short" : "full", text: tr("event.need", n) })
      )
    );
  }

  function relaunchButtons(event, after) {
    if (!event.can_recruit) return null;
    const short = event.needs.filter((n) => n.missing > 0 && n.id);
    if (!short.length) return null;
    return el(
      "div",
      { class: "actions" },
      short.map((n) =>
        button(
          tr("btn.relaunch", { label: n.label }),
          () =>
            guarded(async () => {
              const r = await api("recruit", { body: { event_id: event.id, need_id: n.id } });
              if (after) await after(); // the counts as they are now, then what was done
              notice(r.message, r.ok ? "ok" : "error");
            }),
          { class: "relaunch" }
        )
      )
    );
  }

  // --- Screens -----------------------------------------------------------------------------------
  const state = { me: null, screen: "", week: 0, comWeek: 0, ledger: {} };

  function rosterBlock(data) {
    const parts = [];
    for (const key of ["coming", "maybe", "waitlist", "not_coming", "silent"]) {
      const people = data[key];
      parts.push(el("h4", { text: tr("roster." + key) + " (" + people.length + ")" }));
      parts.push(
        people.length
          ? el(
              "ul",
              { class: "names" },
              people.map((p) =>
                el("li", {
                  text:
                    p.name +
                    (p.task ? " · " + p.task : "") +
                    (p.guests ? " " + tr("roster.guests", { n: p.guests }) : ""),
                })
              )
            )
          : el("p", { class: "hint", text: tr("roster.none") })
      );
    }
    return el("div", { class: "roster" }, parts);
  }

  function eventCard(event, reload) {
    const rosterBox = el("div", { class: "roster-box" });
    const card = el("article", { class: "card event", "data-event": String(event.id) }, [
      el("div", { class: "top" }, [el("h3", { text: event.title }), badge(event.staffing)]),
      el("p", { class: "when", text: event.when }),
      el("p", { class: "hint", text: [event.city, event.place].filter(Boolean).join(" · ") }),
      el("p", {
        class: "counts",
        text: tr("event.yes", { n: event.yes }) + (event.maybe ? " · " + tr("event.maybe", { n: event.maybe }) : ""),
      }),
      event.needs.length ? needsList(event.needs) : null,
      el("div", { class: "actions" }, [
        event.can_roster
          ? button(
              tr("btn.roster"),
              function () {
                const b = this;
                if (rosterBox.childNodes.length) {
                  rosterBox.replaceChildren();
                  b.textContent = tr("btn.roster");
                  return;
                }
                guarded(async () => {
                  const data = await api("roster", { body: { event_id: event.id } });
                  rosterBox.replaceChildren(rosterBlock(data));
                  b.textContent = tr("btn.roster_hide");
                });
              },
              { class: "roster-open" }
            )
          : null,
      ]),
      relaunchButtons(event, reload),
      rosterBox,
    ]);
    return card;
  }

  async function showAgenda(offset) {
    state.week = offset === undefined ? state.week : offset;
    const data = await api("agenda", { query: { week: state.week } });
    const days = data.days.map((d) =>
      el("section", { class: "day" }, [el("h3", { class: "day-title", text: d.day }), ...d.events.map((e) => eventCard(e, () => guarded(() => showAgenda())))])
    );
    setMain(
      weekNav(data.week, (o) => guarded(() => showAgenda(o))),
      ...(days.length ? days : [el("p", { class: "empty", text: tr("agenda.empty") })])
    );
  }

  async function showRecruitment() {
    const data = await api("recruitment");
    const cards = data.events.map((e) =>
      el("article", { class: "card event", "data-event": String(e.id) }, [
        el("div", { class: "top" }, [el("h3", { text: e.title }), badge(e.staffing)]),
        el("p", { class: "when", text: e.when + (e.city ? " · " + e.city : "") }),
        el(
          "ul",
          { class: "needs" },
          e.needs.map((n) =>
            el("li", {
              class: n.missing ? "short" : "full",
              text: tr("event.need", n) + (n.pending ? " · " + tr("recruitment.pending", { n: n.pending }) : ""),
            })
          )
        ),
        relaunchButtons(Object.assign({ can_recruit: true }, e), () => guarded(showRecruitment)),
      ])
    );
    setMain(
      el("p", { class: "hint", text: tr("recruitment.intro") }),
      ...(cards.length ? cards : [el("p", { class: "empty", text: tr("recruitment.empty") })])
    );
  }

  function emailCard(m, domains) {
    const select = el(
      "select",
      { "aria-label": tr("inbox.route_to"), class: "route-select" },
      domains.map((d) => el("option", { value: d.id, text: d.label }))
    );
    const act = (action, extra) =>
      guarded(async () => {
        const r = await api("inbox/action", { body: Object.assign({ action: action, email_id: m.id }, extra || {}) });
        notice(r.message, r.ok ? "ok" : "error");
        await showInbox();
      });
    return el("article", { class: "card email" + (m.mine ? " mine" : ""), "data-email": String(m.id) }, [
      el("h3", { text: m.subject }),
      el("p", { class: "hint", text: m.domain + " · " + m.received }),
      el("p", { text: tr("inbox.from", { sender: m.sender }) }),
      m.owner ? el("p", { text: tr("inbox.owner", { name: m.owner }) }) : null,
      m.waited_hours >= 1 ? el("p", { class: "hint", text: tr("inbox.waited", { hours: m.waited_hours }) }) : null,
      el("div", { class: "actions" }, [
        m.can_claim ? button(tr("btn.claim"), () => act("claim"), { class: "primary claim" }) : null,
        m.can_done ? button(tr("btn.done"), () => act("done"), { class: "done" }) : null,
      ]),
      el("div", { class: "row route" }, [
        select,
        button(tr("btn.route"), () => act("route", { domain: select.value }), { class: "route-go" }),
      ]),
    ]);
  }

  async function showInbox() {
    const data = await api("inbox");
    const part = (key, title) =>
      el("section", { class: "queue", id: "queue-" + key }, [
        el("h2", { text: title + " (" + data[key].length + ")" }),
        ...(data[key].length ? data[key].map((m) => emailCard(m, data.domains)) : [el("p", { class: "empty", text: tr("inbox.empty") })]),
      ]);
    setMain(
      part("late", tr("inbox.late", { hours: data.sla_hours })),
      part("unclaimed", tr("inbox.unclaimed")),
      part("claimed", tr("inbox.claimed"))
    );
  }

  async function showCom(offset) {
    state.comWeek = offset === undefined ? state.comWeek : offset;
    const data = await api("com", { query: { week: state.comWeek } });
    const channels = data.channels.map((c) =>
      el("section", { class: "card channel" }, [
        el("h3", { text: c.channel }),
        el(
          "ul",
          { class: "posts" },
          c.posts.map((p) =>
            el("li", { class: "post status-" + p.status + (p.clash ? " clash" : "") }, [
              el("strong", { text: p.when }),
              el("span", { text: " " + p.title + " · " + p.status_label }),
              p.clash ? el("span", { class: "warn", text: " ⚠ " + tr("com.clash") }) : null,
            ])
          )
        ),
      ])
    );
    setMain(
      weekNav(data.week, (o) => guarded(() => showCom(o))),
      ...(channels.length ? channels : [el("p", { class: "empty", text: tr("com.empty") })])
    );
  }

  function filterSelect(id, label, options, value, allLabel) {
    const select = el(
      "select",
      { id: id, name: id },
      [allLabel ? el("option", { value: "", text: allLabel }) : null].concat(
        options.map((o) => el("option", { value: String(o.id), text: o.label, selected: String(o.id) === String(value || "") }))
      )
    );
    select.addEventListener("change", () => {
      state.ledger[id] = select.value;
      guarded(showLedger);
    });
    return el("label", { class: "filter" }, [el("span", { text: label }), select]);
  }

  function barFill(share) {
    const fill = el("span");
    fill.style.width = Math.min(100, share) + "%"; // CSSOM: allowed by the page's CSP
    return fill;
  }

  async function showLedger() {
    const f = state.ledger;
    const data = await api("ledger", { query: { year: f.year, ledger: f.ledger, kind: f.kind, status: f.status } });
    f.year = String(data.year);
    const chart = el("img", { id: "bilan-chart", alt: tr("ledger.chart_alt", { year: data.year }), class: "chart" });
    const rows = data.donations.map((d) =>
      el("li", { class: "donation status-" + d.status, "data-donation": String(d.id) }, [
        el("div", { class: "top" }, [el("strong", { text: d.amount }), el("span", { class: "hint", text: d.day })]),
        el("p", { text: [d.donor, d.kind, d.method].filter(Boolean).join(" · ") }),
        el("p", { class: "hint", text: [d.ledger, d.status_label, d.receipt ? tr("ledger.receipt", { n: d.receipt }) : ""].filter(Boolean).join(" · ") }),
      ])
    );
    const caps = data.caps.map((c) =>
      el("li", { class: "cap cap-" + c.state }, [
        el("div", { class: "top" }, [el("strong", { text: c.donor }), el("span", { text: c.total })]),
        el("div", { class: "bar", role: "presentation" }, [barFill(c.share)]),
        el("p", { class: "hint", text: tr("cap." + c.state) + " · " + c.share + " %" }),
      ])
    );
    setMain(
      el("div", { class: "filters" }, [
        filterSelect("year", tr("ledger.year"), data.years.map((y) => ({ id: y, label: String(y) })), f.year, null),
        filterSelect("ledger", tr("ledger.ledger"), data.filters.ledgers, f.ledger, tr("ledger.all")),
        filterSelect("kind", tr("ledger.kind"), data.filters.kinds, f.kind, tr("ledger.all")),
        filterSelect("status", tr("ledger.status"), data.filters.statuses, f.status, tr("ledger.all")),
      ]),
      el("p", {
        class: "totals",
        id: "ledger-totals",
        text: tr("ledger.totals", { n: data.totals.count, accepted: data.totals.accepted, m: data.totals.accepted_count }),
      }),
      state.me.views.includes("ledger") ? el("section", { class: "card" }, [el("h3", { text: tr("ledger.chart") }), chart]) : null,
      rows.length ? el("ul", { class: "ledger", id: "ledger-list" }, rows) : el("p", { class: "empty", text: tr("ledger.empty") }),
      data.more ? el("p", { class: "hint", text: tr("ledger.more", { n: data.more }) }) : null,
      el("section", { class: "card" }, [
        el("h3", { text: tr("ledger.caps", { cap: data.cap }) }),
        caps.length ? el("ul", { class: "caps" }, caps) : el("p", { class: "empty", text: tr("ledger.caps_empty") }),
      ])
    );
    try {
      const blob = await api("bilan.png", { query: { year: data.year }, binary: true });
      chart.src = URL.createObjectURL(blob);
    } catch (e) {
      chart.remove();
    }
  }

  async function showMemberships() {
    const data = await api("memberships");
    const list = (title, items) =>
      el("section", { class: "card" }, [
        el("h3", { text: title }),
        el("ul", { class: "names" }, items.map((m) => el("li", { text: m.name + " · " + tr("mship.ends", { day: m.end }) }))),
      ]);
    setMain(
      el("ul", { class: "stats" }, [
        el("li", { text: tr("mship.active", { n: data.active }) }),
        el("li", { text: tr("mship.expiring", { n: data.expiring }) }),
        el("li", { text: tr("mship.lapsed", { n: data.lapsed }) }),
      ]),
      data.names ? list(tr("mship.to_renew"), data.expiring_list) : el("p", { class: "hint", text: tr("mship.no_names") }),
      data.names && data.lapsed_list.length ? list(tr("mship.lapsed_list"), data.lapsed_list) : null
    );
  }

  function renderMine(data) {
    const skills = data.skills.map((s) =>
      el("label", { class: "check" }, [el("input", { type: "checkbox", value: s.id, checked: s.on }), el("span", { text: s.label })])
    );
    setMain(
      el("section", { class: "card", id: "my-events" }, [
        el("h2", { text: tr("mine.events") }),
        data.events.length
          ? el(
              "ul",
              { class: "names" },
              data.events.map((e) =>
                el("li", { "data-event": String(e.id) }, [
                  el("strong", { text: e.title }),
                  el("p", { text: e.when }),
                  el("p", { class: "hint", text: [tr("mine.status." + e.status), e.task, e.city, e.place].filter(Boolean).join(" · ") }),
                ])
              )
            )
          : el("p", { class: "empty", text: tr("mine.events_empty") }),
      ]),
      data.asks.length
        ? el("section", { class: "card" }, [
            el("h2", { text: tr("mine.asks") }),
            el("ul", { class: "names" }, data.asks.map((a) => el("li", { text: a.event + " · " + a.when + " · " + a.task }))),
          ])
        : null,
      data.emails.length
        ? el("section", { class: "card" }, [
            el("h2", { text: tr("mine.emails") }),
            el("ul", { class: "names" }, data.emails.map((m) => el("li", { text: m.subject }))),
          ])
        : null,
      el("section", { class: "card" }, [
        el("h2", { text: tr("mine.availability") }),
        el("p", { id: "paused-state", text: tr(data.paused ? "mine.paused" : "mine.active") }),
        data.absent_until ? el("p", { text: tr("mine.absent", { day: data.absent_until }) }) : null,
        button(
          tr(data.paused ? "btn.resume" : "btn.pause"),
          () => guarded(async () => renderMine(await api("mine/pause", { body: { paused: !data.paused } }))),
          { id: "pause-toggle" }
        ),
      ]),
      el("section", { class: "card" }, [
        el("h2", { text: tr("mine.skills") }),
        el("div", { class: "checks" }, skills),
        button(
          tr("btn.save_skills"),
          () =>
            guarded(async () => {
              const chosen = skills.map((l) => l.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
              renderMine(await api("mine/skills", { body: { skills: chosen } }));
              notice(tr("mine.saved"), "ok");
            }),
          { class: "primary", id: "save-skills" }
        ),
      ])
    );
  }

  async function showMine() {
    renderMine(await api("mine"));
  }

  function showData() {
    const status = el("div", { id: "data-status", "aria-live": "polite" });
    setMain(
      el("section", { class: "card" }, [
        el("p", { text: tr("data.intro") }),
        button(
          tr("btn.export"),
          () =>
            guarded(async () => {
              const data = await api("data/export", { body: {} });
              const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
              const link = el("a", { href: URL.createObjectURL(blob), download: "mes-donnees.json" });
              document.body.appendChild(link);
              link.click();
              link.remove();
              status.replaceChildren(el("p", { class: "ok", id: "export-done", text: tr("data.exported") }));
            }),
          { class: "primary", id: "export" }
        ),
        button(
          tr("btn.erase"),
          () =>
            guarded(async () => {
              const ask = await api("data/erase", { body: {} });
              if (ask.nothing) {
                status.replaceChildren(el("p", { text: tr("data.erase_nothing") }));
                return;
              }
              status.replaceChildren(
                el("div", { class: "confirm", role: "alertdialog" }, [
                  el("p", { class: "warn", text: tr("data.erase_ask") }),
                  el("h4", { text: tr("data.erase_will") }),
                  el("p", { class: "pre", text: ask.erased }),
                  el("h4", { text: tr("data.erase_kept") }),
                  el("p", { class: "pre", text: ask.kept }),
                  el("div", { class: "actions" }, [
                    button(tr("btn.erase_yes"), () => confirmErase(ask.request_id, true, status), { class: "danger", id: "erase-yes" }),
                    button(tr("btn.cancel"), () => confirmErase(ask.request_id, false, status), { id: "erase-no" }),
                  ]),
                ])
              );
            }),
          { class: "danger-outline", id: "erase" }
        ),
        status,
      ])
    );
  }

  function confirmErase(requestId, yes, status) {
    return guarded(async () => {
      const r = await api("data/erase/confirm", { body: { request_id: requestId, confirm: yes } });
      status.replaceChildren(el("p", { class: r.erased ? "ok" : "", id: "erase-result", text: r.erased ? tr("data.erased") : r.message }));
    });
  }

  const SCREENS = {
    agenda: () => showAgenda(),
    recruitment: showRecruitment,
    inbox: showInbox,
    com: () => showCom(),
    ledger: showLedger,
    memberships: showMemberships,
    mine: showMine,
    data: showData,
  };

  function go(screen) {
    state.screen = screen;
    for (const b of nav().querySelectorAll("button")) {
      b.setAttribute("aria-current", b.dataset.screen === screen ? "page" : "false");
    }
    setMain(el("p", { class: "hint", text: tr("loading") }));
    return guarded(SCREENS[screen]);
  }

  async function start() {
    document.title = tr("title");
    if (!initData) {
      showAuthRefusal();
      return;
    }
    await guarded(async () => boot(await api("me")));
  }

  async function boot(me) {
    state.me = me;
    lang = me.lang === "en" ? "en" : "fr";
    document.documentElement.lang = lang;
    document.title = tr("title");
    document.getElementById("hello").textContent = me.first_name ? tr("hello", { name: me.first_name }) : tr("title");
    nav().replaceChildren(
      ...me.views.map((v) => button(tr("nav." + v), () => go(v), { "data-screen": v, id: "nav-" + v }))
    );
    const wanted = new URLSearchParams(window.location.search).get("screen");
    const first = me.views.includes(wanted) ? wanted : me.views[0];
    if (first) await go(first);
  }

  window.addEventListener("DOMContentLoaded", () => {
    start().catch(() => notice(tr("error"), "error"));
  });
})();
