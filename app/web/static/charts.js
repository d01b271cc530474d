/* seircast region charts (uPlot), drawn from the page's #chart-data JSON.
   y axes are labelled with their unit and sized to their (compact) tick labels; the daily
   chart's y axis is capped so a wide 95% band cannot squash the data (a note says so); the
   legend has one row per thing drawn and shows values only while the cursor is on the chart.
   Each chart element gets data-series, data-bands, data-drawn and data-clipped, and its uPlot
   instance as el.uplot (read by the browser tests). */
"use strict";

(function () {
  const DAY = 86400;
  const CAP = 1.5; /* daily y axis: at most 1.5 x the highest smoothed count, median, 50% band
                      or earlier forecast in view; the 95% band may go above it */
  const COLORS = {
    bars: "#aab4be", smooth: "#1f3b57", median: "#a8461a", past: "#6b7480",
    band95: "rgba(168, 70, 26, 0.16)", band50: "rgba(168, 70, 26, 0.32)", edge: "rgba(168, 70, 26, 0.45)",
  };
  const UNITS = { daily: "deaths per day", cumulative: "cumulative deaths", rt: "R" };

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.from((root || document).querySelectorAll(sel)); }
  function toSeconds(iso) { return Date.parse(iso + "T00:00:00Z") / 1000; }
  function isoDay(seconds) { return new Date(seconds * 1000).toISOString().slice(0, 10); }
  function phone() { return window.innerWidth < 640; }

  /* ---- numbers ---- */
  function decimals(step) {
    for (let d = 0; d < 4; d++) {
      const scaled = step * Math.pow(10, d);
      if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
    }
    return 4;
  }

  function number(v, digits) {
    return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function compactTicks(u, splits, axisIdx, space, incr) {
    /* 0, 200k, 400k ... or 0, 0.4M ... 1.2M: one unit per axis, as many decimals as the step needs */
    const top = Math.max.apply(null, splits.map(function (v) { return Math.abs(v || 0); }));
    const unit = top >= 1e6 ? [1e6, "M"] : top >= 1e4 ? [1e3, "k"] : [1, ""];
    const digits = decimals((incr || 1) / unit[0]);
    return splits.map(function (v) { return v === 0 ? "0" : number(v / unit[0], digits) + unit[1]; });
  }

  function fitTicks(u, values, axisIdx, cycleNum) {
    /* axis width = its widest tick label + tick + gap (uPlot's axis-autosize recipe) */
    const axis = u.axes[axisIdx];
    if (cycleNum > 1) return axis._size;
    let size = axis.ticks.size + axis.gap;
    const widest = (values || []).reduce(function (a, v) { return v.length > a.length ? v : a; }, "");
    if (widest) {
      u.ctx.font = axis.font[0];
      size += u.ctx.measureText(widest).width / window.devicePixelRatio;
    }
    return Math.ceil(size) + 2;
  }

  function legendValue(digits) {
    return function (u, v, si, idx) { return idx === null || v === null || v === undefined ? "" : number(v, digits); };
  }

  /* ---- data ---- */
  function place(xs, startIso, values) {
    /* values laid on the shared x axis from startIso; null elsewhere */
    const out = new Array(xs.length).fill(null);
    if (!startIso || !values) return out;
    const offset = Math.round((toSeconds(startIso) - xs[0]) / DAY);
    values.forEach(function (v, i) { const j = offset + i; if (j >= 0 && j < out.length) out[j] = v; });
    return out;
  }

  function days(x0, x1) {
    const xs = [];
    for (let t = x0; t <= x1; t += DAY) xs.push(t);
    return xs;
  }

  function extent(obs, fc, past) {
    const ends = [];
    let start = obs.start ? toSeconds(obs.start) : null;
    if (obs.start) ends.push(toSeconds(obs.start) + (obs.raw.length - 1) * DAY);
    if (fc) {
      const n = fc.daily ? fc.daily["0.5"].length : 0;
      ends.push(toSeconds(fc.start) + (n - 1) * DAY);
      if (start === null) start = toSeconds(fc.start);
    }
    past.forEach(function (p) { ends.push(toSeconds(p.start) + (p.median.length - 1) * DAY); });
    return [start, Math.max.apply(null, ends)];
  }

  /* ---- chart specs: { opts, data, band95, recent } ---- */
  function Spec(el, name, xs, digits) {
    this.name = name;
    this.data = [xs];
    this.fills = {};
    this.pairs = {};
    this.band95 = null;
    this.recent = null;
    this.digits = digits;
    this.opts = {
      width: Math.max(el.clientWidth, 280),
      height: phone() ? 240 : 300,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); },
      scales: { x: { time: true } },
      series: [{ label: "Date", value: function (u, v) { return v === null ? "" : isoDay(v); } }],
      axes: [{}, { label: UNITS[name], labelSize: 22, size: fitTicks, values: compactTicks }],
      legend: { show: true, live: !phone(), markers: { fill: this.markerFill.bind(this) } },
      cursor: { drag: { x: true, y: false } },
      hooks: { setSeries: [this.togglePair.bind(this)] },
    };
  }

  Spec.prototype.add = function (series, column) {
    if (!column.some(function (v) { return v !== null; })) return; /* nothing to draw, no legend row */
    if (!series.value) series.value = legendValue(this.digits);
    this.opts.series.push(series);
    this.data.push(column);
  };

  Spec.prototype.markerFill = function (u, i) { return this.fills[i] || u.series[i].fill(u, i); };

  Spec.prototype.togglePair = function (u, i, change) {
    /* a band's legend row shows and hides both of its edges */
    if (this.pairs[i] !== undefined && change) u.setSeries(this.pairs[i], { show: change.show }, false);
  };

  Spec.prototype.addBands = function (q, start, medianLabel) {
    /* the 95% and 50% bands (each filled between its two quantile lines) and the median */
    const xs = this.data[0];
    if (!q || !q["0.5"]) return;
    const bands = [];
    [["0.975", "0.025", "95%", COLORS.band95], ["0.75", "0.25", "50%", COLORS.band50]].forEach(function (b) {
      const upper = this.data.length, lower = upper + 1, digits = this.digits;
      const lows = place(xs, start, q[b[1]]);
      this.add({ label: b[2] + " band", stroke: COLORS.edge, width: 1, points: { show: false },
        value: function (u, v, si, idx) { return idx === null || v === null ? "" : number(lows[idx], digits) + "–" + number(v, digits); } },
      place(xs, start, q[b[0]]));
      this.add({ label: b[2] + " band lower", class: "legend-hidden", stroke: COLORS.edge, width: 1,
        points: { show: false } }, lows);
      this.fills[upper] = b[3];
      this.pairs[upper] = lower;
      if (b[2] === "95%") this.band95 = upper;
      bands.push({ series: [upper, lower], fill: b[3] });
    }, this);
    this.opts.bands = bands;
    this.add({ label: medianLabel, stroke: COLORS.median, width: 2, dash: [6, 4], points: { show: false } },
      place(xs, start, q["0.5"]));
  };

  function dailyChart(el, d) {
    const obs = d.observed, fc = d.forecast;
    const span = extent(obs, fc, d.past);
    const spec = new Spec(el, "daily", days(span[0], span[1]), 0);
    const xs = spec.data[0];
    spec.add({ label: "Reported", fill: COLORS.bars, stroke: COLORS.bars,
      paths: uPlot.paths.bars({ size: [0.9, 8] }), points: { show: false } }, place(xs, obs.start, obs.raw));
    spec.add({ label: "Smoothed", stroke: COLORS.smooth, width: 2, points: { show: false } },
      place(xs, obs.start, obs.smooth));
    if (fc) spec.addBands(fc.daily, fc.start, "Forecast median");
    d.past.forEach(function (p) {
      spec.add({ label: "Forecast of " + p.forecast_date, stroke: COLORS.past, width: 1.25, dash: [2, 3],
        points: { show: false } }, place(xs, p.start, p.median));
    });
    spec.view = { lo: xs[0], hi: xs[xs.length - 1] };
    spec.opts.scales.y = { range: function () { return [0, dailyTop(spec).max]; } };
    spec.recent = fc ? toSeconds(fc.start) - 56 * DAY : span[1] - 120 * DAY;
    return spec;
  }

  function dailyTop(spec) {
    /* reported bars are left out (spikes and corrections, listed under Data flags) and the 95%
       band counts up to CAP times the rest: what is above the axis is clipped */
    const xs = spec.data[0];
    const i0 = Math.max(0, Math.floor((spec.view.lo - xs[0]) / DAY));
    const i1 = Math.min(xs.length - 1, Math.ceil((spec.view.hi - xs[0]) / DAY));
    let core = 1, peak = 0, peakAt = null;
    for (let s = 2; s < spec.data.length; s++) {
      for (let i = i0; i <= i1; i++) {
        const v = spec.data[s][i];
        if (v === null) continue;
        if (s !== spec.band95) core = Math.max(core, v);
        else if (v > peak) { peak = v; peakAt = xs[i]; }
      }
    }
    const top = Math.min(Math.max(core, peak), CAP * core);
    return { max: top * 1.1, clipped: peak > top * 1.1, peak: peak, peakAt: peakAt };
  }

  function cumulativeChart(el, d) {
    const obs = d.observed, fc = d.forecast;
    const span = extent(obs, fc, []);
    const spec = new Spec(el, "cumulative", days(span[0], span[1]), 0);
    spec.add({ label: "Reported cumulative", stroke: COLORS.smooth, width: 2, points: { show: false } },
      place(spec.data[0], obs.start, obs.cum));
    if (fc) spec.addBands(fc.cum, fc.start, "Forecast median");
    return spec;
  }

  function rtChart(el, d) {
    const fc = d.forecast;
    if (!fc || !fc.rt) return null;
    const n = fc.rt["0.5"].length;
    const spec = new Spec(el, "rt", days(toSeconds(fc.start), toSeconds(fc.start) + (n - 1) * DAY), 2);
    spec.addBands(fc.rt, fc.start, "R median");
    spec.add({ label: "R = 1", stroke: COLORS.smooth, width: 1, points: { show: false } },
      spec.data[0].map(function () { return 1; }));
    return spec;
  }

  const BUILDERS = { daily: dailyChart, cumulative: cumulativeChart, rt: rtChart };

  /* ---- drawing ---- */
  function noteClipping(el, spec) {
    const note = $('[data-clip-note="' + spec.name + '"]');
    const top = dailyTop(spec);
    el.dataset.clipped = String(top.clipped);
    if (!note) return;
    note.hidden = !top.clipped;
    note.textContent = top.clipped
      ? "The 95% band is clipped at the top of this chart: it reaches " + number(top.peak, 0) +
        " deaths per day on " + isoDay(top.peakAt) + ". The y axis goes up to " + CAP +
        " times the highest smoothed count, median or 50% band shown, so the data stay readable."
      : "";
  }

  function showRange(plot, el, spec, lo) {
    const xs = spec.data[0];
    spec.view.lo = lo;
    spec.view.hi = xs[xs.length - 1];
    plot.setScale("x", { min: lo, max: spec.view.hi });
    plot.setScale("y", { min: 0, max: dailyTop(spec).max });
    noteClipping(el, spec);
  }

  function setupRange(plot, el, spec) {
    const xs = spec.data[0];
    $$("[data-range]").forEach(function (button) {
      button.addEventListener("click", function () {
        showRange(plot, el, spec, button.dataset.range === "all" ? xs[0] : spec.recent);
        $$("[data-range]").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      });
    });
  }

  function draw(el, d) {
    const spec = BUILDERS[el.dataset.chart](el, d);
    if (!spec) return null;
    const plot = new uPlot(spec.opts, spec.data, el);
    el.uplot = plot;
    el.dataset.series = spec.opts.series.slice(1).map(function (s) { return s.label; }).join("|");
    el.dataset.bands = String((spec.opts.bands || []).length);
    el.setAttribute("aria-roledescription", "chart");
    if (spec.recent !== null) {
      showRange(plot, el, spec, Math.max(spec.recent, spec.data[0][0]));
      setupRange(plot, el, spec);
    }
    el.dataset.drawn = "true";
    return plot;
  }

  function drawCharts() {
    const source = $("#chart-data");
    if (!source || typeof uPlot === "undefined") return;
    const d = JSON.parse(source.textContent);
    const plots = [];
    $$("[data-chart]").forEach(function (el) {
      const plot = draw(el, d);
      if (plot) plots.push([plot, el]);
    });
    let pending = 0;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        plots.forEach(function (p) { p[0].setSize({ width: Math.max(p[1].clientWidth, 280), height: p[0].height }); });
      }, 150);
    });
  }

  document.addEventListener("DOMContentLoaded", drawCharts);
})();
