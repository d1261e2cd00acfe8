// Foreshock dashboard: vanilla JS over the JSON API; plotly.js and the world map geometry
// are served by this server (no CDN, works offline).
// Text from the database is only ever inserted as text nodes (never as HTML), so an
// article cannot inject markup into the page.
//
// Pages live in the URL fragment: #/ (overview), #/dyad/RUS-UKR, #/alert/ID, #/story/ID,
// #/article/ID, #/codebook; the period, modality and review setting follow as ?query.
"use strict";

const QUAD_COLORS = { 1: "#8fb8e8", 2: "#2f6db5", 3: "#f0a04b", 4: "#c0392b" };
const QUAD_NAMES = {
  1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict",
};
// plotly.js reads the world geometry from here (static/geo/world_110m.json)
const PLOT_CONFIG = { displaylogo: false, responsive: true, topojsonURL: "/static/geo/" };
// labels for the alert fields this page knows; any other field is shown under its own name
const ALERT_LABELS = {
  kind: "kind", detector: "detector", signal: "signal", score: "score", threshold: "threshold",
  value: "share in the window", baseline: "baseline share", window_events: "coded story-events in the window",
  window_articles: "articles in the window", dyad_events: "the dyad's story-events in the window",
  window_days: "window (days)", episode_start: "episode began", stories: "stories behind it",
  context: "context", explanation: "explanation", date: "date", dyad: "dyad", directed: "directed",
};
const SHARE_FIELDS = new Set(["value", "baseline"]);
const HIDDEN_FIELDS = new Set(["evidence", "alert_id", "basis", "created", "scope"]);

const state = {
  health: null, maxPage: 500, first: null, last: null, route: { page: "overview", id: null },
};
const $ = (id) => document.getElementById(id);

// --- small helpers -------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "" && value !== false) q.set(key, value);
  }
  return q.toString();
}

async function api(path, params, options) {
  const q = query(params);
  const url = q ? `${path}?${q}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" }, ...(options || {}) });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const why = body.message || (typeof body.detail === "string" ? body.detail : response.statusText);
    throw new Error(`${path}: ${response.status} ${why}`);
  }
  return body;
}

let plotlyLoading = null;
function plotly() {
  if (!plotlyLoading) {
    plotlyLoading = new Promise((resolve, reject) => {
      const script = el("script", { src: "/vendor/plotly.min.js" });
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error("/vendor/plotly.min.js could not be loaded"));
      document.head.append(script);
    });
  }
  return plotlyLoading;
}

function showError(error) {
  const box = $("error");
  box.hidden = false;
  box.textContent = String(error.message || error);
}

function addDays(iso, days) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function pct(value) {
  return value === null || value === undefined ? "–" : `${Math.round(value * 1000) / 10}%`;
}

function num(value, digits = 1) {
  return typeof value === "number" ? value.toFixed(digits) : "–";
}

function link(href, ...text) {
  return el("a", { href }, ...text);
}

function panel(title, ...children) {
  return el("section", { class: "panel" }, el("h2", {}, title), ...children);
}

function note(text) {
  return el("p", { class: "muted small" }, text);
}

// --- the view's settings: period, modality, reviews, reference date ------------------

function view() {
  return {
    since: $("since").value || null,
    until: $("until").value || null,
    modality: $("modality").value,
    exclude_reviewed: $("exclude-reviewed").checked,
  };
}

function period() {
  const { since, until } = view();
  return { since, until };
}

function parseHash() {
  const [path, q] = location.hash.replace(/^#/, "").split("?");
  const parts = (path || "/").split("/").filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] || "overview", id: parts[1] || null, params: new URLSearchParams(q || "") };
}

function hashFor(page, id) {
  const v = view();
  const q = query({ since: v.since, until: v.until,
    modality: v.modality !== "asserted" ? v.modality : null,
    reviewed: v.exclude_reviewed ? "exclude" : null });
  const path = page === "overview" ? "/" : `/${page}${id ? `/${encodeURIComponent(id)}` : ""}`;
  return `#${path}${q ? `?${q}` : ""}`;
}

function go(page, id) {
  location.hash = hashFor(page, id);
}

// the settings of the controls in the current URL, without a new history entry
function keepHash() {
  history.replaceState(null, "", hashFor(state.route.page, state.route.id));
  updateExport();
}

// --- export of what is on screen -----------------------------------------------------

function exportParams() {
  const v = view();
  const base = { since: v.since, until: v.until, exclude_reviewed: v.exclude_reviewed };
  const { page, id } = state.route;
  if (page === "dyad") return { what: "events", dyad: id, modality: v.modality, ...base };
  if (page === "alert" && state.alertView) {
    const a = state.alertView;
    return { what: "events", alert: a.alert_id, exclude_reviewed: view().exclude_reviewed };
  }
  return { what: "alerts", ...base };
}

function updateExport() {
  const params = exportParams();
  for (const format of ["csv", "parquet"]) {
    $(`export-${format}`).href = `/api/export?${query({ ...params, format })}`;
  }
}

// --- reviews -------------------------------------------------------------------------

