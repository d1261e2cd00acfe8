// Foreshock dashboard: vanilla JS over the JSON API; plotly.js is served by this server.
// Text from the database is only ever inserted as text nodes (never as HTML), so an
// article cannot inject markup into the page.
"use strict";

let PAGE = 50; // at most the server's max_page (see start)
const QUAD_COLORS = { 1: "#8fb8e8", 2: "#2f6db5", 3: "#f0a04b", 4: "#c0392b" };
const QUAD_NAMES = {
  1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict",
};
const PLOT_CONFIG = { displaylogo: false, responsive: true };

const state = {
  dyad: null, offset: 0, total: 0, series: [], alerts: [], first: null, last: null, maxPage: 500,
};
const $ = (id) => document.getElementById(id);

// --- small helpers -------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") query.set(key, value);
  }
  const url = query.toString() ? `${path}?${query}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const why = body.message || (typeof body.detail === "string" ? body.detail : response.statusText);
    throw new Error(`${path}: ${response.status} ${why}`);
  }
  return body;
}

// plotly.js is loaded on first use (see dashboard.html): the chart code awaits this
let plotlyLoading = null;
function plotly() {
  if (!plotlyLoading) {
    plotlyLoading = new Promise((resolve, reject) => {
      const script = el("script", { src: "/vendor/plotly.min.js" });
      script.onload = () => {
        performance.mark("plotly-loaded");
        resolve(window.Plotly);
      };
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

function clearError() {
  $("error").hidden = true;
}

function addDays(iso, days) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function pct(value) {
  return value === null || value === undefined ? null : Math.round(value * 1000) / 10;
}

function period() {
  return { since: $("since").value || null, until: $("until").value || null };
}

// the view lives in the URL fragment, so a view can be bookmarked or shared
function saveHash() {
  const p = new URLSearchParams();
  if (state.dyad) p.set("dyad", state.dyad);
  for (const id of ["since", "until", "onset", "modality"]) if ($(id).value) p.set(id, $(id).value);
  history.replaceState(null, "", `#${p}`);
}

function readHash() {
  return new URLSearchParams(location.hash.slice(1));
}

// --- dyad picker ---------------------------------------------------------------------

function fillDyads(data, wanted) {
  const select = $("dyad");
  select.replaceChildren();
  const seen = new Set();
  const groups = [
    ["Most escalating", data.most_escalating, (d) =>
      `${d.dyad} (conflict ${pct(d.previous_share)}% → ${pct(d.recent_share)}%)`],
    ["Most active", data.most_active, (d) => `${d.dyad} (${d.events} events)`],
  ];
  for (const [label, rows, text] of groups) {
    const group = el("optgroup", { label });
    for (const row of rows) {
      // a dyad in both lists is offered once, under the first
      if (seen.has(row.dyad)) continue;
      seen.add(row.dyad);
      group.append(el("option", { value: row.dyad }, text(row)));
    }
    if (group.children.length) select.append(group);
  }
  if (wanted && !seen.has(wanted)) {
    select.append(el("option", { value: wanted }, wanted));
    seen.add(wanted);
  }
  if (!seen.size) {
    select.append(el("option", { value: "" }, "no dyads in this database"));
    return null;
  }
  const choice = wanted || select.querySelector("option").value;
  select.value = choice;
  return choice;
}

// --- series chart --------------------------------------------------------------------

async function loadSeries() {
  const dyad = state.dyad;
  // either may fail alone (e.g. stories not computed yet): draw what there is
  const [series, alerts] = await Promise.all([
    api("/api/series", { dyad, freq: "week" }).catch((error) => {
      showError(error);
      return { rows: [] };
    }),
    api("/api/alerts", { dyad, limit: state.maxPage }).catch((error) => {
      showError(error);
      return { computed: false, alerts: [] };
    }),
  ]);
  if (dyad !== state.dyad) return; // another dyad was picked meanwhile
  state.series = series.rows;
  state.alerts = alerts.alerts;
  drawAlerts(alerts);
  await drawChart();
}

