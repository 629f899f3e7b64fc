// orbitaldc page: sliders -> /api/evaluate + /api/breakeven -> tables and Plotly charts.
// Display conversions (MW, %, $M) happen only here, at the edge; the API speaks library units.
"use strict";

const MAIN = [
  { group: "Satellite model", params: [
    { name: "mass_model", label: "Satellite model" },
  ] },
  { group: "Orbital", params: [
    { name: "target_power_w", label: "IT power", scale: 1e-6, unit: "MW", log: true },
    { name: "analysis_years", label: "Analysis period", unit: "yr" },
    { name: "satellite_cost_usd_per_w", label: "Satellite cost", unit: "$/W" },
    { name: "specific_power_w_per_kg", label: "Specific power (whole satellite)", unit: "W/kg", when: "specific_power" },
    { name: "sun_fraction", label: "Sun fraction", scale: 100, unit: "%", when: "specific_power" },
    { name: "cell_degradation_per_yr", label: "Solar cell degradation", scale: 100, unit: "%/yr" },
    { name: "gpu_failure_per_yr", label: "GPU failures", scale: 100, unit: "%/yr" },
    { name: "ops_cost_fraction_per_yr", label: "Operations", scale: 100, unit: "%/yr of hardware" },
    { name: "nre_cost_usd", label: "Non-recurring engineering", scale: 1e-6, unit: "$M" },
    { name: "sizing_basis", label: "Array sizing" },
    { name: "replacement", label: "Failed GPUs" },
  ] },
  { group: "Physics (bottom-up)", when: "bottom_up", params: [
    { name: "sun_fraction_model", label: "Sun fraction from" },
    { name: "orbit_type", label: "Orbit type" },
    { name: "altitude_m", label: "Altitude", scale: 1e-3, unit: "km" },
    { name: "ltan_h", label: "Local time of ascending node", unit: "h" },
    { name: "inclination_rad", label: "Inclination (LEO shells)", scale: 180 / Math.PI, unit: "deg" },
    { name: "radiator_temperature_k", label: "Radiator temperature", unit: "K" },
    { name: "shielding_thickness_m", label: "Shielding (aluminium)", scale: 1e3, unit: "mm" },
    { name: "solar_cell_efficiency", label: "Cell efficiency", scale: 100, unit: "%" },
    { name: "solar_array_specific_power_w_per_kg", label: "Array technology", unit: "W/kg" },
    { name: "battery_specific_energy_j_per_kg", label: "Battery technology", scale: 1 / 3600, unit: "Wh/kg" },
  ] },
  { group: "Launch", params: [
    { name: "launch_cost_usd_per_kg", label: "Launch price", unit: "$/kg", log: true },
    { name: "launch_learning_rate", label: "Launch learning rate", scale: 100, unit: "% per doubling" },
  ] },
  { group: "Terrestrial", params: [
    { name: "terrestrial_power_source", label: "Power source" },
    { name: "pue", label: "PUE", unit: "" },
    { name: "capacity_factor", label: "Capacity factor", scale: 100, unit: "%" },
    { name: "gas_price_usd_per_mmbtu", label: "Gas price", unit: "$/MMBtu" },
    { name: "grid_price_usd_per_kwh", label: "Grid price", unit: "$/kWh" },
    { name: "gas_turbine_capex_usd_per_kw", label: "Gas turbines", unit: "$/kW" },
    { name: "electrical_capex_usd_per_w", label: "Electrical capex", unit: "$/W" },
    { name: "mechanical_capex_usd_per_w", label: "Mechanical capex", unit: "$/W" },
    { name: "civil_capex_usd_per_w", label: "Civil capex", unit: "$/W" },
    { name: "network_capex_usd_per_w", label: "Network / fit-out capex", unit: "$/W" },
    { name: "grid_connection_delay_yr", label: "Grid connection delay", unit: "yr" },
  ] },
  { group: "Scope and life cycle", params: [
    { name: "cost_scope", label: "Cost scope" },
    { name: "cost_basis", label: "Cost basis" },
    { name: "satellite_life_yr", label: "Satellite life", unit: "yr" },
    { name: "it_life_yr", label: "IT equipment life (ground)", unit: "yr" },
    { name: "discount_rate_per_yr", label: "Discount rate", scale: 100, unit: "%/yr" },
    { name: "orbital_discount_rate_per_yr", label: "Discount rate, orbit", scale: 100, unit: "%/yr",
      fallback: "discount_rate_per_yr" },
    { name: "terrestrial_discount_rate_per_yr", label: "Discount rate, ground", scale: 100, unit: "%/yr",
      fallback: "discount_rate_per_yr" },
    { name: "gpu_utilization", label: "GPU utilization", scale: 100, unit: "%" },
  ] },
];
const SLIDER_STEPS = 1000;
const CURVE_POINTS = 80;
const COLORS = { orbit: "#3b6fd8", ground: "#c0712c" };
const PARTS = {
  orbital: { hardware: "Satellites", launch: "Launch", shielding: "Shielding", operations: "Operations",
             gpu_replacement: "GPU replacement", nre: "NRE" },
  terrestrial: { power_generation: "Power plant", electrical: "Electrical", mechanical: "Mechanical",
                 civil: "Civil", network: "Network", other_capex: "Other capex", energy: "Energy (fuel/grid)" },
};
const PART_COLORS = ["#3b6fd8", "#7fa3ea", "#9b59b6", "#5dade2", "#1abc9c", "#34495e",
                     "#c0712c", "#e59866", "#d4ac0d", "#a04000", "#7e5109", "#b9770e", "#873600"];

