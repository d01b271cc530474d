/* seircast website behaviour: table search and sort, refit button, job polling (the region
   page's charts are static/charts.js). No framework, no build step. Everything degrades to the
   server-rendered page without JS. */
"use strict";

(function () {
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
          const order = kind === "num" ? (x < y ? -1 : x > y ? 1 : 0) : x.localeCompare(y, "en", { sensitivity: "base" });
          return order * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
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
    const labels = ["Job", "Kind", "Regions", "Status", "Progress", "Created"];
    cells.forEach(function (c, i) {
      const cell = document.createElement(c[0]);
      cell.dataset.label = labels[i];
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
  });
})();