async function drawChart() {
  const Plotly = await plotly();
  const rows = state.series;
  const x = rows.map((r) => r.period);
  const traces = [1, 2, 3, 4].map((q) => ({
    type: "bar",
    name: QUAD_NAMES[q],
    x,
    y: rows.map((r) => r[`q${q}`]),
    marker: { color: QUAD_COLORS[q] },
    hovertemplate: `%{y} ${QUAD_NAMES[q]} story-events<extra>week of %{x}</extra>`,
  }));
  traces.push({
    type: "scatter",
    mode: "lines+markers",
    name: "conflict intensity",
    x,
    y: rows.map((r) => pct(r.intensity_rate)),
    yaxis: "y2",
    line: { color: "#16202e", width: 2 },
    // hollow points: weeks too thin (few coded story-events) to read a share from
    marker: { size: 6, symbol: rows.map((r) => (r.thin ? "circle-open" : "circle")) },
    customdata: rows.map((r) => [r.all_story_events, r.thin ? " (thin week)" : ""]),
    hovertemplate: "intensity %{y}: weighted conflict per 100 of the week's " +
      "%{customdata[0]} coded story-events%{customdata[1]}<extra></extra>",
  });
  const alerts = state.alerts;
  traces.push({
    type: "scatter",
    mode: "markers",
    name: "alert",
    x: alerts.map((a) => a.date),
    y: alerts.map((a) => pct(a.value)),
    yaxis: "y2",
    marker: { symbol: "triangle-up", size: 15, color: "#c0392b", line: { color: "#fff", width: 1 } },
    text: alerts.map((a) => `${a.detector} score ${a.score === null ? "?" : a.score.toFixed(1)}`),
    hovertemplate: "alert %{x}: %{text}<extra></extra>",
    showlegend: true,
  });
  const onset = $("onset").value;
  const { since, until } = period();
  const dates = [...x];
  if (onset) dates.push(onset);
  dates.sort();
  const shapes = [];
  const annotations = [];
  if (onset) {
    shapes.push({ type: "line", xref: "x", yref: "paper", x0: onset, x1: onset, y0: 0, y1: 1,
      line: { color: "#c0392b", width: 2, dash: "dash" } });
    annotations.push({ x: onset, y: 1, xref: "x", yref: "paper", text: `reference ${onset}`,
      showarrow: false, xanchor: "right", yanchor: "top", font: { color: "#c0392b", size: 11 } });
  }
  if (since || until) {
    shapes.push({ type: "rect", xref: "x", yref: "paper", layer: "below", y0: 0, y1: 1,
      x0: since || dates[0], x1: until || dates[dates.length - 1],
      fillcolor: "#1f5fae", opacity: 0.07, line: { width: 0 } });
  }
  const layout = {
    barmode: "stack",
    margin: { l: 45, r: 50, t: 10, b: 40 },
    legend: { orientation: "h", y: -0.15 },
    xaxis: { type: "date",
      range: dates.length ? [addDays(dates[0], -4), addDays(dates[dates.length - 1], 7)] : undefined },
    yaxis: { title: { text: "story-events" }, rangemode: "tozero" },
    yaxis2: { title: { text: "conflict intensity" }, overlaying: "y", side: "right", rangemode: "tozero",
      showgrid: false },
    shapes,
    annotations,
    hovermode: "closest",
  };
  $("chart-title").textContent = `${state.dyad}: weekly series`;
  const chart = $("chart");
  await Plotly.react(chart, traces, layout, PLOT_CONFIG);
  performance.mark("chart-drawn");
  if (!chart.dataset.bound) {
    // clicking a week selects it as the period of the table and the network
    chart.on("plotly_click", (event) => {
      const point = event.points && event.points[0];
      if (!point || point.data.type !== "bar") return;
      const start = String(point.x).slice(0, 10);
      $("since").value = start;
      $("until").value = addDays(start, 6);
      refreshPeriod();
    });
    chart.dataset.bound = "1";
  }
}

function drawAlerts(data) {
  const box = $("alerts");
  box.replaceChildren();
  if (!data.computed) {
    box.append(el("p", { class: "muted small" },
      "Alerts are not computed yet: run `foreshock alerts --db FILE`."));
    return;
  }
  if (!data.alerts.length) {
    box.append(el("p", { class: "muted small" }, `No alerts on ${state.dyad} in this database.`));
    return;
  }
  const list = el("ul");
  for (const a of data.alerts) {
    const top = a.evidence[0];
    const state = a.episode_start === a.date ? "new" : `continues ${a.episode_start}`;
    list.append(el("li", { class: `alert ${a.kind}` },
      el("strong", {}, a.date), " ", el("span", { class: `kind ${a.kind}` }, a.kind), " ",
      el("span", { class: "score" }, `score ${a.score === null ? "?" : a.score.toFixed(1)}`),
      ` (${state}${a.context ? `; ${a.context}` : ""})`,
      el("div", { class: "small explanation" }, a.explanation),
      top ? el("div", { class: "muted small" },
        `${top.source}→${top.target} ${top.code} [${top.num_articles} art.]: ${top.sentence}`)
        : null));
  }
  box.append(list);
}

// --- events table --------------------------------------------------------------------