const state = { preset: null, overrides: {}, uncertainty: {}, mc: null, tornado: false, explain: null };
let library = {};       // name -> spec (value = the preset's value)
let presets = {};
let seq = 0;
let controller = null;
let timer = null;
let mcTimer = null;
let tornadoTimer = null;
let explainTimer = null;

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- formatting
function usd(x) {
  if (x === null || x === undefined || !isFinite(x)) return "n/a";
  const a = Math.abs(x), sign = x < 0 ? "-" : "";
  for (const [s, suf] of [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "k"]]) {
    if (a >= s) return sign + "$" + (a / s).toFixed(2) + suf;
  }
  return sign + "$" + a.toFixed(2);
}
function num(x, digits = 4) {
  if (x === null || x === undefined || !isFinite(x)) return "n/a";
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString("en-US") : String(Number(x.toPrecision(digits)));
}
function nice(x, type) {
  if (type === "int") return Math.round(x);
  return Number(x.toPrecision(4));
}
function setStatus(text, error = false) {
  const el = $("status");
  el.textContent = text;
  el.className = error ? "error" : "";
}

// ---------------------------------------------------------------- API
async function api(path, body, signal) {
  const opts = body === undefined ? { signal } :
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal };
  const r = await fetch(path, opts);
  if (!r.ok) {
    let msg = r.status + " " + r.statusText;
    try {
      const j = await r.json();
      msg = Array.isArray(j.detail) ? j.detail.map((d) => d.msg).join("; ") : String(j.detail);
    } catch (e) { /* keep the status line */ }
    throw new Error(msg);
  }
  return r;
}
const scenarioBody = () => ({ preset: state.preset, overrides: { ...state.overrides } });
const uncertaintyBody = () => (Object.keys(state.uncertainty).length ? { uncertainty: { ...state.uncertainty } } : {});