async function review(eventId, verdict) {
  const token = $("token").value.trim();
  if (!token) {
    throw new Error("Marking an event needs the server's review token: start the server " +
      "with --token and enter it under 'Review token'.");
  }
  sessionStorage.setItem("foreshock-token", token);
  return api("/api/reviews", null, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json",
      Authorization: `Bearer ${token}` },
    body: JSON.stringify({ event_id: eventId, verdict }),
  });
}

function reviewButton(event, onChange) {
  const wrong = event.review === "wrong";
  const button = el("button", { type: "button", class: "review", "data-event": event.event_id },
    wrong ? "undo: it is right" : "mark wrong");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const done = await review(event.event_id, wrong ? "right" : "wrong");
      event.review = done.verdict;
      onChange(event);
    } catch (error) {
      showError(error);
      button.disabled = false;
    }
  });
  return button;
}

function reviewBadge(event) {
  return event.review === "wrong" ? el("span", { class: "badge wrong" }, "marked wrong") : null;
}

// --- shared pieces: evidence, events table -------------------------------------------

function highlighted(sentence, start, end) {
  if (start === null || end === null || start === undefined || end > sentence.length) return [sentence];
  return [sentence.slice(0, start), el("mark", {}, sentence.slice(start, end)), sentence.slice(end)];
}

function eventRow(e) {
  const sector = (value) => (value ? el("span", { class: "sector" }, ` ${value}`) : null);
  const gs = el("span", { class: `gs${e.goldstein < 0 ? " neg" : ""}`, title: "Goldstein scale" },
    ` (${e.goldstein > 0 ? "+" : ""}${e.goldstein})`);
  const modality = el("td", { class: "modality" }, el("span", { class: `badge ${e.modality}` }, e.modality));
  if (e.reported_by) modality.append(el("span", { class: "reported" }, `reported by ${e.reported_by}`));
  const source = el("span", { class: "source" },
    link(hashFor("article", e.article_id), e.title || e.article_id),
    e.outlet ? ` — ${e.outlet}` : "",
    e.story_id ? [" · ", link(hashFor("story", e.story_id), "story")] : null);
  const row = el("tr", { class: `q${e.quad_class}${e.review === "wrong" ? " reviewed-wrong" : ""}`,
    "data-event": e.event_id },
  el("td", { class: "date" }, e.date),
  el("td", { class: "actors" }, e.source || "?", sector(e.source_sector), " → ", e.target || "–",
    sector(e.target_sector)),
  el("td", { class: "code" }, el("strong", {}, e.code), gs, el("span", { class: "name" }, e.code_name || "")),
  modality,
  el("td", { class: "evidence" }, highlighted(e.sentence, e.trigger_start, e.trigger_end), source),
  el("td", { class: "actions" }, reviewBadge(e), reviewButton(e, (changed) => row.replaceWith(eventRow(changed)))));
  return row;
}

function eventsTable(events, empty) {
  const body = el("tbody", {}, events.map(eventRow));
  if (!events.length) body.append(el("tr", {}, el("td", { colspan: "6", class: "muted" }, empty)));
  return el("div", { class: "table-wrap" }, el("table", { class: "events" },
    el("thead", {}, el("tr", {}, ["Date", "Source → target", "Event", "Modality", "Evidence", "Review"]
      .map((h) => el("th", {}, h)))), body));
}

// --- charts --------------------------------------------------------------------------

function referenceShapes(dates) {
  const onset = $("onset").value;
  const shapes = [];
  const annotations = [];
  if (onset) {
    dates.push(onset);
    shapes.push({ type: "line", xref: "x", yref: "paper", x0: onset, x1: onset, y0: 0, y1: 1,
      line: { color: "#c0392b", width: 2, dash: "dash" } });
    annotations.push({ x: onset, y: 1, xref: "x", yref: "paper", text: `reference ${onset}`,
      showarrow: false, xanchor: "right", yanchor: "top", font: { color: "#c0392b", size: 11 } });
  }
  return { shapes, annotations };
}

// the x range: the chosen period (zoom), else the data's
function xRange(dates) {
  const { since, until } = period();
  const sorted = [...dates].filter(Boolean).sort();
  const lo = since || sorted[0];
  const hi = until || sorted[sorted.length - 1];
  return lo && hi ? [addDays(lo, -4), addDays(hi, 4)] : undefined;
}

