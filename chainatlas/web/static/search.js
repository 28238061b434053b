// The search page's facet panel: counts by site, category and year (links that narrow the
// search) and by mentioned entity type, from GET /api/v1/search?facets=true. Loaded after
// the hits so they never wait for the counting. Values go in through textContent only.
(function () {
  "use strict";

  var box = document.getElementById("facets");
  if (!box) return;
  // Interface words: Chinese defaults, replaced by the page's translated #ui-text block.
  var ui = {
    names: { site: "来源网站", category: "栏目", year: "年份", entity_type: "提及的实体类型" },
    types: {},
    counted: "最新 {counted} 条结果中的分布，共 {hits} 条",
    all_counted: "共 {hits} 条结果",
    unknown: "未注明",
    failed: "统计失败（HTTP {status}）",
    narrow: "只看此项"
  };
  var uiEl = document.getElementById("ui-text");
  if (uiEl) {
    var given = JSON.parse(uiEl.textContent);
    Object.keys(given).forEach(function (k) { ui[k] = given[k]; });
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) { return String(values[key]); });
  }

  var q = box.getAttribute("data-q");
  var filters = JSON.parse(box.getAttribute("data-filters") || "{}");
  var status = box.querySelector(".facet-status");

  function searchUrl(extra) {
    var params = new URLSearchParams({ q: q });
    Object.keys(filters).forEach(function (k) { params.set(k, filters[k]); });
    Object.keys(extra).forEach(function (k) { params.set(k, extra[k]); });
    return "/search?" + params.toString();
  }

  function section(key, entries, linkable) {
    if (!entries.length) return null;
    var wrap = document.createElement("section");
    wrap.className = "facet facet-" + key;
    var h = document.createElement("h3");
    h.textContent = ui.names[key] || key;
    wrap.appendChild(h);
    var list = document.createElement("ul");
    entries.forEach(function (entry) {
      var li = document.createElement("li");
      var known = entry.value !== null && entry.value !== "";
      var label = known ? String(key === "entity_type" ? (ui.types[entry.value] || entry.value) : entry.value) : ui.unknown;
      // Filtering on an unknown value is impossible (no such parameter value), and a
      // facet already applied would only repeat the same page.
      if (linkable && known && filters[key] === undefined) {
        var a = document.createElement("a");
        var extra = {};
        extra[key] = entry.value;
        a.href = searchUrl(extra);
        a.title = ui.narrow;
        a.textContent = label;
        li.appendChild(a);
      } else {
        li.appendChild(document.createTextNode(label));
      }
      var n = document.createElement("span");
      n.className = "count";
      n.textContent = " " + entry.count;
      li.appendChild(n);
      list.appendChild(li);
    });
    wrap.appendChild(list);
    return wrap;
  }

  var api = new URLSearchParams({ q: q, facets: "true", limit: "1" });
  Object.keys(filters).forEach(function (k) { api.set(k, filters[k]); });
  fetch("/api/v1/search?" + api.toString(), { headers: { Accept: "application/json" } })
    .then(function (resp) {
      if (!resp.ok) throw new Error(fill(ui.failed, { status: resp.status }));
      return resp.json();
    })
    .then(function (data) {
      var f = data.facets;
      status.textContent = f.truncated ? fill(ui.counted, f) : fill(ui.all_counted, f);
      [["site", true], ["category", true], ["year", true], ["entity_type", false]].forEach(
        function (pair) {
          var part = section(pair[0], f[pair[0]] || [], pair[1]);
          if (part) box.appendChild(part);
        }
      );
      box.setAttribute("data-loaded", "true");
    })
    .catch(function (err) {
      status.textContent = err.message;
      box.setAttribute("data-loaded", "error");
    });
})();