// ---------------------------------------------------------------- URL state
function readUrl() {
  const q = new URLSearchParams(location.search);
  const out = { preset: q.get("preset"), overrides: {}, mc: null, tornado: q.get("tornado") === "1",
                explain: q.get("explain") };
  out.uncertainty = {};
  for (const [k, v] of q.entries()) {
    if (["preset", "mc_samples", "mc_seed", "tornado", "explain"].includes(k)) continue;
    if (k.startsWith("u.")) { out.uncertainty[k.slice(2)] = v; continue; }
    out.overrides[k] = v;
  }
  if (q.has("mc_samples")) out.mc = { samples: Number(q.get("mc_samples")), seed: Number(q.get("mc_seed") || 0) };
  return out;
}
function writeUrl() {
  const q = new URLSearchParams();
  q.set("preset", state.preset);
  for (const [k, v] of Object.entries(state.overrides)) q.set(k, String(v));
  for (const [k, u] of Object.entries(state.uncertainty)) q.set("u." + k, [u.distribution, u.low, u.high].join(","));
  if (state.mc) { q.set("mc_samples", String(state.mc.samples)); q.set("mc_seed", String(state.mc.seed)); }
  if (state.tornado) q.set("tornado", "1");
  if (state.explain) q.set("explain", state.explain);
  history.replaceState(null, "", "?" + q.toString());
}

// ---------------------------------------------------------------- controls
function sliderRange(spec, cfg) {
  const v = spec.value;
  const min = spec.min ?? -Infinity, max = spec.max ?? Infinity;
  let lo = spec.low ?? (v > 0 ? v / 10 : spec.min);
  let hi = spec.high ?? (v > 0 ? v * 10 : spec.max);
  if (lo === null || hi === null || !isFinite(lo) || !isFinite(hi)) { lo = 0; hi = v > 0 ? 2 * v : 1; }
  lo = Math.max(min, Math.min(lo, v)); hi = Math.min(max, Math.max(hi, v));
  if (!(hi > lo)) { lo = Math.max(min, v > 0 ? v / 2 : v - 1); hi = Math.min(max, v > 0 ? v * 2 : v + 1); }
  return { lo, hi, log: Boolean(cfg.log) && lo > 0 };
}
function toPos(r, x) {
  const f = r.log ? Math.log(x / r.lo) / Math.log(r.hi / r.lo) : (x - r.lo) / (r.hi - r.lo);
  return Math.round(Math.min(1, Math.max(0, f)) * SLIDER_STEPS);
}
function fromPos(r, p) {
  const f = p / SLIDER_STEPS;
  return r.log ? r.lo * Math.pow(r.hi / r.lo, f) : r.lo + f * (r.hi - r.lo);
}
function hoverText(spec) {
  let t = spec.source || "";
  if (spec.dollar_year) t += ` [${spec.dollar_year} dollars]`;
  const rng = spec.type === "str" ? "choices: " + spec.choices.join(", ")
    : `allowed ${spec.min ?? "-inf"} to ${spec.max ?? "inf"} ${spec.unit}` +
      (spec.low !== null && spec.high !== null ? `; plausible ${spec.low} to ${spec.high} (${spec.distribution})` : "");
  return `${t}\n${rng}\nlibrary default: ${spec.default} ${spec.unit}`;
}
function currentValue(name) {
  return name in state.overrides ? state.overrides[name] : library[name].value;
}
function setValue(name, value, reschedule = true) {
  const spec = library[name];
  if (value === spec.value) delete state.overrides[name];
  else state.overrides[name] = value;
  const row = document.querySelector(`.param[data-name="${name}"]`);
  if (row) row.classList.toggle("changed", name in state.overrides);
  if (reschedule) schedule();
}