function evidenceCell(e) {
  const cell = el("td", { class: "evidence" });
  const s = e.sentence;
  if (e.trigger_start !== null && e.trigger_end !== null && e.trigger_end <= s.length) {
    cell.append(s.slice(0, e.trigger_start), el("mark", {}, s.slice(e.trigger_start, e.trigger_end)),
      s.slice(e.trigger_end));
  } else {
    cell.append(s);
  }
  const source = el("span", { class: "source" });
  const title = e.title || e.article_id;
  if (e.url && /^https?:\/\//.test(e.url)) {
    source.append(el("a", { href: e.url, target: "_blank", rel: "noopener noreferrer" }, title));
  } else {
    source.append(title);
  }
  if (e.outlet) source.append(` — ${e.outlet}`);
  cell.append(source);
  return cell;
}

function eventRow(e) {
  const sector = (value) => (value ? el("span", { class: "sector" }, ` ${value}`) : null);
  const gs = el("span", { class: `gs${e.goldstein < 0 ? " neg" : ""}`, title: "Goldstein scale" },
    ` (${e.goldstein > 0 ? "+" : ""}${e.goldstein})`);
  const modality = el("td", {}, el("span", { class: `badge ${e.modality}` }, e.modality));
  if (e.reported_by) modality.append(el("span", { class: "reported" }, `reported by ${e.reported_by}`));
  return el("tr", { class: `q${e.quad_class}`, "data-event": e.event_id },
    el("td", { class: "date" }, e.date),
    el("td", { class: "actors" }, e.source || "?", sector(e.source_sector), " → ",
      e.target || "–", sector(e.target_sector)),
    el("td", { class: "code" }, el("strong", {}, e.code), gs,
      el("span", { class: "name" }, e.code_name || "")),
    modality,
    evidenceCell(e));
}

async function loadEvents() {
  const dyad = state.dyad;
  const { since, until } = period();
  const data = await api("/api/events", {
    dyad, since, until, modality: $("modality").value, limit: PAGE, offset: state.offset,
    order: "desc",
  });
  if (dyad !== state.dyad) return;
  state.total = data.total;
  const body = $("events").querySelector("tbody");
  body.replaceChildren(...data.events.map(eventRow));
  if (!data.events.length) {
    body.append(el("tr", {}, el("td", { colspan: "5", class: "muted" }, "No events for this selection.")));
  }
  const first = data.total ? data.offset + 1 : 0;
  const last = data.offset + data.events.length;
  $("events-count").textContent = `${data.total} ${$("modality").value} events of ${dyad}`;
  $("page-info").textContent = `${first}–${last} of ${data.total}, newest first`;
  $("prev").disabled = data.offset === 0;
  $("next").disabled = last >= data.total;
  performance.mark("events-shown");
}

// --- actor network -------------------------------------------------------------------

// slot i*stride mod n for a stride near n/3 that is coprime with n: a permutation of the
// circle's slots in which consecutive ranks sit about a third of the circle apart
function spread(n) {
  const gcd = (a, b) => (b ? gcd(b, a % b) : a);
  let stride = Math.max(1, Math.round(n / 3));
  while (n > 1 && gcd(stride, n) !== 1) stride += 1;
  return Array.from({ length: n }, (_, i) => (i * stride) % Math.max(n, 1));
}