// alerts on one dyad within the episode window are one episode: one marker each
function episodes(alerts) {
  const groups = new Map();
  for (const a of alerts) {
    const key = `${a.dyad}|${a.episode_start}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(a);
  }
  return [...groups.values()].map((list) => ({ first: list[0], alerts: list }));
}

async function seriesChart(node, rows, alerts, options) {
  const Plotly = await plotly();
  const x = rows.map((r) => r.period);
  const traces = [1, 2, 3, 4].map((q) => ({
    type: "bar", name: QUAD_NAMES[q], x, y: rows.map((r) => r[`q${q}`]),
    marker: { color: QUAD_COLORS[q] },
    hovertemplate: `%{y} ${QUAD_NAMES[q]} story-events<extra>week of %{x}</extra>`,
  }));
  traces.push({
    type: "scatter", mode: "lines+markers", name: "conflict intensity", x,
    y: rows.map((r) => (r.intensity_rate === null ? null : Math.round(r.intensity_rate * 1000) / 10)),
    yaxis: "y2", line: { color: "#16202e", width: 2 },
    marker: { size: 6, symbol: rows.map((r) => (r.thin ? "circle-open" : "circle")) },
    hovertemplate: "intensity %{y} per 100 coded story-events<extra></extra>",
  });
  const eps = episodes(alerts);
  traces.push({
    type: "scatter", mode: "markers+text", name: "alert episode",
    x: eps.map((e) => e.first.date), y: eps.map(() => 1), yaxis: "y3",
    text: eps.map((e) => (e.alerts.length > 1 ? `×${e.alerts.length}` : "")),
    textposition: "top center",
    customdata: eps.map((e) => e.first.alert_id),
    marker: { symbol: "triangle-down", size: 16, color: "#c0392b", line: { color: "#fff", width: 1 } },
    hovertext: eps.map((e) => e.alerts.map((a) =>
      `${a.date} ${a.kind ? `${a.kind} ` : ""}${a.detector}: score ${num(a.score)} ≥ ${num(a.threshold)}`).join("<br>")),
    hovertemplate: "%{hovertext}<br>click for the alert<extra></extra>",
  });
  const dates = [...x];
  const { shapes, annotations } = referenceShapes(dates);
  if (options && options.window) {
    shapes.push({ type: "rect", xref: "x", yref: "paper", layer: "below", y0: 0, y1: 1,
      x0: options.window[0], x1: options.window[1], fillcolor: "#c0392b", opacity: 0.1, line: { width: 0 } });
  }
  const layout = {
    barmode: "stack", margin: { l: 45, r: 50, t: 24, b: 40 },
    legend: { orientation: "h", y: -0.18 },
    xaxis: { type: "date", range: options && options.range ? options.range : xRange(dates) },
    yaxis: { title: { text: "story-events" }, rangemode: "tozero", domain: [0, 0.9] },
    yaxis2: { title: { text: "intensity" }, overlaying: "y", side: "right", rangemode: "tozero", showgrid: false },
    yaxis3: { domain: [0.9, 1], visible: false, range: [0, 2], fixedrange: true },
    shapes, annotations, hovermode: "closest",
  };
  await Plotly.react(node, traces, layout, PLOT_CONFIG);
  node.on("plotly_click", (event) => {
    const point = event.points && event.points[0];
    if (!point) return;
    if (point.data.name === "alert episode") go("alert", point.customdata);
  });
  // zooming the chart sets the period of the whole page
  node.on("plotly_relayout", (change) => {
    const lo = change["xaxis.range[0]"];
    const hi = change["xaxis.range[1]"];
    if (lo && hi && !(options && options.range)) {
      $("since").value = String(lo).slice(0, 10);
      $("until").value = String(hi).slice(0, 10);
      onSettings();
    }
  });
}

// --- pages ---------------------------------------------------------------------------

async function overviewPage(main) {
  const v = view();
  const escalating = el("div", {}, note("loading…"));
  const mapNode = el("div", { id: "map", class: "chart map" });
  const timeline = el("div", { id: "timeline", class: "chart timeline" });
  const alertList = el("div", { id: "alert-list" });
  main.append(
    panel("What is escalating now", note(
      "Dyads whose share of conflict events (QuadClass 3-4) rose most in the last 28 days " +
      "up to the end of the period, against the 28 days before; with each dyad's newest alert."),
    escalating),
    panel("Where events happen", note("Countries shaded by their events in the period " +
      "(an event counts for each country among its source and target)."), mapNode),
    el("section", { class: "panel wide" }, el("h2", {}, "Alerts across all dyads"),
      note("Each mark is an alert; click one to see why it was raised."), timeline, alertList));
  const [dyads, map, alerts] = await Promise.all([
    api("/api/dyads", { limit: 10, since: v.since, until: v.until }),
    api("/api/map", { since: v.since, until: v.until, modality: v.modality }),
    api("/api/alerts", { since: v.since, until: v.until, evidence: 1, // as many as allowed
      exclude_reviewed: v.exclude_reviewed }),
  ]);
  escalating.replaceChildren(escalatingTable(dyads));
  const Plotly = await plotly();
  await drawMap(Plotly, mapNode, map);
  await drawTimeline(Plotly, timeline, alerts.alerts);
  alertList.replaceChildren(alertItems(alerts.alerts, "No alerts in this period."));
}

function escalatingTable(data) {
  const rows = data.most_escalating;
  if (!rows.length) return note("No dyad's conflict share rose in the last four weeks of the period.");
  const body = rows.map((d) => el("tr", {},
    el("td", {}, link(hashFor("dyad", d.dyad), d.dyad)),
    el("td", { class: "num" }, `${pct(d.previous_share)} → ${pct(d.recent_share)}`),
    el("td", { class: "num up" }, `+${Math.round(d.change * 100)} pts`),
    el("td", { class: "num" }, `${d.recent_conflict} of ${d.recent_events}`),
    el("td", {}, d.latest_alert
      ? link(hashFor("alert", d.latest_alert.alert_id), `${d.latest_alert.date} ${d.latest_alert.detector}`)
      : el("span", { class: "muted" }, "none"))));
  return el("div", { class: "table-wrap" }, el("table", { class: "escalating" },
    el("thead", {}, el("tr", {}, ["Dyad", "Conflict share", "Change", "Conflict events", "Latest alert"]
      .map((h) => el("th", {}, h)))),
    el("tbody", {}, body)), note(`Windows end ${data.as_of || "?"}.`));
}

async function drawMap(Plotly, node, data) {
  const rows = data.countries;
  await Plotly.react(node, [{
    type: "choropleth", locationmode: "ISO-3",
    locations: rows.map((r) => r.code), z: rows.map((r) => Math.log10(r.events + 1)),
    customdata: rows.map((r) => [r.name, r.events, r.conflict_events]),
    hovertemplate: "%{customdata[0]}: %{customdata[1]} events, %{customdata[2]} conflictual<extra></extra>",
    colorscale: [[0, "#fde9d9"], [0.5, "#f0a04b"], [1, "#8e1b10"]], showscale: false,
    marker: { line: { color: "#fff", width: 0.5 } },
  }], {
    margin: { l: 0, r: 0, t: 0, b: 0 },
    geo: { projection: { type: "natural earth", rotation: { lon: 0 } }, showframe: false, showcoastlines: false,
      lonaxis: { range: [-180, 180] }, lataxis: { range: [-58, 84] },
      showcountries: true, countrycolor: "#c9d1db", showland: true, landcolor: "#eef1f5",
      bgcolor: "rgba(0,0,0,0)" },
  }, PLOT_CONFIG);
  node.on("plotly_click", (event) => {
    const point = event.points && event.points[0];
    if (point && point.location) {
      $("dyad-search").value = point.location;
      searchDyads(point.location);
      $("dyad-search").focus();
    }
  });
}

async function drawTimeline(Plotly, node, alerts) {
  const dyads = [...new Set(alerts.map((a) => a.dyad))].sort();
  const dates = alerts.map((a) => a.date);
  const { shapes, annotations } = referenceShapes(dates);
  await Plotly.react(node, [{
    type: "scatter", mode: "markers", x: alerts.map((a) => a.date), y: alerts.map((a) => a.dyad),
    customdata: alerts.map((a) => a.alert_id),
    text: alerts.map((a) => `${a.kind ? `${a.kind} ` : ""}${a.detector} score ${num(a.score)} (threshold ${num(a.threshold)})`),
    hovertemplate: "%{y} %{x}: %{text}<extra>click for the alert</extra>",
    marker: { size: alerts.map((a) => 8 + Math.min(12, (a.score || 0) / Math.max(a.threshold || 1, 1) * 4)),
      color: alerts.map((a) => (a.detector === "cusum" ? "#7b2cbf" : "#c0392b")), symbol: "diamond" },
  }], {
    margin: { l: 80, r: 10, t: 10, b: 30 }, height: 90 + Math.min(28, 1200 / Math.max(dyads.length, 1)) * Math.max(dyads.length, 1),
    xaxis: { type: "date", range: xRange(dates) },
    yaxis: { type: "category", categoryarray: dyads, automargin: true },
    shapes, annotations, hovermode: "closest",
  }, PLOT_CONFIG);
  node.on("plotly_click", (event) => {
    const point = event.points && event.points[0];
    if (point) go("alert", point.customdata);
  });
}

function alertItems(alerts, empty) {
  if (!alerts.length) return note(empty);
  const list = el("ul", { class: "alerts" });
  for (const a of [...alerts].reverse()) {
    const top = a.evidence && a.evidence[0];
    list.append(el("li", { "data-alert": a.alert_id },
      link(hashFor("alert", a.alert_id), el("strong", {}, `${a.date} ${a.dyad}`)), " ",
      a.kind ? el("span", { class: `kind ${a.kind}` }, a.kind) : null, " ",
      `${a.detector}: score `, el("span", { class: "score" }, num(a.score)),
      ` against a threshold of ${num(a.threshold)}; the dyad's conflict share ${pct(a.value)} ` +
      `vs a baseline of ${pct(a.baseline)}`,
      a.explanation ? el("div", { class: "small" }, a.explanation) : null,
      top ? el("div", { class: "muted small" }, `${top.source}→${top.target} ${top.code}: ${top.sentence}`) : null));
  }
  return list;
}