function modelChoice() { return currentValue("mass_model"); }
function applyModel() {
  const model = modelChoice();
  for (const el of document.querySelectorAll("[data-when]")) el.hidden = el.dataset.when !== model;
  physicsPanels(model);  // physics.js: mass budget and twin panels
}
function numberRow(cfg, spec, row, label) {
  const scale = cfg.scale || 1;
  const raw = currentValue(cfg.name);
  const unset = raw === null || raw === undefined;
  const value = unset ? Number(currentValue(cfg.fallback)) : Number(raw);
  let r = sliderRange({ ...spec, value }, cfg);
  const slider = document.createElement("input");
  slider.type = "range";
  slider.min = "0"; slider.max = String(SLIDER_STEPS); slider.step = "1";
  slider.id = "slider-" + cfg.name;
  slider.title = label.title;
  slider.setAttribute("aria-label", cfg.label + (cfg.unit ? ` [${cfg.unit}]` : ""));
  slider.value = String(toPos(r, value));
  const box = document.createElement("input");
  box.type = "number";
  box.id = "in-" + cfg.name;
  box.step = "any";
  box.value = unset ? "" : String(nice(value * scale, "float"));
  if (unset) box.placeholder = "same as " + (library[cfg.fallback] ? cfg.fallback : "default");
  slider.addEventListener("input", () => {
    const v = nice(fromPos(r, Number(slider.value)), spec.type);
    box.value = String(nice(v * scale, "float"));
    setValue(cfg.name, v);
  });
  box.addEventListener("change", () => {
    const v = spec.type === "int" ? Math.round(Number(box.value) / scale) : Number(box.value) / scale;
    if (box.value === "" || !isFinite(v) || (spec.min !== null && v < spec.min) || (spec.max !== null && v > spec.max)) {
      setStatus(`${cfg.name}: ${box.value} ${cfg.unit || ""} is outside the allowed range ` +
                `${spec.min === null ? "-inf" : spec.min * scale} to ${spec.max === null ? "inf" : spec.max * scale}`, true);
      return;
    }
    if (v < r.lo || v > r.hi) r = sliderRange({ ...spec, value: v }, cfg);
    slider.value = String(toPos(r, v));
    setValue(cfg.name, v);
  });
  row.append(slider, box);
  uncertaintyControls(cfg, spec, row);  // physics.js: low/high and distribution for the Monte Carlo
}
function choiceRow(cfg, spec, row, label) {
  const sel = document.createElement("select");
  sel.id = "in-" + cfg.name;
  sel.title = label.title;
  for (const c of spec.choices) {
    const o = document.createElement("option");
    o.value = o.textContent = c;
    sel.append(o);
  }
  sel.value = currentValue(cfg.name);
  sel.addEventListener("change", () => {
    if (cfg.name === "mass_model") {  // the model switch: the bottom-up chain sizes from the orbit
      if (sel.value === "bottom_up" && library.sun_fraction_model) setValue("sun_fraction_model", "orbit", false);
      if (sel.value !== "bottom_up") delete state.overrides.sun_fraction_model;
      setValue(cfg.name, sel.value, false);
      buildControls();
      schedule();
      return;
    }
    setValue(cfg.name, sel.value);
  });
  row.append(sel);
}
function buildControls() {
  const root = $("controls");
  root.replaceChildren();
  for (const grp of MAIN) {
    const fs = document.createElement("fieldset");
    if (grp.when) fs.dataset.when = grp.when;
    const lg = document.createElement("legend");
    lg.textContent = grp.group;
    fs.append(lg);
    for (const cfg of grp.params) {
      const spec = library[cfg.name];
      if (!spec) continue;  // not in this library version
      const row = document.createElement("div");
      row.className = "param";
      row.dataset.name = cfg.name;
      if (cfg.when) row.dataset.when = cfg.when;
      const label = document.createElement("label");
      label.title = hoverText(spec);
      label.htmlFor = "in-" + cfg.name;
      label.textContent = cfg.label + " ";
      const unit = document.createElement("span");
      unit.className = "unit";
      unit.textContent = cfg.unit ? `[${cfg.unit}]` : "";
      label.append(unit);
      row.append(label);
      if (spec.type === "str") choiceRow(cfg, spec, row, label);
      else numberRow(cfg, spec, row, label);
      row.classList.toggle("changed", cfg.name in state.overrides);
      fs.append(row);
    }
    root.append(fs);
  }
  applyModel();
}