async function loadNetwork() {
  const { since, until } = period();
  const [data, Plotly] = await Promise.all([
    api("/api/network", { since, until, limit: 30 }), plotly()]);
  $("network-period").textContent = `${since || "start"} … ${until || "end"}`;
  const nodes = data.nodes;
  const position = new Map();
  const slots = spread(nodes.length);
  nodes.forEach((n, i) => {
    // the busiest actors (first) land far apart, so their heavy edges cross the circle
    const angle = Math.PI / 2 - (2 * Math.PI * slots[i]) / Math.max(nodes.length, 1);
    position.set(n.id, [Math.cos(angle), Math.sin(angle)]);
  });
  const picked = new Set((state.dyad || "").split(/[->]/));
  const heaviest = Math.max(1, ...data.edges.map((e) => e.events));
  const traces = data.edges.map((e) => {
    const [x0, y0] = position.get(e.source);
    const [x1, y1] = position.get(e.target);
    const conflictual = e.conflict_events * 2 > e.events;
    const selected = picked.has(e.source) && picked.has(e.target);
    return {
      type: "scatter", mode: "lines", x: [x0, x1], y: [y0, y1], hoverinfo: "skip",
      showlegend: false,
      line: { width: 1 + (9 * e.events) / heaviest,
        color: selected ? "#16202e" : conflictual ? "rgba(192,57,43,0.65)" : "rgba(47,109,181,0.45)" },
    };
  });
  // hover targets at the edges' midpoints (plotly lines only hover at their ends)
  traces.push({
    type: "scatter", mode: "markers", showlegend: false,
    x: data.edges.map((e) => (position.get(e.source)[0] + position.get(e.target)[0]) / 2),
    y: data.edges.map((e) => (position.get(e.source)[1] + position.get(e.target)[1]) / 2),
    marker: { size: 8, opacity: 0 },
    text: data.edges.map((e) =>
      `${e.source}–${e.target}: ${e.events} events, ${e.conflict_events} conflictual, ` +
      `mean Goldstein ${e.goldstein_mean}`),
    hovertemplate: "%{text}<extra></extra>",
  });
  const biggest = Math.max(1, ...nodes.map((n) => n.events));
  traces.push({
    type: "scatter", mode: "markers+text", showlegend: false,
    x: nodes.map((n) => position.get(n.id)[0]),
    y: nodes.map((n) => position.get(n.id)[1]),
    text: nodes.map((n) => n.id),
    textposition: "top center",
    marker: {
      size: nodes.map((n) => 10 + 22 * Math.sqrt(n.events / biggest)),
      color: nodes.map((n) => (picked.has(n.id) ? "#16202e" : "#7f97b5")),
      line: { color: "#fff", width: 1 },
    },
    customdata: nodes.map((n) => [n.events, n.conflict_events]),
    hovertemplate: "%{text}: %{customdata[0]} events (%{customdata[1]} conflictual)<extra></extra>",
  });
  const axis = { visible: false, range: [-1.3, 1.3], fixedrange: true };
  await Plotly.react($("network"), traces, {
    margin: { l: 5, r: 5, t: 5, b: 5 },
    xaxis: axis,
    yaxis: { ...axis, scaleanchor: "x" },
    hovermode: "closest",
    annotations: nodes.length ? [] : [{ text: "no events in this period", showarrow: false,
      xref: "paper", yref: "paper", x: 0.5, y: 0.5 }],
  }, PLOT_CONFIG);
  performance.mark("network-drawn");
}

// --- wiring --------------------------------------------------------------------------

async function run(...tasks) {
  clearError();
  document.body.dataset.ready = "";
  const results = await Promise.allSettled(tasks.map((task) => task()));
  for (const r of results) if (r.status === "rejected") showError(r.reason);
  markReady();
}

// a hook for tests and scripts: the page has finished drawing, and when
function markReady() {
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = "1";
}

function refreshPeriod() {
  state.offset = 0;
  saveHash();
  return run(loadEvents, loadNetwork, drawChart);
}

function pickDyad(dyad) {
  state.dyad = dyad;
  state.offset = 0;
  saveHash();
  const done = run(loadSeries, loadEvents, loadNetwork);
  plotly(); // after the requests above are sent, so its compile overlaps their work
  return done;
}

async function start() {
  const hash = readHash();
  // both at once: the picker needs the dyads, the date fields the database's range
  const dyads = api("/api/dyads", { limit: 15 });
  dyads.catch(() => {}); // reported below, where it is awaited
  let health;
  try {
    health = await api("/api/health");
  } catch (error) {
    showError(error);
    markReady();
    return;
  }
  const c = health.counts;
  $("dbinfo").textContent = `${health.database}: ${c.articles} articles, ${c.events} events ` +
    `(${c.asserted_events} asserted), ${health.first_date || "?"} … ${health.last_date || "?"}`;
  state.maxPage = health.max_page;
  PAGE = Math.min(PAGE, health.max_page);
  state.first = health.first_date;
  state.last = health.last_date;
  $("since").value = hash.get("since") || health.first_date || "";
  $("until").value = hash.get("until") || health.last_date || "";
  if (hash.get("onset") !== null) $("onset").value = hash.get("onset");
  if (hash.get("modality")) $("modality").value = hash.get("modality");
  let dyad = null;
  try {
    dyad = fillDyads(await dyads, hash.get("dyad"));
  } catch (error) {
    showError(error);
  }
  $("dyad").addEventListener("change", (event) => pickDyad(event.target.value));
  for (const id of ["since", "until"]) $(id).addEventListener("change", refreshPeriod);
  $("modality").addEventListener("change", () => {
    state.offset = 0;
    saveHash();
    run(loadEvents);
  });
  $("onset").addEventListener("change", () => {
    saveHash();
    drawChart().catch(showError);
  });
  $("reset-range").addEventListener("click", () => {
    $("since").value = state.first || "";
    $("until").value = state.last || "";
    refreshPeriod();
  });
  $("prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE);
    run(loadEvents);
  });
  $("next").addEventListener("click", () => {
    state.offset += PAGE;
    run(loadEvents);
  });
  if (dyad) await pickDyad(dyad);
  else markReady();
}

// a deferred script runs once the document is parsed: start right away
start();
