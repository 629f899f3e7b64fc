// orbitaldc page, physics and scenario parts: per-slider uncertainty, the bottom-up design's mass
// budget, the short twin run, scenario files in. Shares state, library, api(), $ with app.js
// (classic scripts: top-level declarations are global). Display units only here, at the edge.
"use strict";

const DISTRIBUTIONS = ["uniform", "triangular", "normal", "lognormal", "loguniform"];
const SUBSYSTEM_LABELS = { array: "Solar array", battery: "Battery", radiator: "Radiator", pumped_loop: "Pumped loop",
                           compute: "Compute", shielding: "Shielding", structure_bus: "Structure and bus",
                           propellant: "Propellant" };
const MAX_TOML_CHARS = 32000;

// ---------------------------------------------------------------- per-slider uncertainty
function parseUncertainty(name, raw) {
  const spec = library[name];
  if (!spec || spec.type === "str") throw new Error(`u.${name} in the link: not a numeric parameter`);
  const [distribution, low, high] = String(raw).split(",");
  const lo = Number(low), hi = Number(high);
  if (!DISTRIBUTIONS.includes(distribution) || !isFinite(lo) || !isFinite(hi) || !(lo < hi)) {
    throw new Error(`u.${name} = ${raw} in the link: expected DISTRIBUTION,LOW,HIGH with LOW < HIGH`);
  }
  return { distribution, low: lo, high: hi };
}

function uncertaintyControls(cfg, spec, row) {
  if (spec.distribution === "fixed" && spec.low === null) return;  // not an uncertain input
  const name = cfg.name, scale = cfg.scale || 1, unit = cfg.unit ? ` [${cfg.unit}]` : "";
  const stated = state.uncertainty[name];
  const btn = document.createElement("button");
  btn.type = "button";
  btn.className = "unc-toggle";
  btn.id = "unc-btn-" + name;
  btn.textContent = "±";
  btn.title = "State this input's uncertainty for the Monte Carlo";
  btn.setAttribute("aria-label", `Uncertainty of ${cfg.label}`);
  btn.setAttribute("aria-controls", "unc-" + name);
  const box = document.createElement("div");
  box.className = "unc";
  box.id = "unc-" + name;
  box.hidden = !stated;
  btn.setAttribute("aria-expanded", String(!box.hidden));
  const field = (id, text, el) => {
    const lab = document.createElement("label");
    lab.htmlFor = id;
    lab.textContent = text;
    el.id = id;
    box.append(lab, el);
    return el;
  };
  const dist = field("unc-dist-" + name, "Distribution", document.createElement("select"));
  for (const d of DISTRIBUTIONS) {
    const o = document.createElement("option");
    o.value = o.textContent = d;
    dist.append(o);
  }
  dist.value = stated ? stated.distribution : (DISTRIBUTIONS.includes(spec.distribution) ? spec.distribution : "uniform");
  const value = Number(currentValue(name) ?? spec.low ?? 0);
  const lowDefault = stated ? stated.low : (spec.low ?? value * 0.8);
  const highDefault = stated ? stated.high : (spec.high ?? value * 1.2);
  const low = field("unc-low-" + name, "Low" + unit, document.createElement("input"));
  const high = field("unc-high-" + name, "High" + unit, document.createElement("input"));
  for (const [el, v] of [[low, lowDefault], [high, highDefault]]) {
    el.type = "number";
    el.step = "any";
    el.value = String(nice(v * scale, "float"));
  }
  const clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = "Library range";
  clear.title = "Forget this range: the Monte Carlo uses the library's distribution";
  box.append(clear);
  const update = () => {
    const lo = Number(low.value) / scale, hi = Number(high.value) / scale;
    if (low.value === "" || high.value === "" || !isFinite(lo) || !isFinite(hi) || !(lo < hi)) {
      setStatus(`${name}: uncertainty needs a low below the high`, true);
      return;
    }
    state.uncertainty[name] = { distribution: dist.value, low: lo, high: hi };
    row.classList.add("uncertain");
    setStatus("");
    schedule();
  };
  for (const el of [dist, low, high]) el.addEventListener("change", update);
  btn.addEventListener("click", () => {
    box.hidden = !box.hidden;
    btn.setAttribute("aria-expanded", String(!box.hidden));
    if (!box.hidden) dist.focus();
  });
  clear.addEventListener("click", () => {
    delete state.uncertainty[name];
    row.classList.remove("uncertain");
    box.hidden = true;
    btn.setAttribute("aria-expanded", "false");
    btn.focus();
    schedule();
  });
  row.classList.toggle("uncertain", Boolean(stated));
  row.append(btn, box);
}

// ---------------------------------------------------------------- bottom-up design
function physicsPanels(model) {
  const bottomUp = model === "bottom_up";
  $("physics").hidden = !bottomUp;
  $("twin-run").disabled = !bottomUp;
  $("twin-note").textContent = bottomUp
    ? "Steps a sample of the constellation's satellites (the design above) through time on the server."
    : "The twin steps the bottom-up design: switch the satellite model to bottom_up first.";
}