// ---------------------------------------------------------------- rendering
function renderSummary(ev) {
  const o = ev.orbital, t = ev.terrestrial;
  $("orbital-total").textContent = usd(o.total_cost_usd);
  $("terrestrial-total").textContent = usd(t.total_cost_usd);
  $("orbital-cpw").textContent = usd(o.cost_per_watt_usd) + "/W";
  $("terrestrial-cpw").textContent = usd(t.cost_per_watt_usd) + "/W";
  $("orbital-lcoe").textContent = usd(o.lcoe_usd_per_mwh) + "/MWh";
  $("terrestrial-lcoe").textContent = usd(t.lcoe_usd_per_mwh) + "/MWh";
  $("orbital-lcoc").textContent = usd(o.lcoc_usd_per_gpu_hour) + "/GPU-h";
  $("terrestrial-lcoc").textContent = usd(t.lcoc_usd_per_gpu_hour) + "/GPU-h";
  $("orbital-mass").textContent = num(o.mass_to_orbit_kg / 1000) + " t";
  $("orbital-counts").textContent = num(o.satellite_count) + " / " + num(o.launch_count);
  // the headline is the levelized cost of compute (LCOC): $ per delivered GPU-hour, like for like
  const lcoc = ev.orbital_to_terrestrial_lcoc_ratio, total = ev.orbital_to_terrestrial_cost_ratio;
  const v = $("verdict");
  v.className = "verdict " + (lcoc !== null && lcoc < 1 ? "cheaper" : "dearer");
  v.textContent = lcoc === null ? "LCOC ratio n/a" :
    `Orbit's compute costs ${lcoc.toFixed(2)}x the ground's per GPU-hour (LCOC, ` +
    `${lcoc < 1 ? "cheaper" : "more expensive"}); total cost ratio ${total === null ? "n/a" : total.toFixed(2) + "x"}.`;
  $("scope").textContent = `Scope: ${ev.cost_scope ?? "n/a"}, basis: ${ev.cost_basis ?? "n/a"}.`;
}

const baseLayout = (title) => ({
  title: { text: title, font: { size: 14 } }, margin: { l: 60, r: 16, t: 40, b: 44 },
  paper_bgcolor: "#fff", plot_bgcolor: "#fff", legend: { orientation: "h", y: -0.22, font: { size: 11 } },
});
const plotConfig = { displaylogo: false, responsive: true };

function bump(id) {
  const el = $(id);
  el.dataset.rev = String(Number(el.dataset.rev || 0) + 1);
}

function renderBreakdown(ev) {
  const traces = [];
  let i = 0;
  for (const side of ["orbital", "terrestrial"]) {
    const x = side === "orbital" ? "Orbital" : "Terrestrial";
    for (const [key, label] of Object.entries(PARTS[side])) {
      const val = ev.breakdown[side][key];
      const color = PART_COLORS[i++ % PART_COLORS.length];
      if (!val) continue;
      traces.push({ type: "bar", name: label, x: [x], y: [val / 1e9], marker: { color },
                    hovertemplate: `${label}: $%{y:.3f}B<extra></extra>` });
    }
  }
  Plotly.react("chart-breakdown", traces,
    { ...baseLayout("Cost breakdown"), barmode: "stack", yaxis: { title: { text: "$ billion" } } }, plotConfig);
  bump("chart-breakdown");
}