async function dyadPage(main, dyad) {
  const v = view();
  const chart = el("div", { id: "chart", class: "chart" });
  const alertsBox = el("div", { id: "alerts" });
  const network = el("div", { id: "network", class: "chart" });
  const eventsBox = el("div", {}, note("loading…"));
  const count = el("span", { id: "events-count", class: "muted small" });
  main.append(
    el("section", { class: "panel wide" }, el("h2", { id: "chart-title" }, `${dyad}: weekly series`),
      note("Bars: the dyad's story-events per week by QuadClass (a reprinted story counts once; " +
        "asserted events only, as the detectors count). Line: conflict intensity, weighted conflict " +
        "events per 100 coded story-events of the week (hollow: thin weeks). ▼ an alert episode. " +
        "Drag across the chart to zoom: the period of the whole page follows."),
      chart, el("h3", {}, "Alerts in the period"), alertsBox),
    panel("Actor network of the period", note("Events between actors (the chosen modality); " +
      "edge width by events, red where most are conflictual."), network),
    el("section", { class: "panel wide" }, el("h2", {}, "Events ", count), eventsBox));
  const [series, alerts, events, net] = await Promise.all([
    api("/api/series", { dyad, exclude_reviewed: v.exclude_reviewed }),
    api("/api/alerts", { dyad, limit: state.maxPage, evidence: 1, exclude_reviewed: v.exclude_reviewed }),
    loadEvents(dyad, 0),
    api("/api/network", { since: v.since, until: v.until, limit: 30, modality: v.modality }),
  ]);
  showEvents(eventsBox, count, dyad, events);
  const inPeriod = alerts.alerts.filter((a) => (!v.since || a.date >= v.since) && (!v.until || a.date <= v.until));
  alertsBox.replaceChildren(alertItems(inPeriod, `No alerts on ${dyad} in this period.`));
  await seriesChart(chart, series.rows, inPeriod);
  await drawNetwork(network, net, dyad);
}

