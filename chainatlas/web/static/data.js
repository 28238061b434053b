// The data page (数据): submit imports and ingest jobs to the REST API, poll the job list every
// 2 s while something runs, refresh the stored ingest reports when it stops. Plain DOM;
// every value from the server goes in through textContent, never as HTML.
(function () {
  "use strict";

  var POLL_MS = 2000;
  // Interface words: Chinese defaults, replaced by the page's translated #ui-text block.
  // Templates use {name} placeholders so each language keeps its own word order.
  var T = {
    status: {
      queued: "排队中", running: "进行中", done: "完成", failed: "失败",
      pending: "等待", skipped: "跳过"
    },
    kind: { ingest: "采集", "import": "导入" },
    outcome: { "new": "新增", duplicate: "重复", near_duplicate: "近似重复", failed: "失败" },
    phase: { fetch: "抓取与入库", "import": "导入", extract: "抽取", resolve: "实体消歧" },
    colon: "：", comma: "，", semicolon: "；",
    http_failed: "请求失败（HTTP {status}）",
    checked: "校验完成（未写入）", imported: "导入完成",
    import_summary: "{verb}：{source} 共 {rows} 行；新增 {inserted}，更新 {updated}，跳过 {rejected}。",
    resolve_queued: "实体消歧已排队（任务 #{job}）。",
    unmapped: "未识别的列（作为附加属性保存）：",
    problem_head: ["行", "列", "问题", "处理"],
    skip_row: "跳过该行", ignore_value: "忽略该值",
    more_problems: "另有 {n} 条问题未显示。",
    uploading: "上传中……", import_failed: "导入失败：",
    submitting: "提交中……", submit_failed: "提交失败：",
    submitted: "已提交采集任务 #{id}，进度见下方任务表。",
    phase_skipped: "{label} 跳过",
    job_import: "{source}：新增 {inserted}，更新 {updated}，跳过 {rejected}",
    in_parens: "（{text}）",
    run_link: "采集记录 #{id}",
    no_jobs: "还没有任务。",
    polling: "（运行中，每 2 秒刷新）"
  };
  var uiBlock = document.getElementById("ui-text");
  if (uiBlock) Object.assign(T, JSON.parse(uiBlock.textContent));
  var polling = null;
  var wasBusy = false;

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function csrf() {
    var field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function problemText(body, status) {
    if (body && body.title) return body.title;
    if (body && Array.isArray(body.detail)) {
      return body.detail.map(function (d) { return (d.loc || []).join(".") + T.colon + d.msg; })
        .join(T.semicolon);
    }
    return fill(T.http_failed, { status: status });
  }

  function send(url, options) {
    options.credentials = "same-origin";
    options.headers = Object.assign({ "X-CSRF-Token": csrf(), Accept: "application/json" },
      options.headers || {});
    return fetch(url, options).then(function (resp) {
      return resp.json().catch(function () { return null; }).then(function (body) {
        return { ok: resp.ok, status: resp.status, body: body };
      });
    });
  }

  // --- import ---------------------------------------------------------------------

  function renderImport(box, r) {
    box.textContent = "";
    var summary = fill(T.import_summary, {
      verb: r.dry_run ? T.checked : T.imported, source: r.source, rows: r.rows,
      inserted: r.inserted, updated: r.updated, rejected: r.rejected
    });
    if (r.resolve === "queued") summary += fill(T.resolve_queued, { job: r.job_id });
    box.appendChild(el("p", summary, "import-summary"));
    if (r.unmapped_columns && r.unmapped_columns.length) {
      box.appendChild(el("p", T.unmapped + r.unmapped_columns.join(T.comma), "meta"));
    }
    if (!r.problems.length) return;
    var table = el("table", null, "segments import-problems");
    var head = el("tr");
    T.problem_head.forEach(function (h) { head.appendChild(el("th", h)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    r.problems.forEach(function (p) {
      var tr = el("tr");
      tr.appendChild(el("td", p.row));
      tr.appendChild(el("td", p.column));
      tr.appendChild(el("td", p.message));
      tr.appendChild(el("td", p.severity === "error" ? T.skip_row : T.ignore_value));
      body.appendChild(tr);
    });
    box.appendChild(table);
    if (r.problems_total > r.problems.length) {
      box.appendChild(el("p", fill(T.more_problems, { n: r.problems_total - r.problems.length }), "meta"));
    }
  }

  function onImport(ev) {
    ev.preventDefault();
    var form = ev.target;
    var box = document.getElementById("import-report");
    var kind = document.getElementById("import-kind").value;
    var dry = document.getElementById("import-dry").checked;
    var url = form.getAttribute("data-base") + encodeURIComponent(kind) + (dry ? "?dry_run=true" : "");
    box.textContent = T.uploading;
    send(url, { method: "POST", body: new FormData(form) }).then(function (res) {
      if (!res.ok) {
        box.textContent = "";
        box.appendChild(el("p", T.import_failed + problemText(res.body, res.status), "error"));
        return;
      }
      renderImport(box, res.body);
      refreshJobs();
    }).catch(function (err) { box.textContent = T.import_failed + err; });
  }

  // --- ingest ---------------------------------------------------------------------

  function lines(id) {
    return document.getElementById(id).value.split(/\r?\n/)
      .map(function (s) { return s.trim(); })
      .filter(function (s) { return s && s.charAt(0) !== "#"; });
  }

  function onIngest(ev) {
    ev.preventDefault();
    var msg = document.getElementById("ingest-message");
    var payload = { urls: lines("ingest-urls"), feeds: lines("ingest-feeds") };
    msg.textContent = T.submitting;
    send("/api/v1/ingest", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload)
    }).then(function (res) {
      if (!res.ok) {
        msg.textContent = T.submit_failed + problemText(res.body, res.status);
        return;
      }
      msg.textContent = fill(T.submitted, { id: res.body.id });
      wasBusy = true; // so the stored reports refresh even if the job ends before a poll
      refreshJobs();
    }).catch(function (err) { msg.textContent = T.submit_failed + err; });
  }

  // --- jobs -----------------------------------------------------------------------

  function progressText(phase) {
    var label = T.phase[phase.name] || phase.label;
    if (phase.state === "skipped") return fill(T.phase_skipped, { label: label });
    var n = phase.total === null || phase.total === undefined ? phase.done : phase.done + "/" + phase.total;
    return label + " " + n + (phase.state === "running" ? "…" : phase.state === "failed" ? " ✗" : "");
  }

  function resultCell(job) {
    var td = el("td");
    if (job.kind === "import") {
      var s = job.summary;
      td.appendChild(el("div", fill(T.job_import, {
        source: s.source, inserted: s.inserted, updated: s.updated, rejected: s.rejected
      })));
    }
    (job.inputs || []).forEach(function (input) {
      var mark = input.state === "done" ? "✓ " : input.state === "failed" ? "✗ " : "· ";
      var counts = {};
      var details = [];
      input.outcomes.forEach(function (o) {
        counts[o.status] = (counts[o.status] || 0) + 1;
        if (o.status === "failed" && o.detail) details.push(o.detail);
      });
      var parts = Object.keys(counts).map(function (k) { return (T.outcome[k] || k) + " " + counts[k]; });
      var line = el("div", mark + input.url + (parts.length ? fill(T.in_parens, { text: parts.join(T.comma) }) : ""),
        "job-input job-input-" + input.state);
      td.appendChild(line);
      details.slice(0, 3).forEach(function (d) { td.appendChild(el("div", d, "meta")); });
    });
    if (job.run_id) {
      var link = el("a", fill(T.run_link, { id: job.run_id }), "meta");
      link.href = "#run-" + job.run_id;
      td.appendChild(el("div")).appendChild(link);
    }
    if (job.error) td.appendChild(el("div", job.error, "error"));
    return td;
  }

  function renderJobs(items) {
    var tbody = document.querySelector("#jobs tbody");
    if (!tbody) return;
    tbody.textContent = "";
    if (!items.length) {
      var empty = el("tr");
      var cell = el("td", T.no_jobs, "empty");
      cell.colSpan = 6;
      empty.appendChild(cell);
      tbody.appendChild(empty);
      return;
    }
    items.forEach(function (job) {
      var tr = el("tr", null, "job job-" + job.status);
      tr.setAttribute("data-job", job.id);
      tr.appendChild(el("td", "#" + job.id));
      tr.appendChild(el("td", T.kind[job.kind] || job.kind));
      tr.appendChild(el("td", T.status[job.status] || job.status, "job-status"));
      tr.appendChild(el("td", job.phases.map(progressText).join(" · ")));
      tr.appendChild(resultCell(job));
      tr.appendChild(el("td", (job.created_at || "").replace("T", " ").slice(0, 19)));
      tbody.appendChild(tr);
    });
  }

  function renderRuns(items) {
    var tbody = document.querySelector("#runs tbody");
    if (!tbody) return;
    tbody.textContent = "";
    items.forEach(function (r) {
      var tr = el("tr");
      tr.id = "run-" + r.id;
      tr.appendChild(el("td", "#" + r.id));
      tr.appendChild(el("td", (r.started_at || "").replace("T", " ").slice(0, 16)));
      var args = el("td", r.arguments.join(" ").slice(0, 60));
      r.failures.slice(0, 5).forEach(function (f) {
        args.appendChild(el("div", "✗ " + f.source + T.colon + (f.detail || ""), "meta"));
      });
      tr.appendChild(args);
      ["new", "duplicate", "near_duplicate", "failed"].forEach(function (k) {
        tr.appendChild(el("td", r.counts[k] === undefined ? "—" : r.counts[k]));
      });
      tbody.appendChild(tr);
    });
  }

  function refreshRuns() {
    fetch("/api/v1/runs", { credentials: "same-origin" })
      .then(function (resp) { return resp.ok ? resp.json() : null; })
      .then(function (body) { if (body) renderRuns(body.items); });
  }

  function refreshJobs() {
    if (polling) { clearTimeout(polling); polling = null; }
    fetch("/api/v1/jobs", { credentials: "same-origin" })
      .then(function (resp) { return resp.ok ? resp.json() : null; })
      .then(function (body) {
        if (!body) return;
        renderJobs(body.items);
        var state = document.getElementById("jobs-state");
        if (state) state.textContent = body.busy ? T.polling : "";
        if (body.busy) polling = setTimeout(refreshJobs, POLL_MS);
        if (wasBusy && !body.busy) refreshRuns();
        wasBusy = body.busy;
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var importForm = document.getElementById("import-form");
    if (importForm) importForm.addEventListener("submit", onImport);
    var ingestForm = document.getElementById("ingest-form");
    if (ingestForm) ingestForm.addEventListener("submit", onIngest);
    refreshJobs();
  });
})();