function renderCurve(be, ev) {
  const c = be.curve;
  if (!c) return;
  const b = (a) => a.map((x) => (x === null ? null : x / 1e9));
  const spread = Math.max(...c.x) / Math.max(Math.min(...c.x), 1e-300);
  const traces = [
    { type: "scatter", mode: "lines", name: "Orbital", x: c.x, y: b(c.orbital_total_cost_usd), line: { color: COLORS.orbit } },
    { type: "scatter", mode: "lines", name: "Terrestrial", x: c.x, y: b(c.terrestrial_total_cost_usd), line: { color: COLORS.ground } },
  ];
  const cur = be.current_value;
  traces.push({ type: "scatter", mode: "markers", name: "This scenario", x: [cur], y: [ev.orbital.total_cost_usd / 1e9],
                          marker: { color: COLORS.orbit, size: 10, symbol: "circle-open", line: { width: 2 } } });
  const shapes = [], annotations = [];
  if (be.value !== null) {
    shapes.push({ type: "line", x0: be.value, x1: be.value, yref: "paper", y0: 0, y1: 1, line: { dash: "dash", color: "#2a9d55" } });
    annotations.push({ x: Math.log10(be.value), y: 1, yref: "paper", text: `break-even ${num(be.value)} ${be.unit}`,
                       showarrow: false, yanchor: "bottom", font: { color: "#2a9d55", size: 11 } });
    if (spread < 10) annotations[0].x = be.value;
  }
  Plotly.react("chart-curve", traces, {
    ...baseLayout(`Total cost vs ${be.parameter === "launch_cost_usd_per_kg" ? "launch price" : be.parameter}`),
    xaxis: { title: { text: be.unit }, type: spread >= 10 ? "log" : "linear" },
    yaxis: { title: { text: "$ billion" }, rangemode: "tozero" }, shapes, annotations,
    legend: { x: 0.01, y: 0.99, bgcolor: "rgba(255,255,255,0.7)", font: { size: 11 } },
  }, plotConfig);
  $("breakeven").textContent = (be.value === null ? "No break-even: " : "Break-even: ") + be.text;
  bump("chart-curve");
}

// ---------------------------------------------------------------- update cycle
function schedule() {
  writeUrl();
  clearTimeout(timer);
  timer = setTimeout(refresh, 40);
  if (state.mc) { clearTimeout(mcTimer); mcTimer = setTimeout(runMonteCarlo, 400); }
  if (state.tornado) { clearTimeout(tornadoTimer); tornadoTimer = setTimeout(runTornado, 450); }
  if (state.explain) { clearTimeout(explainTimer); explainTimer = setTimeout(runExplain, 500); }
}

async function refresh() {
  const my = ++seq;
  if (controller) controller.abort();
  controller = new AbortController();
  const signal = controller.signal;
  setStatus("computing…");
  const query = location.search;
  try {
    const body = scenarioBody();
    const [ev, be] = await Promise.all([
      api("/api/evaluate", body, signal).then((r) => r.json()),
      api("/api/breakeven", { ...body, curve_points: CURVE_POINTS }, signal).then((r) => r.json()),
    ]);
    if (my !== seq) return;
    renderSummary(ev);
    renderBreakdown(ev);
    renderCurve(be, ev);
    renderDesign(ev);  // physics.js: mass budget and areas of the bottom-up design
    setStatus("");
    document.body.dataset.state = query;  // the URL this view was computed for
    document.body.dataset.ready = String(my);
  } catch (e) {
    if (e.name === "AbortError") return;
    setStatus(e.message, true);
  }
}