function loadEvents(dyad, offset) {
  const v = view();
  return api("/api/events", { dyad, since: v.since, until: v.until, modality: v.modality,
    limit: Math.min(50, state.maxPage), offset, order: "desc" });
}

function showEvents(box, count, dyad, data) {
  const v = view();
  const first = data.total ? data.offset + 1 : 0;
  const last = data.offset + data.events.length;
  count.textContent = `${data.total} ${v.modality} events of ${dyad}`;
  const pager = el("div", { class: "pager" },
    el("button", { type: "button", id: "prev", disabled: data.offset === 0 ? "" : null,
      onclick: async () => showEvents(box, count, dyad, await loadEvents(dyad, Math.max(0, data.offset - data.limit))) }, "‹ newer"),
    el("span", { id: "page-info", class: "muted small" }, `${first}–${last} of ${data.total}, newest first`),
    el("button", { type: "button", id: "next", disabled: last >= data.total ? "" : null,
      onclick: async () => showEvents(box, count, dyad, await loadEvents(dyad, data.offset + data.limit)) }, "older ›"));
  box.replaceChildren(eventsTable(data.events, "No events for this selection."), pager);
}

// slot i*stride mod n for a stride near n/3 coprime with n: busy actors land far apart
function spread(n) {
  const gcd = (a, b) => (b ? gcd(b, a % b) : a);
  let stride = Math.max(1, Math.round(n / 3));
  while (n > 1 && gcd(stride, n) !== 1) stride += 1;
  return Array.from({ length: n }, (_, i) => (i * stride) % Math.max(n, 1));
}

async function drawNetwork(node, data, dyad) {
  const Plotly = await plotly();
  const nodes = data.nodes;
  const position = new Map();
  const slots = spread(nodes.length);
  nodes.forEach((n, i) => {
    const angle = Math.PI / 2 - (2 * Math.PI * slots[i]) / Math.max(nodes.length, 1);
    position.set(n.id, [Math.cos(angle), Math.sin(angle)]);
  });
  const picked = new Set((dyad || "").split(/[->]/));
  const heaviest = Math.max(1, ...data.edges.map((e) => e.events));
  const traces = data.edges.map((e) => {
    const [x0, y0] = position.get(e.source);
    const [x1, y1] = position.get(e.target);
    const selected = picked.has(e.source) && picked.has(e.target);
    return { type: "scatter", mode: "lines", x: [x0, x1], y: [y0, y1], hoverinfo: "skip", showlegend: false,
      line: { width: 1 + (9 * e.events) / heaviest, color: selected ? "#16202e"
        : e.conflict_events * 2 > e.events ? "rgba(192,57,43,0.65)" : "rgba(47,109,181,0.45)" } };
  });
  traces.push({
    type: "scatter", mode: "markers+text", showlegend: false,
    x: nodes.map((n) => position.get(n.id)[0]), y: nodes.map((n) => position.get(n.id)[1]),
    text: nodes.map((n) => n.id), textposition: "top center",
    marker: { size: nodes.map((n) => 10 + 22 * Math.sqrt(n.events / Math.max(1, nodes[0].events))),
      color: nodes.map((n) => (picked.has(n.id) ? "#16202e" : "#7f97b5")) },
    customdata: nodes.map((n) => [n.events, n.conflict_events]),
    hovertemplate: "%{text}: %{customdata[0]} events (%{customdata[1]} conflictual)<extra></extra>",
  });
  const axis = { visible: false, range: [-1.3, 1.3], fixedrange: true };
  await Plotly.react(node, traces, {
    margin: { l: 5, r: 5, t: 5, b: 5 }, xaxis: axis, yaxis: { ...axis, scaleanchor: "x" },
    hovermode: "closest", annotations: nodes.length ? [] : [{ text: "no events in this period",
      showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5 }],
  }, PLOT_CONFIG);
}