function renderDesign(ev) {
  const d = ev.orbital.design;
  if (!d || $("physics").hidden) return;
  const names = Object.keys(d.subsystems).filter((k) => d.subsystems[k].mass_kg > 0 || d.subsystems[k].area_m2 > 0);
  const labels = names.map((k) => SUBSYSTEM_LABELS[k] || k);
  Plotly.react("chart-mass", [
    { type: "bar", name: "Mass [t]", x: labels, y: names.map((k) => d.subsystems[k].mass_kg / 1000),
      marker: { color: "#3b6fd8" }, offsetgroup: 1, hovertemplate: "%{x}: %{y:,.0f} t<extra></extra>" },
    { type: "bar", name: "Area [m²]", x: labels, y: names.map((k) => d.subsystems[k].area_m2), yaxis: "y2",
      marker: { color: "#e59866" }, offsetgroup: 2, hovertemplate: "%{x}: %{y:,.0f} m²<extra></extra>" },
  ], { ...baseLayout("Mass budget and areas (whole fleet)"), barmode: "group", margin: { l: 60, r: 70, t: 40, b: 60 },
       yaxis: { title: { text: "mass [t]" } },
       yaxis2: { title: { text: "area [m²]" }, overlaying: "y", side: "right", showgrid: false } }, plotConfig);
  bump("chart-mass");
  const c = d.checks || {};
  $("design-summary").textContent =
    `${num(d.satellite_count)} satellites, ${num(d.kg_per_kw, 3)} kg per kW of IT power, ` +
    `sun fraction ${(100 * ev.orbital.sun_fraction).toFixed(1)} %, die ${num(c.die_temperature_k, 4)} K, ` +
    `dose margin ${num(c.dose_margin, 3)}, availability ${(100 * (c.availability ?? 1)).toFixed(2)} %.`;
}

// ---------------------------------------------------------------- twin
async function runTwin() {
  const satellites = Math.round(Number($("twin-satellites").value)), days = Number($("twin-days").value);
  $("twin-result").textContent = "running…";
  try {
    const r = await (await api("/api/twin", { ...scenarioBody(), satellites, days, step_s: 60, seed: 0 })).json();
    const s = r.series, t = s.time_h, sim = r.summary.simulated, avg = r.summary.averaged || {};
    const mw = (a) => a.map((x) => (x === null ? null : x / 1e6));
    const line = (y, name, axis, color) => ({ type: "scatter", mode: "lines", x: t, y, name, xaxis: "x", yaxis: axis,
                                              line: { color, width: 1.5 } });
    Plotly.react("chart-twin", [
      line(s.sunlit_fraction, "sunlit fraction", "y", "#d4ac0d"),
      line(mw(s.array_power_w), "array [MW]", "y2", "#3b6fd8"),
      line(mw(s.load_power_w), "load [MW]", "y2", "#34495e"),
      line(mw(s.compute_power_w), "compute [MW]", "y2", "#1abc9c"),
      line(s.battery_soc.map((x) => (x === null ? null : 100 * x)), "battery [% charge]", "y3", "#9b59b6"),
      line(s.temperature_k, "radiator node [K]", "y4", "#c0712c"),
      line(s.die_temperature_max_k, "hottest die [K]", "y4", "#a04000"),
      line(s.active_gpus, "active GPUs", "y5", "#2a9d55"),
    ], { ...baseLayout(`Twin: ${r.satellites} satellites, ${r.days} days`), height: 620,
         grid: { rows: 5, columns: 1, pattern: "coupled", roworder: "top to bottom" },
         xaxis: { title: { text: "hours" } }, legend: { orientation: "h", y: -0.08, font: { size: 11 } },
         yaxis: { title: { text: "sun" } }, yaxis2: { title: { text: "MW" } }, yaxis3: { title: { text: "%" } },
         yaxis4: { title: { text: "K" } }, yaxis5: { title: { text: "GPUs" } } }, plotConfig);
    bump("chart-twin");
    $("twin-result").textContent =
      `Simulated availability ${(100 * sim.availability).toFixed(2)} % of nominal compute; ` +
      `sunlit ${(100 * sim.sunlit_fraction).toFixed(1)} % of the time (the averaged model's year: ` +
      `${avg.sun_fraction === undefined ? "n/a" : (100 * avg.sun_fraction).toFixed(1) + " %"}), ` +
      `hottest die ${num(sim.max_die_temperature_k, 4)} K, lowest battery charge ${(100 * sim.min_battery_soc).toFixed(1)} %.`;
  } catch (e) {
    $("twin-result").textContent = "Twin failed: " + e.message;
  }
}

// ---------------------------------------------------------------- scenario files in
async function loadToml(event) {
  const input = event.target, file = input.files && input.files[0];
  if (!file) return;
  try {
    const text = await file.text();
    if (text.length > MAX_TOML_CHARS) throw new Error(`${file.name} is over ${MAX_TOML_CHARS.toLocaleString("en-US")} characters`);
    const r = await (await api("/api/scenario", { toml: text })).json();
    await loadPreset(r.preset);
    state.overrides = {};
    for (const [k, v] of Object.entries(r.overrides)) {
      if (v !== library[k].value) state.overrides[k] = v;
    }
    state.uncertainty = {};
    const dropped = [];
    for (const [k, u] of Object.entries(r.uncertainty)) {
      if (u.distribution && u.low !== undefined && u.high !== undefined) {
        state.uncertainty[k] = { distribution: u.distribution, low: u.low, high: u.high, ...(u.mode !== undefined ? { mode: u.mode } : {}) };
      } else dropped.push(k);
    }
    state.name = r.name;
    buildControls();
    schedule();
    const notes = [...r.warnings, ...(dropped.length ? [`kept the library's distribution for ${dropped.join(", ")}`] : [])];
    $("file-status").textContent = `loaded ${file.name} (${r.name})` + (notes.length ? ": " + notes.join("; ") : "");
  } catch (e) {
    $("file-status").textContent = "";
    setStatus(`Load failed: ${e.message}`, true);
  } finally {
    input.value = "";
  }
}