async function runMonteCarlo() {
  const samples = Number($("mc-samples").value), seed = Math.max(0, Math.round(Number($("mc-seed").value) || 0));
  state.mc = { samples, seed };
  writeUrl();
  $("mc-result").textContent = "running…";
  try {
    const r = await (await api("/api/montecarlo", { ...scenarioBody(), ...uncertaintyBody(), samples, seed })).json();
    const p = r.percentiles.orbital_to_terrestrial_cost_ratio;
    $("mc-result").textContent =
      `P(orbit cheaper) = ${(100 * r.probability_orbital_cheaper_total_cost).toFixed(1)} % on total cost, ` +
      `${(100 * r.probability_orbital_cheaper_lcoc).toFixed(1)} % on LCOC; cost ratio P5 ${num(p.p5, 3)}, ` +
      `P50 ${num(p.p50, 3)}, P95 ${num(p.p95, 3)} (${r.samples.toLocaleString("en-US")} samples, seed ${r.seed}` +
      `${Object.keys(state.uncertainty).length ? "; your ranges for " + Object.keys(state.uncertainty).join(", ") : ""})`;
    const h = r.cost_ratio_histogram;
    if (h) {
      const mids = h.counts.map((_, i) => 0.5 * (h.edges[i] + h.edges[i + 1]));
      const colors = mids.map((m) => (m < 1 ? "#2a9d55" : "#c0392b"));
      Plotly.react("chart-mc", [{ type: "bar", x: mids, y: h.counts, marker: { color: colors },
        hovertemplate: "ratio %{x:.3f}: %{y} samples<extra></extra>" }], {
        ...baseLayout("Orbital / terrestrial total cost"), bargap: 0.02, showlegend: false,
        xaxis: { title: { text: "cost ratio (below 1: orbit cheaper)" } }, yaxis: { title: { text: "samples" } },
        shapes: [{ type: "line", x0: 1, x1: 1, yref: "paper", y0: 0, y1: 1, line: { dash: "dot", color: "#333" } }],
      }, plotConfig);
      bump("chart-mc");
    }
  } catch (e) {
    $("mc-result").textContent = "Monte Carlo failed: " + e.message;
  }
}

async function runTornado() {
  state.tornado = true;
  writeUrl();
  try {
    const r = await (await api("/api/sensitivity", { ...scenarioBody(), method: "tornado", metric: "cost_ratio" })).json();
    const bars = r.bars.slice(0, 12).reverse();
    const names = bars.map((b) => b.parameter);
    Plotly.react("chart-tornado", [
      { type: "bar", orientation: "h", name: "at plausible low", y: names, x: bars.map((b) => b.metric_at_low - r.base),
        base: r.base, marker: { color: "#7fa3ea" } },
      { type: "bar", orientation: "h", name: "at plausible high", y: names, x: bars.map((b) => b.metric_at_high - r.base),
        base: r.base, marker: { color: "#e59866" } },
    ], { ...baseLayout(`Cost ratio (base ${num(r.base, 3)})`), barmode: "overlay",
         margin: { l: 200, r: 16, t: 40, b: 44 }, xaxis: { title: { text: "orbital / terrestrial total cost" } } }, plotConfig);
    bump("chart-tornado");
  } catch (e) {
    setStatus("Tornado failed: " + e.message, true);
  }
}

async function runExplain() {
  const against = $("explain-against").value;
  state.explain = against;
  writeUrl();
  try {
    const r = await (await api("/api/explain", { a: { preset: against }, b: scenarioBody(),
                                                 metric: "orbital.total_cost_usd", normalize: false })).json();
    const items = Object.entries(r.contributions).filter(([, v]) => v !== 0).slice(0, 12).reverse();
    $("explain-result").textContent =
      `Orbital total: ${usd(r.value_a)} in ${r.scenario_a}, ${usd(r.value_b)} here; difference ${usd(r.difference)} ` +
      `(${r.method}${r.inert.length ? "; " + r.inert.length + " inputs cannot move it" : ""}).`;
    Plotly.react("chart-explain", [{ type: "bar", orientation: "h", y: items.map(([k]) => k),
      x: items.map(([, v]) => v / 1e9), marker: { color: items.map(([, v]) => (v < 0 ? "#2a9d55" : "#c0392b")) },
      hovertemplate: "%{y}: $%{x:.3f}B<extra></extra>" }],
      { ...baseLayout(`Contribution to the orbital total vs ${r.scenario_a}`), showlegend: false,
        margin: { l: 200, r: 16, t: 40, b: 44 }, xaxis: { title: { text: "$ billion" } } }, plotConfig);
    bump("chart-explain");
  } catch (e) {
    $("explain-result").textContent = "Explain failed: " + e.message;
  }
}

async function loadPreset(name) {
  const p = await (await api("/api/params?preset=" + encodeURIComponent(name))).json();
  library = p.params;
  state.preset = name;
  $("preset").value = name;
  const meta = presets[name] || {};
  $("preset-title").textContent = [meta.title, meta.reference].filter(Boolean).join(" — ");
}