function fieldValue(key, value) {
  if (value === null || value === undefined || value === "") return "–";
  if (SHARE_FIELDS.has(key) && typeof value === "number") return pct(value);
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

async function alertPage(main, id) {
  const v = view();
  const data = await api(`/api/alerts/${encodeURIComponent(id)}`, { exclude_reviewed: v.exclude_reviewed });
  const a = data.alert;
  state.alertView = { alert_id: a.alert_id, dyad: a.dyad, date: a.date, window_start: data.window_start };
  updateExport();
  const fields = el("dl", { class: "fields" });
  for (const [key, value] of Object.entries(a)) {
    if (HIDDEN_FIELDS.has(key)) continue;
    fields.append(el("dt", {}, ALERT_LABELS[key] || key.replace(/_/g, " ")),
      el("dd", { "data-field": key }, fieldValue(key, value)));
  }
  const params = el("dl", { class: "fields small" });
  for (const [key, value] of Object.entries(data.detector.parameters)) {
    params.append(el("dt", {}, key.replace(/_/g, " ")), el("dd", {}, fieldValue(key, value)));
  }
  const chart = el("div", { id: "alert-chart", class: "chart" });
  main.append(
    el("section", { class: "panel wide alert-head" },
      el("h2", { id: "alert-title" }, `Alert on ${a.dyad}, ${a.date}`, a.kind ? ` (${a.kind})` : ""),
      a.explanation ? el("p", { class: "explanation" }, a.explanation) : null,
      el("p", { id: "alert-reading", class: "reading" }, data.reading),
      el("p", {}, link(hashFor("dyad", a.dyad.replace(">", "-")), `All of ${a.dyad} →`))),
    panel("What the alert holds", fields),
    panel(`The detector: ${data.detector.name}`, el("p", { class: "small" }, data.detector.summary),
      el("h3", {}, "Its settings"), params),
    el("section", { class: "panel wide" }, el("h2", {}, "The series around it"),
      note(`Weeks of ${a.dyad} before and after the alert; the shaded band is the window it judged ` +
        `(${data.window_start} to ${a.date}).`), chart),
    el("section", { class: "panel wide" }, el("h2", {}, `Every event behind it (${data.events.length})`),
      note("The dyad's asserted conflict events (QuadClass 3-4) published in the window. " +
        "Mark one wrong if it should not have been coded: with 'leave out events marked wrong' " +
        "the alert is computed again without it."),
      eventsTable(data.events, "No events in the window.")),
    panel(`The stories (${data.stories.length})`, storyList(data.stories)));
  const range = [addDays(data.series.length ? data.series[0].period : data.window_start, -4),
    addDays(data.series.length ? data.series[data.series.length - 1].period : a.date, 7)];
  await seriesChart(chart, data.series, [{ ...a }], { window: [data.window_start, a.date], range });
}

function storyList(stories) {
  if (!stories.length) return note("No stories (run `foreshock code` to cluster them).");
  return el("ul", { class: "stories" }, stories.map((s) => el("li", {},
    link(hashFor("story", s.story_id), s.title || s.story_id),
    el("span", { class: "muted small" }, ` ${s.first_date}, ${s.num_articles} article(s) from ${s.num_sources} outlet(s)`))));
}

async function storyPage(main, id) {
  const s = await api(`/api/stories/${encodeURIComponent(id)}`);
  main.append(
    el("section", { class: "panel wide" }, el("h2", { id: "story-title" }, s.title || s.story_id),
      note(`${s.first_date}${s.last_date !== s.first_date ? ` to ${s.last_date}` : ""}: ` +
        `${s.num_articles} article(s) from ${s.num_sources} outlet(s), clustered as one story ` +
        "because their wording is nearly the same (a reprint counts once in series and alerts)."),
      el("h3", {}, "Outlets"),
      el("ul", { class: "outlets" }, s.articles.map((art) => el("li", {},
        el("strong", {}, art.outlet || "outlet not given"), ` ${art.date}: `,
        link(hashFor("article", art.article_id), art.title || art.article_id),
        art.url && /^https?:\/\//.test(art.url)
          ? [" ", el("a", { href: art.url, target: "_blank", rel: "noopener noreferrer", class: "small" }, "original ↗")]
          : null)))),
    el("section", { class: "panel wide" }, el("h2", {}, "Events of the story"),
      note("Counted once per story, source, target and CAMEO root; open an article to review its events."),
      el("div", { class: "table-wrap" }, el("table", {},
        el("thead", {}, el("tr", {}, ["Date", "Source → target", "Event", "Sentence", "Articles"].map((h) => el("th", {}, h)))),
        el("tbody", {}, s.events.map((e) => el("tr", { class: `q${e.quad_class}` },
          el("td", { class: "date" }, e.date), el("td", { class: "actors" }, `${e.source || "?"} → ${e.target || "–"}`),
          el("td", { class: "code" }, el("strong", {}, e.code), ` (${e.goldstein})`),
          el("td", {}, e.sentence, " ", link(hashFor("article", e.article_id), "article")),
          el("td", { class: "num" }, e.num_articles))))))));
}

// the article text with every event's trigger marked (overlapping spans share a mark)
function markedText(text, events) {
  const spans = [...events].filter((e) => e.end_char <= text.length && e.start_char < e.end_char)
    .sort((x, y) => x.start_char - y.start_char || y.end_char - x.end_char);
  const nodes = [];
  let at = 0;
  for (const e of spans) {
    if (e.start_char < at) continue; // nested in the previous mark: listed below instead
    nodes.push(text.slice(at, e.start_char));
    const same = spans.filter((o) => o.start_char === e.start_char && o.end_char === e.end_char);
    nodes.push(el("mark", { class: `q${e.quad_class} ${e.modality}${e.review === "wrong" ? " wrong" : ""}`,
      title: same.map((o) => `${o.source || "?"}→${o.target || "–"} ${o.code} ${o.code_name || ""} (${o.modality})`).join("\n"),
      "data-event": e.event_id }, text.slice(e.start_char, e.end_char)));
    at = e.end_char;
  }
  nodes.push(text.slice(at));
  return nodes;
}

function articleEventRow(e, rerender) {
  return el("tr", { class: `q${e.quad_class}${e.review === "wrong" ? " reviewed-wrong" : ""}`, "data-event": e.event_id },
    el("td", { class: "actors" }, `${e.source || "?"} → ${e.target || "–"}`),
    el("td", { class: "code" }, el("strong", {}, e.code), ` (${e.goldstein})`, el("span", { class: "name" }, e.code_name || "")),
    el("td", { class: "modality" }, el("span", { class: `badge ${e.modality}` }, e.modality)),
    el("td", {}, el("mark", {}, e.trigger || "")),
    el("td", { class: "actions" }, reviewBadge(e), reviewButton(e, rerender)));
}

async function articlePage(main, id) {
  const a = await api(`/api/articles/${encodeURIComponent(id)}`);
  const textBox = el("div", { class: "article-text", id: "article-text" });
  const eventsBody = el("tbody");
  const render = () => {
    textBox.replaceChildren(el("p", {}, markedText(a.text, a.events)));
    eventsBody.replaceChildren(...a.events.map((e) => articleEventRow(e, render)));
  };
  render();
  const original = a.url && /^https?:\/\//.test(a.url)
    ? el("a", { href: a.url, target: "_blank", rel: "noopener noreferrer" }, "original ↗") : null;
  main.append(
    el("section", { class: "panel wide" }, el("h2", { id: "article-title" }, a.title || a.article_id),
      el("p", { class: "muted" }, `${a.outlet || "outlet not given"}, ${a.date} `, original),
      note("Every coded event is marked in the text (hover a mark for its code; colour by QuadClass, " +
        "struck through when not asserted)."), textBox),
    el("section", { class: "panel wide" }, el("h2", {}, `Events (${a.events.length})`),
      el("div", { class: "table-wrap" }, el("table", { class: "article-events" },
        el("thead", {}, el("tr", {}, ["Source → target", "Event", "Modality", "Trigger", "Review"].map((h) => el("th", {}, h)))),
        eventsBody))),
    panel("The same story elsewhere", a.story
      ? [note(`Story: `), link(hashFor("story", a.story.story_id), a.story.title || a.story.story_id),
        a.other_articles.length
          ? el("ul", { class: "outlets" }, a.other_articles.map((o) => el("li", {},
            el("strong", {}, o.outlet || "outlet not given"), ` ${o.date}: `,
            link(hashFor("article", o.article_id), o.title || o.article_id))))
          : note("No other outlet carried it.")]
      : note("Not clustered into a story yet.")));
}

async function codebookPage(main) {
  const c = await api("/api/codebook");
  const filter = el("input", { type: "search", id: "cameo-filter", placeholder: "filter: code or words" });
  const body = el("tbody");
  const fill = () => {
    const needle = filter.value.trim().toLowerCase();
    body.replaceChildren(...c.cameo.filter((e) => !needle || e.code.startsWith(needle) ||
      e.name.toLowerCase().includes(needle)).map((e) => el("tr", { class: `q${e.quad_class}` },
      el("td", { class: "code" }, el("strong", {}, e.code)), el("td", {}, e.name),
      el("td", { class: "num" }, e.goldstein), el("td", {}, `${e.quad_class} ${QUAD_NAMES[e.quad_class]}`))));
  };
  filter.addEventListener("input", fill);
  fill();
  const terms = (list) => el("dl", { class: "fields" }, list.map((t) => [el("dt", {}, `${t.key} ${t.name !== t.key ? t.name : ""}`), el("dd", {}, t.meaning)]));
  main.append(
    panel("QuadClass", terms(c.quad_classes)),
    panel("Modality", terms(c.modalities)),
    panel("Goldstein scale", el("p", {}, c.goldstein)),
    el("section", { class: "panel wide" }, el("h2", {}, "Alert detectors"),
      c.detectors.map((d) => el("div", { class: "detector" }, el("h3", {}, d.name), el("p", { class: "small" }, d.summary),
        el("dl", { class: "fields small" }, Object.entries(d.parameters).map(([k, val]) =>
          [el("dt", {}, k.replace(/_/g, " ")), el("dd", {}, fieldValue(k, val))]))))),
    el("section", { class: "panel wide" }, el("h2", { id: "cameo-title" }, `CAMEO codes (${c.cameo.length})`), filter,
      el("div", { class: "table-wrap" }, el("table", { id: "cameo" },
        el("thead", {}, el("tr", {}, ["Code", "Name", "Goldstein", "QuadClass"].map((h) => el("th", {}, h)))), body))));
}

// --- dyad search ---------------------------------------------------------------------

let searchTimer = null;
async function searchDyads(text) {
  const data = await api("/api/dyads/search", { q: text, limit: 30 });
  $("dyad-options").replaceChildren(...data.dyads.map((d) =>
    el("option", { value: d.dyad }, `${d.names}: ${d.events} events`)));
  return data;
}

function onSearchInput() {
  const text = $("dyad-search").value.trim();
  clearTimeout(searchTimer);
  if (/^[A-Za-z0-9]{2,16}[->][A-Za-z0-9]{2,16}$/.test(text) &&
      [...$("dyad-options").options].some((o) => o.value === text.toUpperCase())) {
    go("dyad", text.toUpperCase());
    return;
  }
  searchTimer = setTimeout(() => searchDyads(text).catch(showError), 150);
}

async function onSearchEnter(event) {
  if (event.key !== "Enter") return;
  event.preventDefault();
  const text = $("dyad-search").value.trim();
  const data = await searchDyads(text).catch((error) => { showError(error); return null; });
  if (data && data.dyads.length) go("dyad", data.dyads[0].dyad);
}

// --- wiring --------------------------------------------------------------------------

const PAGES = { overview: overviewPage, dyad: dyadPage, alert: alertPage, story: storyPage,
  article: articlePage, codebook: codebookPage };

async function render() {
  const route = parseHash();
  state.route = route;
  state.alertView = null;
  const p = route.params;
  if (p.has("since")) $("since").value = p.get("since");
  if (p.has("until")) $("until").value = p.get("until");
  $("modality").value = p.get("modality") || "asserted";
  $("exclude-reviewed").checked = p.get("reviewed") === "exclude";
  document.body.dataset.page = route.page;
  for (const [name, id] of [["overview", "nav-overview"], ["codebook", "nav-codebook"]]) {
    $(id).classList.toggle("current", route.page === name);
  }
  updateExport();
  $("error").hidden = true;
  document.body.dataset.ready = "";
  const main = $("view");
  main.replaceChildren();
  const page = PAGES[route.page] || overviewPage;
  if (page !== overviewPage) await state.healthReady.catch(() => null);
  // a newer render may start while this one waits: only the newest one reports
  state.generation = (state.generation || 0) + 1;
  const generation = state.generation;
  try {
    await page(main, route.id);
  } catch (error) {
    if (generation === state.generation) showError(error);
  }
  if (generation === state.generation) markReady();
}

// a hook for tests and scripts: the page has finished drawing, and when
function markReady() {
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = "1";
}

function onSettings() {
  const target = hashFor(state.route.page, state.route.id);
  if (target === location.hash) render();
  else location.hash = target;
}

function showHealth(health) {
  state.health = health;
  describeDatabase(health);
  state.maxPage = health.max_page;
  state.first = health.first_date;
  state.last = health.last_date;
  const params = parseHash().params;
  // an empty period means the whole range: fill it in once the range is known
  if (!$("since").value) $("since").value = params.get("since") || health.first_date || "";
  if (!$("until").value) $("until").value = params.get("until") || health.last_date || "";
}

// --- live mode ---------------------------------------------------------------------

// Served by `foreshock watch`, the database grows while the page is open: look at the
// counts now and then, and when they change, redraw the page on screen (its dyads, alerts,
// series, map and events).
const LIVE_POLL_MS = 5000;

function describeDatabase(health) {
  const c = health.counts;
  $("dbinfo").textContent = `${health.database}: ${c.articles} articles, ${c.events} events ` +
    `(${c.asserted_events} asserted), ${c.alerts ?? 0} alerts, ${health.first_date || "?"} … ${health.last_date || "?"}` +
    (health.live ? " · live" : "");
}

function followLive(health) {
  if (!health.live) return;
  let seen = JSON.stringify(health.counts);
  setInterval(async () => {
    let now;
    try {
      now = await api("/api/health");
    } catch (error) {
      return; // a missed look: the next one will do
    }
    const key = JSON.stringify(now.counts);
    if (key === seen) return;
    seen = key;
    state.health = now;
    describeDatabase(now);
    const widen = $("until").value === (state.last || "");
    state.first = now.first_date;
    state.last = now.last_date;
    if (widen) { // following the newest data: the period grows with it
      $("until").value = now.last_date || "";
      history.replaceState(null, "", hashFor(state.route.page, state.route.id));
    }
    await render();
    document.body.dataset.liveUpdates = String(Number(document.body.dataset.liveUpdates || 0) + 1);
  }, LIVE_POLL_MS);
}

async function start() {
  // the overview needs nothing from /api/health: its requests leave at once, and plotly.js
  // compiles (about a second) while the server answers them; other pages wait for the
  // server's limits (page size) first
  state.healthReady = api("/api/health").then((health) => {
    showHealth(health);
    followLive(health);
  });
  state.healthReady.catch(showError);
  $("onset").value = localStorage.getItem("foreshock-reference") || "";
  $("token").value = sessionStorage.getItem("foreshock-token") || "";
  for (const id of ["since", "until", "modality", "exclude-reviewed"]) $(id).addEventListener("change", onSettings);
  $("onset").addEventListener("change", () => {
    localStorage.setItem("foreshock-reference", $("onset").value);
    render();
  });
  $("reset-range").addEventListener("click", () => {
    $("since").value = state.first || "";
    $("until").value = state.last || "";
    onSettings();
  });
  $("dyad-search").addEventListener("input", onSearchInput);
  $("dyad-search").addEventListener("keydown", onSearchEnter);
  $("controls").addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("hashchange", render);
  const drawn = render();
  plotly(); // after the page's requests are out, so its compile overlaps their work
  await drawn;
  await searchDyads("").catch(() => null); // the search suggestions, once the page is drawn
}

// a deferred script runs once the document is parsed: start right away
start();
