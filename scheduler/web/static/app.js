// The organizer's page: drag-and-drop upload, and the live progress of a run.
// Plain JavaScript, no build step. Without it the forms still work; only the
// live progress needs it.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  // ------------------------------------------------------------ upload

  function setUpUpload() {
    const form = $("upload-form");
    if (!form) return;
    const input = $("workbooks");
    const drop = $("drop");
    const chosen = $("chosen");
    const message = $("upload-message");
    const maxBytes = Number(form.dataset.maxBytes);

    function problem() {
      const files = Array.from(input.files);
      if (files.length === 0) return "Choose one or more .xlsx workbooks to upload.";
      const wrong = files.filter((f) => !f.name.toLowerCase().endsWith(".xlsx")).map((f) => f.name);
      if (wrong.length) return "Only .xlsx workbooks are accepted: " + wrong.join(", ") +
        ". Save them in Excel as Excel Workbook (.xlsx).";
      const previous = $("previous_schedule");
      const edited = previous && previous.files.length ? previous.files[0] : null;
      if (edited && !edited.name.toLowerCase().endsWith(".xlsx")) return "The previous schedule must be an .xlsx workbook: " +
        edited.name + ".";
      if (edited && $("previous_run").value) return "Choose either a finished run or an edited schedule.xlsx as the " +
        "previous schedule, not both.";
      const total = files.reduce((sum, f) => sum + f.size, 0) + (edited ? edited.size : 0);
      if (total > maxBytes) return "These files are " + mb(total) + " together, more than the " + mb(maxBytes) +
        " allowed. Upload them a few at a time.";
      return "";
    }

    function show() {
      chosen.replaceChildren(...Array.from(input.files).map((f) => item(f.name + " (" + size(f.size) + ")")));
      say("");
    }

    function say(text) {
      message.textContent = text;
      message.hidden = !text;
    }

    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach((name) => drop.addEventListener(name, (e) => {
      e.preventDefault();
      drop.classList.add("over");
    }));
    ["dragleave", "drop"].forEach((name) => drop.addEventListener(name, () => drop.classList.remove("over")));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        show();
      }
    });
    form.addEventListener("submit", (e) => {
      const text = problem();
      if (text) {
        e.preventDefault();
        say(text);
      } else {
        form.querySelector("button[type=submit]").disabled = true;
        say("");
      }
    });
  }

  // ------------------------------------------------------------ run

  function setUpRun() {
    const run = $("run");
    if (!run) return;
    const statusUrl = run.dataset.statusUrl;
    let timer = null;

    function poll() {
      fetch(statusUrl, { headers: { Accept: "application/json" }, cache: "no-store" })
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error("status " + r.status))))
        .then((s) => {
          render(s);
          if (s.state === "running") timer = setTimeout(poll, 1000);
        })
        .catch(() => {
          // The server may be restarting: keep trying, a little slower.
          timer = setTimeout(poll, 3000);
        });
    }

    function post(form) {
      return fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
      }).then((r) => r.json());
    }

    const start = $("start-form");
    if (start) {
      start.addEventListener("submit", (e) => {
        e.preventDefault();
        if (!start.reportValidity()) return;
        $("start").disabled = true;
        post(start).then((answer) => {
          if (!answer.ok) {
            showError(answer.error);
            $("start").disabled = false;
            return;
          }
          clearTimeout(timer);
          poll();
        }).catch(() => {
          showError("The server did not answer. Is it still running?");
          $("start").disabled = false;
        });
      });
    }
    const stop = $("stop-form");
    if (stop) {
      stop.addEventListener("submit", (e) => {
        e.preventDefault();
        $("stop").disabled = true;
        $("stop").textContent = "Stopping…";
        post(stop).catch(() => {});
      });
    }
    if (run.dataset.state === "running") poll();
  }

  function showError(text) {
    const error = $("error");
    error.textContent = text || "";
    error.hidden = !text;
  }

  function render(s) {
    document.querySelectorAll("#state, #runs tr.current .badge").forEach((badge) => {
      badge.textContent = s.label;
      badge.className = "badge state-" + s.state;
    });
    $("run").dataset.state = s.state;

    const running = s.state === "running";
    $("start").disabled = !s.can_start;
    $("start").textContent = s.state === "done" || s.state === "failed" ? "Optimize again" : "Start optimization";
    $("stop-form").hidden = !running;
    if (!running) {
      $("stop").disabled = false;
      $("stop").textContent = "Stop now and keep the best schedule so far";
    }
    renderProgress(s);

    $("lines").replaceChildren(...s.lines.map(item));
    $("reasons").replaceChildren(...s.reasons.map(item));
    $("reasons-box").hidden = s.reasons.length === 0;
    showError(s.error);
    $("no-result").hidden = s.lines.length > 0 || s.reasons.length > 0 || Boolean(s.error);
    renderDownloads(s);
  }

  function renderProgress(s) {
    const p = s.progress;
    $("progress").hidden = !p && s.state !== "running";
    $("p-phase").textContent = p ? p.phase : "starting";
    $("p-placed").textContent = p ? p.placed.toLocaleString("en") : "–";
    $("p-score").textContent = p ? number(p.score) : "–";
    $("p-bound").textContent = p ? number(p.bound) : "–";
    $("p-gap").textContent = p ? (100 * p.gap).toFixed(2) + "%" : "–";
    // Before the engine's first report (sessions are placed first), show the wall clock.
    const elapsed = s.state === "running" && s.running_for !== null ? s.running_for : p ? p.elapsed : null;
    $("p-elapsed").textContent = elapsed === null ? "–" : elapsed.toFixed(1) + " s";
  }

  function renderDownloads(s) {
    $("downloads-box").hidden = !s.has_outputs;
    if (s.outputs_finished) {
      $("downloads-from").textContent = "From the run finished " + s.outputs_finished.replace("T", " ").slice(0, 16) +
        "; a new run replaces them only once it has succeeded.";
    }
    $("downloads").replaceChildren(...s.downloads.map((d) => {
      const li = document.createElement("li");
      if (d.available) {
        const a = document.createElement("a");
        a.href = d.url;
        a.textContent = d.label;
        if (d.inline) {
          a.target = "_blank";
          a.rel = "noopener";
        } else {
          a.setAttribute("download", "");
        }
        li.append(a);
      } else {
        const span = document.createElement("span");
        span.className = "missing";
        span.textContent = d.label + " — not produced by this run";
        li.append(span);
      }
      return li;
    }));
    $("agenda").replaceChildren(...s.agendas.map((a) => {
      const option = document.createElement("option");
      option.value = a.file;
      option.textContent = a.label;
      return option;
    }));
    $("agenda-form").hidden = s.agendas.length === 0;
  }

  function item(text) {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }

  function number(x) {
    return x.toLocaleString("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }

  function size(bytes) {
    return bytes < 1024 * 1024 ? Math.max(1, Math.round(bytes / 1024)) + " KB" : mb(bytes);
  }

  function mb(bytes) {
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpUpload();
    setUpRun();
  });
})();