async function downloadToml() {
  try {
    const hasChanges = Object.keys(state.overrides).length + Object.keys(state.uncertainty).length > 0;
    const body = { ...scenarioBody(), ...uncertaintyBody(), ...(hasChanges ? { name: state.name || state.preset + "-custom" } : {}) };
    const r = await api("/api/toml", body);
    const blob = await r.blob();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = (body.name || state.preset) + ".toml";
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  } catch (e) {
    setStatus("Download failed: " + e.message, true);
  }
}

function coerce(name, raw) {
  const spec = library[name];
  if (!spec) throw new Error(`unknown parameter ${name} in the link`);
  if (spec.type === "str") return raw;
  const x = Number(raw);
  if (raw === "" || !isFinite(x)) throw new Error(`${name} = ${raw} in the link: not a number`);
  return x;
}

async function init() {
  const fromUrl = readUrl();
  const pr = await (await api("/api/presets")).json();
  presets = pr.presets;
  $("version").textContent = `orbitaldc ${pr.version}.`;
  const sel = $("preset");
  for (const [name, meta] of Object.entries(presets)) {
    const o = document.createElement("option");
    o.value = name;
    o.textContent = name;
    o.title = meta.title || "";
    sel.append(o);
  }
  for (const name of Object.keys(presets)) {
    const o = document.createElement("option");
    o.value = o.textContent = name;
    $("explain-against").append(o);
  }
  const start = fromUrl.preset && fromUrl.preset in presets ? fromUrl.preset : pr.default;
  await loadPreset(start);
  const problems = [];
  for (const [k, raw] of Object.entries(fromUrl.overrides)) {
    try { state.overrides[k] = coerce(k, raw); } catch (e) { problems.push(e.message); }
  }
  for (const [k, raw] of Object.entries(fromUrl.uncertainty)) {
    try { state.uncertainty[k] = parseUncertainty(k, raw); } catch (e) { problems.push(e.message); }
  }
  buildControls();
  sel.addEventListener("change", async () => {
    await loadPreset(sel.value);
    state.overrides = {};
    state.uncertainty = {};
    state.name = null;
    buildControls();
    schedule();
  });
  $("reset").addEventListener("click", () => { state.overrides = {}; state.uncertainty = {}; state.name = null;
                                               buildControls(); schedule(); });
  $("copy-link").addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(location.href); setStatus("link copied"); }
    catch (e) { setStatus("link: " + location.href); }
  });
  $("download-toml").addEventListener("click", downloadToml);
  $("load-toml").addEventListener("change", loadToml);  // physics.js
  $("twin-run").addEventListener("click", runTwin);  // physics.js
  $("mc-run").addEventListener("click", runMonteCarlo);
  $("tornado-run").addEventListener("click", runTornado);
  $("explain-run").addEventListener("click", runExplain);
  $("explain-against").value = Object.keys(presets).find((n) => n !== state.preset) || state.preset;
  if (fromUrl.explain && fromUrl.explain in presets) {
    $("explain-against").value = fromUrl.explain;
    state.explain = fromUrl.explain;
  }
  if (fromUrl.mc) {
    $("mc-samples").value = String(fromUrl.mc.samples);
    if (!$("mc-samples").value) $("mc-samples").value = "10000";
    $("mc-seed").value = String(fromUrl.mc.seed);
    state.mc = fromUrl.mc;
  }
  state.tornado = fromUrl.tornado;
  writeUrl();
  await refresh();
  if (state.mc) runMonteCarlo();
  if (state.tornado) runTornado();
  if (state.explain) runExplain();
  if (problems.length) setStatus(problems.join("; "), true);
}

window.addEventListener("DOMContentLoaded", () => {
  init().catch((e) => setStatus("could not start: " + e.message, true));
});
