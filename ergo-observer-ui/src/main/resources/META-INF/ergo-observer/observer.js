// The Observer's page: polls the observer Actuator endpoint once a second (see docs/observer.md for why polling)
// and draws what the chosen node's inspector answers. No framework: the page is small and has one job.
(function () {
  "use strict";
  const state = {
    api: null, self: null, node: null, tab: "node", actions: false,
    sort: "id", desc: false, offset: 0, limit: 50,
    logAfter: 0, logPaused: false, detail: null,
    history: {}, charts: {},
  };
  const $ = (sel) => document.querySelector(sel);
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  const fmt = (n) => typeof n === "number" ? n.toLocaleString("en-US") : (n === undefined || n === null ? "" : String(n));
  const bytes = (n) => n > 1 << 30 ? (n / (1 << 30)).toFixed(1) + " GiB" : n > 1 << 20 ? (n / (1 << 20)).toFixed(1) + " MiB" : n > 1024 ? (n / 1024).toFixed(1) + " KiB" : n + " B";
  const seconds = (ms) => Math.floor(ms / 1000);

  async function get(path, params) {
    const url = new URL(state.api + path, window.location.origin);
    Object.entries(params || {}).forEach(([k, v]) => { if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v); });
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(body.error || r.status + " " + r.statusText);
    return body;
  }

  async function post(path, body) {
    const headers = { "Content-Type": "application/json" };
    headers[state.actionHeader] = "1"; // without Spring Security the node wants it: no cross-site form can send it
    if (state.csrfHeader) headers[state.csrfHeader] = state.csrfToken; // Spring Security guards the Actuator
    const r = await fetch(new URL(state.api + path, window.location.origin), { method: "POST", headers, body: JSON.stringify(body) });
    const answer = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(answer.error || r.status + " " + r.statusText);
    return answer;
  }

  function status(text, bad) { const s = $("#status"); s.textContent = text; s.classList.toggle("bad", !!bad); }

  function rows(tbody, items, cells, onClick) {
    tbody.replaceChildren(...items.map((item) => {
      const tr = el("tr");
      cells(item).forEach((c) => { const td = el("td"); if (c instanceof Node) td.append(c); else td.textContent = fmt(c); tr.append(td); });
      if (onClick) { tr.classList.add("clickable"); tr.addEventListener("click", () => onClick(item)); }
      tr.dataset.name = item.name || "";
      return tr;
    }));
  }

  function cards(container, pairs) {
    container.replaceChildren(...pairs.map(([label, value]) => {
      const c = el("div", undefined, "card"); c.append(el("div", label, "label"), el("div", value, "value")); return c;
    }));
  }

  // ---------------------------------------------------------------- views

  async function showNode() {
    const n = await get("/" + encodeURIComponent(state.node) + "/node");
    record(n);
    cards($("#node-cards"), [
      ["node", n.name], ["uptime", seconds(n.uptimeMillis) + " s"], ["processes", fmt(n.processesTotal)],
      ["running", fmt(n.processesRunning)], ["heap used", bytes(n.memoryAllocBytes)], ["memory from OS", bytes(n.memoryUsedBytes)],
      ["CPU (process)", (n.cpuLoad * 100).toFixed(0) + " %"], ["applications", n.applicationsRunning + " / " + n.applicationsTotal],
      ["registrar", n.network.enabled ? (n.network.registrarConnected ? "connected" : "DISCONNECTED") : "off"],
      ["send errors", fmt(n.sendErrors)], ["call errors", fmt(n.callErrors)],
    ]);
    rows($("#node-apps tbody"), n.applications, (a) => [a.name, a.weight, a.mode, a.state, a.processes]);
    rows($("#node-leaders tbody"), n.leaders, (g) => [g.group, g.member, g.term, g.leader || "unknown", g.leading ? "yes" : "no", g.inGroup === false ? "no (joining or removed)" : "yes"]);
    return n;
  }

  function record(n) {
    if (!n.network || !n.network.nodes) return;
    const h = state.history[n.name] = state.history[n.name] || {};
    n.network.nodes.forEach((r) => {
      const series = h[r.name] = h[r.name] || [];
      series.push([n.timeMillis / 1000, r.messagesIn || 0, r.messagesOut || 0, r.bytesIn || 0, r.bytesOut || 0]);
      if (series.length > 301) series.shift();
    });
  }

  function rates(series, a, b) {
    const t = [], x = [], y = [];
    for (let i = 1; i < series.length; i++) {
      const dt = Math.max(0.001, series[i][0] - series[i - 1][0]);
      t.push(series[i][0]); x.push((series[i][a] - series[i - 1][a]) / dt); y.push((series[i][b] - series[i - 1][b]) / dt);
    }
    return [t, x, y];
  }

  async function showNetwork() {
    const n = await get("/" + encodeURIComponent(state.node) + "/node");
    record(n);
    const net = n.network;
    cards($("#network-cards"), net.enabled
      ? [["acceptor", net.acceptor], ["registrar", net.registrar], ["connected nodes", net.nodes.length], ["known nodes", net.known.length]]
      : [["network", "off"]]);
    if (!net.enabled) return;
    rows($("#network-nodes tbody"), net.nodes, (r) => [r.name, r.messagesIn, r.messagesOut, bytes(r.bytesIn), bytes(r.bytesOut), r.connects, r.disconnects]);
    const box = $("#traffic-charts");
    const h = state.history[n.name] || {};
    Object.entries(h).forEach(([remote, series]) => {
      if (typeof uPlot === "undefined" || series.length < 3) return; // two rates at least, or the axis has no span
      ["messages", "bytes"].forEach((what) => {
        const key = n.name + "|" + remote + "|" + what;
        const data = what === "messages" ? rates(series, 1, 2) : rates(series, 3, 4);
        if (!state.charts[key]) {
          const div = el("div", undefined, "chart"); box.append(div);
          state.charts[key] = new uPlot({
            title: remote + ": " + what + " per second", width: Math.min(900, box.clientWidth || 900), height: 160,
            series: [{}, { label: "in", stroke: "#2f6fd6" }, { label: "out", stroke: "#d6892f" }],
          }, data, div);
        } else {
          state.charts[key].setData(data);
        }
      });
    });
  }

  async function showProcesses() {
    const page = await get("/" + encodeURIComponent(state.node) + "/processes", {
      sort: state.sort, desc: state.desc, offset: state.offset, limit: state.limit,
      filter: $("#proc-filter").value, application: $("#proc-app").value, state: $("#proc-state").value,
    });
    rows($("#process-table tbody"), page.items,
      (p) => [String(p.id), p.name, p.application, p.behavior, p.state, p.mailbox, p.messagesIn, p.messagesOut, p.runningMillis, seconds(p.uptimeMillis)],
      (p) => openDetail(p));
    $("#proc-page").textContent = page.total === 0 ? "no processes" : (page.offset + 1) + "–" + (page.offset + page.items.length) + " of " + fmt(page.total);
    document.querySelectorAll("#process-table th[data-sort]").forEach((th) => {
      th.classList.toggle("sorted", th.dataset.sort === state.sort);
      th.classList.toggle("asc", th.dataset.sort === state.sort && !state.desc);
    });
    state.total = page.total;
  }

  async function showApplications() {
    const n = await get("/" + encodeURIComponent(state.node) + "/node");
    rows($("#app-table tbody"), n.applications, (a) => {
      const actions = el("span");
      const start = el("button", a.state === "running" ? "Stop" : "Start");
      start.addEventListener("click", () => act("application", { name: a.name, applicationAction: a.state === "running" ? "stop" : "start" }));
      const weight = el("button", "Weight…");
      weight.addEventListener("click", () => {
        const w = window.prompt("weight of " + a.name + " on " + state.node, a.weight);
        if (w !== null) act("application", { name: a.name, weight: parseInt(w, 10) });
      });
      actions.append(start, weight);
      return [a.name, a.description, a.weight, a.mode, a.state, a.processes, actions];
    });
  }

  async function showLog() {
    if (state.logPaused) return;
    const answer = await get("/" + encodeURIComponent(state.node) + "/logs", { after: state.logAfter, level: $("#log-level").value, text: $("#log-text").value, limit: 500 });
    state.logAfter = answer.next - 1;
    const pre = $("#log-lines");
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    answer.items.forEach((l) => {
      const time = new Date(l.time).toISOString().substring(11, 23);
      pre.append(time + " " + l.level.padEnd(5) + " [" + l.thread + "] " + l.logger + ": " + l.message + "\n");
    });
    while (pre.childNodes.length > 5000) pre.removeChild(pre.firstChild);
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }

  // ---------------------------------------------------------------- a process

  function openDetail(p) {
    state.detail = { id: p.id, node: state.node };
    $("#detail-title").textContent = (p.name || p.behavior) + " " + p.pid;
    $("#action-result").textContent = "";
    $("#detail").hidden = false;
    refreshDetail();
  }

  async function refreshDetail() {
    if (!state.detail) return;
    try {
      const d = await get("/" + encodeURIComponent(state.detail.node) + "/process", { id: state.detail.id });
      rows($("#inspect tbody"), Object.entries(d.inspect).map(([k, v]) => ({ name: k, k, v })), (e) => [e.k, e.v]);
      const fields = [
        ["state", d.state], ["behaviour", d.behavior], ["application", d.application], ["parent", d.parent], ["leader", d.leader],
        ["mailbox (urgent / system / main / log)", [d.mailbox.urgent, d.mailbox.system, d.mailbox.main, d.mailbox.log].join(" / ")],
        ["mailbox size", d.mailboxSize || "unbounded"], ["messages in / out", d.messagesIn + " / " + d.messagesOut],
        ["running ms", d.runningMillis], ["uptime s", seconds(d.uptimeMillis)], ["trap exit", d.trapExit],
        ["links", d.links.join(", ")], ["monitors", d.monitors.join(", ")], ["monitored by", d.monitoredBy.join(", ")],
        ["aliases", d.aliases.join(", ")], ["events", d.events.join(", ")],
        ["env", d.envShown === false ? "(not shown by this node: ergo.inspector.env-enabled)" : Object.entries(d.env).map(([k, v]) => k + "=" + v).join(", ")],
      ];
      rows($("#detail-fields tbody"), fields.map(([k, v]) => ({ name: k, k, v })), (e) => [e.k, e.v]);
    } catch (e) {
      $("#action-result").textContent = "process gone: " + e.message;
      state.detail = null;
    }
  }

  async function act(action, body) {
    const result = $("#action-result");
    if (!state.actions) {
      result.textContent = "read-only: actions are disabled on the node serving this page; allow them with "
        + "management.endpoint.observer.access=unrestricted (and ergo.inspector.actions-enabled=true on the node acted on)";
      result.classList.add("bad");
      return;
    }
    try {
      const answer = await post("/" + encodeURIComponent(state.node) + "/" + action, body);
      result.textContent = answer.done || "done";
      result.classList.remove("bad");
    } catch (e) {
      result.textContent = e.message;
      result.classList.add("bad");
      if (state.tab === "applications") window.alert(e.message);
    }
  }

  // ---------------------------------------------------------------- wiring

  async function refreshNodes() {
    const o = await get("");
    state.self = o.self; state.actions = o.actionsEnabled;
    if (!state.node) state.node = o.self;
    const select = $("#node-select");
    const current = Array.from(select.options).map((x) => x.value).join(",");
    if (current !== o.nodes.join(",")) {
      select.replaceChildren(...o.nodes.map((n) => { const opt = el("option", n === o.self ? n + " (this node)" : n); opt.value = n; return opt; }));
      select.value = state.node;
    }
  }

  const views = { node: showNode, network: showNetwork, processes: showProcesses, applications: showApplications, log: showLog };
  let ticks = 0;
  let busy = false;

  async function tick() {
    if (busy) return;
    busy = true;
    try {
      if (ticks++ % 5 === 0) await refreshNodes();
      await views[state.tab]();
      if (state.detail) await refreshDetail();
      status("updated " + new Date().toLocaleTimeString() + (state.actions ? "" : " · read-only"));
    } catch (e) {
      status(e.message, true);
    } finally {
      busy = false;
    }
  }

  function switchTab(tab) {
    state.tab = tab;
    document.querySelectorAll("nav button").forEach((b) => b.classList.toggle("active", b.dataset.tab === tab));
    document.querySelectorAll(".tab").forEach((s) => s.classList.toggle("active", s.id === tab));
    tick();
  }

  function sortBy(field, desc) {
    state.sort = field; state.desc = desc; state.offset = 0; tick();
  }

  async function start() {
    // relative: the page may sit under a context path or a management base path; config.json knows the endpoint
    const config = await (await fetch("config.json", { headers: { Accept: "application/json" } })).json();
    state.api = config.api;
    state.actionHeader = config.actionHeader || "X-Ergo-Observer";
    state.csrfHeader = config.csrfHeader;
    state.csrfToken = config.csrfToken;
    document.querySelectorAll("nav button").forEach((b) => b.addEventListener("click", () => switchTab(b.dataset.tab)));
    document.querySelectorAll("#process-table th[data-sort]").forEach((th) => th.addEventListener("click", () => {
      const same = state.sort === th.dataset.sort;
      sortBy(th.dataset.sort, same ? !state.desc : th.dataset.sort !== "id" && th.dataset.sort !== "name");
    }));
    $("#top-mailbox").addEventListener("click", () => sortBy("mailbox", true));
    $("#top-running").addEventListener("click", () => sortBy("running", true));
    $("#proc-prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - state.limit); tick(); });
    $("#proc-next").addEventListener("click", () => { if (state.offset + state.limit < (state.total || 0)) state.offset += state.limit; tick(); });
    ["#proc-filter", "#proc-app", "#proc-state"].forEach((s) => $(s).addEventListener("input", () => { state.offset = 0; tick(); }));
    $("#node-select").addEventListener("change", (e) => {
      state.node = e.target.value; state.offset = 0; state.logAfter = 0; $("#log-lines").textContent = "";
      state.detail = null; $("#detail").hidden = true; tick();
    });
    $("#log-pause").addEventListener("click", () => { state.logPaused = !state.logPaused; $("#log-pause").textContent = state.logPaused ? "Resume" : "Pause"; });
    $("#log-clear").addEventListener("click", () => { $("#log-lines").textContent = ""; });
    ["#log-level", "#log-text"].forEach((s) => $(s).addEventListener("change", () => { state.logAfter = 0; $("#log-lines").textContent = ""; tick(); }));
    $("#detail-close").addEventListener("click", () => { state.detail = null; $("#detail").hidden = true; });
    $("#send").addEventListener("click", () => act("send", { id: state.detail.id, message: $("#send-text").value }));
    $("#exit").addEventListener("click", () => act("exit", { id: state.detail.id, reason: "observer" }));
    $("#kill").addEventListener("click", () => act("kill", { id: state.detail.id }));
    await tick();
    setInterval(tick, 1000);
  }

  start().catch((e) => status("cannot start: " + e.message, true));
})();
