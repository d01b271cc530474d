/* seircast website behaviour: table search and sort, charts (uPlot), refit button, job polling.
   No framework, no build step. Everything degrades to the server-rendered page without JS. */
"use strict";

(function () {
  const DAY = 86400;
  const COLORS = {
    bars: "#aab4be", smooth: "#1f3b57", median: "#a8461a", past: "#6b7480",
    band95: "rgba(168, 70, 26, 0.16)", band50: "rgba(168, 70, 26, 0.32)", edge: "rgba(168, 70, 26, 0.45)",
  };

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.from((root || document).querySelectorAll(sel)); }

  /* ---- table search ---- */
  function setupFilter(input) {
    const table = $(input.dataset.filter);
    if (!table) return;
    const rows = $$("tbody tr", table);
    const count = $("[data-count]");
    const empty = $("[data-empty-filter]");
    const total = count ? count.textContent : "";
    input.addEventListener("input", function () {
      const words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      rows.forEach(function (row) {
        const text = row.dataset.search || row.textContent.toLowerCase();
        const hit = words.every(function (w) { return text.includes(w); });
        row.hidden = !hit;
        if (hit) shown += 1;
      });
      if (count) count.textContent = words.length ? shown + " of " + rows.length + " regions match" : total;
      if (empty) empty.hidden = shown > 0;
    });
  }

  /* ---- table sort ---- */
  function cellValue(row, index, kind) {
    const cell = row.children[index];
    const raw = cell ? (cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim()) : "";
    if (kind === "num") {
      const n = parseFloat(raw);
      return isNaN(n) ? -Infinity : n;
    }
    return raw.toLowerCase();
  }

  function setupSort(table) {
    const headers = $$("thead th", table);
    headers.forEach(function (th, index) {
      const button = $("button[data-sort]", th);
      if (!button) return;
      button.addEventListener("click", function () {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { if (h.hasAttribute("aria-sort")) h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const kind = button.dataset.sort;
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        rows.sort(function (a, b) {
          const x = cellValue(a, index, kind), y = cellValue(b, index, kind);
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  /* ---- charts ---- */
  function toSeconds(iso) { return Date.parse(iso + "T00:00:00Z") / 1000; }

  function place(xs, startIso, values) {
    /* values laid on the shared x axis from startIso; null elsewhere */
    const out = new Array(xs.length).fill(null);
    if (!startIso || !values) return out;
    const offset = Math.round((toSeconds(startIso) - xs[0]) / DAY);
    values.forEach(function (v, i) { const j = offset + i; if (j >= 0 && j < out.length) out[j] = v; });
    return out;
  }

  function axis(xs0, xs1) {
    const xs = [];
    for (let t = xs0; t <= xs1; t += DAY) xs.push(t);
    return xs;
  }

  function bandSeries(q, xs, start, label) {
    /* 95% and 50% quantile lines and the median; bands are filled between line pairs */
    const series = [], columns = [];
    [["0.975", "95% band upper"], ["0.025", "95% band lower"], ["0.75", "50% band upper"], ["0.25", "50% band lower"]]
      .forEach(function (pair) {
        series.push({ label: pair[1], stroke: COLORS.edge, width: 1, points: { show: false } });
        columns.push(place(xs, start, q[pair[0]]));
      });
    series.push({ label: label, stroke: COLORS.median, width: 2, dash: [6, 4], points: { show: false } });
    columns.push(place(xs, start, q["0.5"]));
    return { series: series, columns: columns };
  }

  function addBands(opts, first) {
    opts.bands = [
      { series: [first, first + 1], fill: COLORS.band95 },
      { series: [first + 2, first + 3], fill: COLORS.band50 },
    ];
  }

  function baseOpts(el, title) {
    return {
      title: title,
      width: Math.max(el.clientWidth, 280),
      height: window.innerWidth < 640 ? 240 : 300,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); },
      scales: { x: { time: true } },
      series: [{ label: "Date" }],
      axes: [{}, { size: 60 }],
      legend: { show: window.innerWidth >= 640, live: true },
      cursor: { drag: { x: true, y: false } },
    };
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

  function dailyChart(el, d) {
    const obs = d.observed, fc = d.forecast;
    const span = extent(obs, fc, d.past);
    const xs = axis(span[0], span[1]);
    const opts = baseOpts(el, "");
    const data = [xs];
    opts.series.push({ label: "Reported", fill: COLORS.bars, stroke: COLORS.bars,
      paths: uPlot.paths.bars({ size: [0.9, 8] }), points: { show: false } });
    data.push(place(xs, obs.start, obs.raw));
    opts.series.push({ label: "Smoothed", stroke: COLORS.smooth, width: 2, points: { show: false } });
    data.push(place(xs, obs.start, obs.smooth));
    if (fc && fc.daily) {
      const b = bandSeries(fc.daily, xs, fc.start, "Forecast median");
      addBands(opts, data.length);
      opts.series = opts.series.concat(b.series);
      b.columns.forEach(function (c) { data.push(c); });
    }
    d.past.forEach(function (p) {
      opts.series.push({ label: "Forecast of " + p.forecast_date, stroke: COLORS.past, width: 1.25, dash: [2, 3],
        points: { show: false } });
      data.push(place(xs, p.start, p.median));
    });
    /* y axis fits the smoothed line, bands and past medians: reported bars beyond it are
       clipped (spikes and corrections are listed under Data flags) */
    const view = { lo: xs[0], hi: xs[xs.length - 1] };
    opts.scales.y = { range: function (u) { return [0, visibleTop(u.data, 2, view)]; } };
    const recent = fc ? toSeconds(fc.start) - 56 * DAY : span[1] - 120 * DAY;
    return { opts: opts, data: data, recent: recent, view: view };
  }

  function visibleTop(data, from, view) {
    /* the largest value of series from..end between view.lo and view.hi (x in seconds) */
    const xs = data[0];
    const i0 = Math.max(0, Math.floor((view.lo - xs[0]) / DAY));
    const i1 = Math.min(xs.length - 1, Math.ceil((view.hi - xs[0]) / DAY));
    let top = 1;
    for (let s = from; s < data.length; s++) {
      for (let i = i0; i <= i1; i++) { const v = data[s][i]; if (v !== null && v > top) top = v; }
    }
    return top * 1.1;
  }

  function showRange(plot, spec, lo) {
    const xs = spec.data[0];
    const hi = xs[xs.length - 1];
    if (spec.view) { spec.view.lo = lo; spec.view.hi = hi; }
    plot.setScale("x", { min: lo, max: hi });
    if (spec.view) plot.setScale("y", { min: 0, max: visibleTop(spec.data, 2, spec.view) });
  }

  function cumulativeChart(el, d) {
    const obs = d.observed, fc = d.forecast;
    const span = extent(obs, fc, []);
    const xs = axis(span[0], span[1]);
    const opts = baseOpts(el, "");
    const data = [xs];
    opts.series.push({ label: "Reported cumulative", stroke: COLORS.smooth, width: 2, points: { show: false } });
    data.push(place(xs, obs.start, obs.cum));
    if (fc && fc.cum) {
      const b = bandSeries(fc.cum, xs, fc.start, "Forecast median");
      addBands(opts, data.length);
      opts.series = opts.series.concat(b.series);
      b.columns.forEach(function (c) { data.push(c); });
    }
    return { opts: opts, data: data, recent: null };
  }

  function rtChart(el, d) {
    const fc = d.forecast;
    if (!fc || !fc.rt) return null;
    const n = fc.rt["0.5"].length;
    const xs = axis(toSeconds(fc.start), toSeconds(fc.start) + (n - 1) * DAY);
    const opts = baseOpts(el, "");
    const data = [xs];
    const b = bandSeries(fc.rt, xs, fc.start, "R median");
    addBands(opts, 1);
    opts.series = opts.series.concat(b.series);
    b.columns.forEach(function (c) { data.push(c); });
    opts.series.push({ label: "R = 1", stroke: COLORS.smooth, width: 1, points: { show: false } });
    data.push(xs.map(function () { return 1; }));
    return { opts: opts, data: data, recent: null };
  }

  const BUILDERS = { daily: dailyChart, cumulative: cumulativeChart, rt: rtChart };

  function drawCharts() {
    const source = $("#chart-data");
    if (!source || typeof uPlot === "undefined") return;
    const d = JSON.parse(source.textContent);
    const plots = [];
    $$("[data-chart]").forEach(function (el) {
      const spec = BUILDERS[el.dataset.chart](el, d);
      if (!spec) return;
      const plot = new uPlot(spec.opts, spec.data, el);
      const labels = spec.opts.series.slice(1).map(function (s) { return s.label; });
      el.dataset.series = labels.join("|");
      el.dataset.bands = String((spec.opts.bands || []).length);
      el.dataset.drawn = "true";
      el.setAttribute("aria-roledescription", "chart");
      if (spec.recent !== null && spec.recent > spec.data[0][0]) {
        showRange(plot, spec, spec.recent);
        setupRange(plot, spec);
      }
      plots.push([plot, el]);
    });
    let pending = 0;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        plots.forEach(function (p) { p[0].setSize({ width: Math.max(p[1].clientWidth, 280), height: p[0].height }); });
      }, 150);
    });
  }

  function setupRange(plot, spec) {
    const xs = spec.data[0];
    $$("[data-range]").forEach(function (button) {
      button.addEventListener("click", function () {
        const all = button.dataset.range === "all";
        showRange(plot, spec, all ? xs[0] : spec.recent);
        $$("[data-range]").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      });
    });
  }

  /* ---- refit button ---- */
  const KEY = "seircast-api-key";

  function setupRefit(form) {
    const status = $(".status", form);
    const keyBox = $(".api-key", form);
    const keyInput = $("input[name=api_key]", form);
    const button = $("button[type=submit]", form);
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const input = $("input[name=regions]", form);
      const text = (input ? input.value : form.dataset.regions || "").trim();
      const regions = text ? text.split(/[\s,;]+/).filter(Boolean) : "all";
      const key = (keyInput && keyInput.value) || sessionStorage.getItem(KEY) || "";
      const headers = { "Content-Type": "application/json", Accept: "application/json" };
      if (key) headers["X-API-Key"] = key;
      button.disabled = true;
      status.textContent = "Starting…";
      try {
        const response = await fetch("/refit", { method: "POST", headers: headers, body: JSON.stringify({ regions: regions }) });
        const body = await response.json().catch(function () { return {}; });
        if (response.status === 401) {
          sessionStorage.removeItem(KEY);
          keyBox.hidden = false;
          keyInput.focus();
          status.textContent = key ? "That API key was refused; enter a valid key." : "This server needs an API key: enter it and start again.";
        } else if (response.ok) {
          if (key) sessionStorage.setItem(KEY, key);
          keyBox.hidden = true;
          status.innerHTML = "";
          status.append((response.status === 202 ? "Started job " : "Already running: job ") + body.id + ". ");
          const link = document.createElement("a");
          link.href = "/jobs";
          link.textContent = "Follow its progress";
          if (!$("#jobs")) status.append(link);
          document.dispatchEvent(new CustomEvent("seircast:job"));
        } else {
          status.textContent = "Could not start: " + (body.detail || response.statusText);
        }
      } catch (error) {
        status.textContent = "Could not reach the server: " + error;
      } finally {
        button.disabled = false;
      }
    });
  }

  /* ---- job polling ---- */
  function jobRow(job) {
    const tr = document.createElement("tr");
    tr.dataset.job = job.id;
    tr.dataset.status = job.status;
    const regions = (job.payload && job.payload.regions) || [];
    const text = regions.join(", ");
    const cells = [
      ["th", '<a href="/jobs/' + job.id + '">' + job.id + "</a>"],
      ["td", null, job.kind],
      ["td", null, text.length > 60 ? text.slice(0, 57) + "..." : text],
      ["td", null, null],
      ["td", null, null],
      ["td", null, job.created_at.replace("T", " ").slice(0, 19)],
    ];
    cells.forEach(function (c, i) {
      const cell = document.createElement(c[0]);
      if (c[0] === "th") cell.scope = "row";
      if (c[1]) cell.innerHTML = c[1];
      else if (c[2] !== null) cell.textContent = c[2];
      if (i === 3) {
        const st = document.createElement("span");
        st.className = "st " + job.status;
        st.textContent = job.status;
        cell.append(st);
        if (job.error) { const e = document.createElement("span"); e.className = "err"; e.textContent = " " + job.error; cell.append(e); }
      }
      if (i === 4) {
        const bar = document.createElement("progress");
        bar.max = job.progress.total || 1;
        bar.value = job.progress.done;
        bar.setAttribute("aria-label", "job " + job.id + " progress");
        const pct = document.createElement("span");
        pct.className = "pct";
        pct.textContent = " " + job.progress.done + "/" + job.progress.total;
        cell.append(bar, pct);
      }
      tr.append(cell);
    });
    return tr;
  }

  function setupPolling(table) {
    const url = table.dataset.poll;
    const note = $("[data-poll-status]");
    const none = $("[data-no-jobs]");
    let timer = 0;
    async function poll() {
      clearTimeout(timer);
      let active = false;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
        if (!response.ok) throw new Error(response.statusText);
        const page = await response.json();
        const body = table.tBodies[0];
        body.replaceChildren.apply(body, page.items.map(jobRow));
        active = page.items.some(function (j) { return j.status === "queued" || j.status === "running"; });
        if (none) none.hidden = page.items.length > 0;
        if (note) note.textContent = "Updated " + new Date().toLocaleTimeString() + (active ? " · refreshing every 2 s" : "");
      } catch (error) {
        if (note) note.textContent = "Could not refresh the jobs: " + error.message;
      }
      if (!document.hidden) timer = setTimeout(poll, active ? 2000 : 10000);
    }
    /* POST /refit commits before it answers: the new job is listed by the next poll */
    document.addEventListener("seircast:job", poll);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
    timer = setTimeout(poll, 2000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    $$("input[data-filter]").forEach(setupFilter);
    $$("table.sortable").forEach(setupSort);
    $$("select[data-autosubmit]").forEach(function (s) { s.addEventListener("change", function () { s.form.submit(); }); });
    $$("form[data-refit]").forEach(setupRefit);
    const jobs = $("table[data-poll]");
    if (jobs) setupPolling(jobs);
    drawCharts();
  });
})();
