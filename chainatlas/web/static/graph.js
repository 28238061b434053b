// Graph explorer: draws /api/v1/graph/{id} as a force layout and grows it on click.
// State lives in plain maps (nodes by id, edges by source|target|kind); every change
// re-renders the whole option, which is cheap at the few hundred nodes a reader can use.
(function () {
  "use strict";

  // Interface words come translated from the page (#ui-text); Chinese if the block is absent.
  const uiEl = document.getElementById("ui-text");
  const ui = Object.assign({
    no_hits: "没有找到名为“{q}”的实体（请输入完整名称或简称）",
    evidence_count: "（{n} 条证据）",
    colon: "：",
    paren: "（{text}）",
    profile: "查看实体档案",
    shown: "已显示关系 {n} 条",
    original: "原文",
    load_failed: "图谱数据读取失败：{status}",
  }, uiEl ? JSON.parse(uiEl.textContent) : {});
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }
  // Type and relation names, translated by the page; the API's own (Chinese) labels
  // are the fallback for anything the page does not know.
  const labelsEl = document.getElementById("graph-labels");
  const labels = labelsEl ? JSON.parse(labelsEl.textContent) : { types: {}, kinds: {} };
  function typeLabel(n) { return labels.types[n.type] || n.type_label || n.type; }
  function kindLabel(e) { return labels.kinds[e.kind] || e.kind_label || e.kind; }
  // A folded position (董事长) is data and shows as is; an unfolded edge's label is just
  // its kind, so it is not repeated.
  function edgeText(e) {
    return kindLabel(e) + (e.label !== e.kind_label ? ui.colon + e.label : "");
  }

  // --- entity search box (works with or without a graph on the page) -------------------
  const form = document.getElementById("graph-search");
  const hits = document.getElementById("graph-hits");
  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      const q = document.getElementById("graph-q").value.trim();
      if (!q) return;
      fetch("/api/v1/entities?q=" + encodeURIComponent(q) + "&limit=10")
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) {
          hits.textContent = "";
          if (!data.items.length) {
            const li = document.createElement("li");
            li.className = "empty";
            li.textContent = fill(ui.no_hits, { q: q });
            hits.appendChild(li);
            return;
          }
          data.items.forEach(function (e) {
            const li = document.createElement("li");
            const a = document.createElement("a");
            a.href = "/graph?entity=" + encodeURIComponent(e.id);
            a.textContent = e.name;
            li.appendChild(a);
            li.appendChild(document.createTextNode(" " + (labels.types[e.type] || e.type)));
            hits.appendChild(li);
          });
        });
    });
  }

  const el = document.getElementById("graph");
  if (!el || typeof echarts === "undefined") return;
  const palette = ["#1971c2", "#c2255c", "#2b8a3e", "#e67700", "#7048e8", "#0c8599",
    "#5c940d", "#d9480f", "#862e9c", "#495057", "#364fc7"];
  const typeOrder = Object.keys(labels.types);
  const nodes = new Map();
  const edges = new Map();
  const expanded = new Set();
  const hiddenKinds = new Set();
  let selected = null; // node whose details the side panel shows
  const kindsBox = document.getElementById("graph-kinds");
  const detail = document.getElementById("graph-detail");
  const chart = echarts.init(el);

  function typeIndex(type) {
    const i = typeOrder.indexOf(type);
    return i < 0 ? typeOrder.length : i;
  }

  function merge(data) {
    // New nodes start on a ring around the node just expanded: the force layout then
    // starts from the same place on every load, so a graph looks the same each visit.
    const centre = nodes.get(data.focus) || { x: 0, y: 0 };
    const fresh = data.nodes.filter(function (n) { return !nodes.has(n.id); });
    fresh.forEach(function (n, i) {
      const angle = (2 * Math.PI * i) / Math.max(fresh.length, 1);
      const radius = n.id === data.focus ? 0 : 120 + 20 * (i % 3);
      n.x = centre.x + radius * Math.cos(angle);
      n.y = centre.y + radius * Math.sin(angle);
      nodes.set(n.id, n);
    });
    data.edges.forEach(function (e) { edges.set(e.source + "|" + e.target + "|" + e.kind, e); });
    data.kinds.forEach(function (k) {
      if (kindsBox.querySelector('input[value="' + k.kind + '"]')) return;
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = k.kind;
      box.checked = true;
      box.addEventListener("change", function () {
        if (box.checked) hiddenKinds.delete(k.kind); else hiddenKinds.add(k.kind);
        render();
      });
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + (labels.kinds[k.kind] || k.label)));
      kindsBox.appendChild(label);
    });
  }

  function render() {
    const shownEdges = Array.from(edges.values()).filter(function (e) { return !hiddenKinds.has(e.kind); });
    const keep = new Set(expanded);
    shownEdges.forEach(function (e) { keep.add(e.source); keep.add(e.target); });
    const types = Array.from(new Set(Array.from(nodes.values()).map(function (n) { return n.type; })))
      .sort(function (a, b) { return typeIndex(a) - typeIndex(b); });
    const shownNodes = Array.from(nodes.values()).filter(function (n) { return keep.has(n.id); });
    chart.setOption({
      animationDurationUpdate: 300,
      color: types.map(function (t) { return palette[typeIndex(t) % palette.length]; }),
      legend: [{ data: types.map(function (t) { return labels.types[t] || t; }), top: 0 }],
      tooltip: {
        formatter: function (p) {
          if (p.dataType === "edge") {
            const e = p.data.edge;
            return edgeText(e) + fill(ui.evidence_count, { n: e.evidence.length });
          }
          return p.data.node ? p.data.node.name + fill(ui.paren, { text: typeLabel(p.data.node) }) : "";
        },
      },
      series: [{
        type: "graph",
        layout: "force",
        roam: true,
        draggable: true,
        // Laid out before drawing: a settled picture, and nodes stay where a click lands.
        force: { repulsion: 180, edgeLength: [60, 140], gravity: 0.08, layoutAnimation: false },
        categories: types.map(function (t) { return { name: labels.types[t] || t }; }),
        label: { show: true, position: "right", fontSize: 12 },
        edgeLabel: { show: false },
        lineStyle: { color: "source", opacity: 0.6 },
        data: shownNodes.map(function (n) {
          return {
            id: n.id,
            name: n.name,
            x: n.x,
            y: n.y,
            category: types.indexOf(n.type),
            symbolSize: expanded.has(n.id) ? 34 : 18 + Math.min(n.facts || 0, 6) * 2,
            itemStyle: expanded.has(n.id) ? { borderColor: "#212529", borderWidth: 2 } : {},
            node: n,
          };
        }),
        links: shownEdges.map(function (e) {
          return {
            source: e.source,
            target: e.target,
            edge: e,
            lineStyle: e.kind === "co_mention" ? { type: "dashed", opacity: 0.35 } : { width: 2 },
          };
        }),
      }],
    }, { replaceMerge: ["series", "legend"] });
    el.dataset.nodes = String(shownNodes.length);
    el.dataset.edges = String(shownEdges.length);
  }

  function expand(id) {
    if (expanded.has(id)) return Promise.resolve();
    expanded.add(id);
    el.dataset.ready = "0";
    return fetch("/api/v1/graph/" + encodeURIComponent(id) + "?limit=40")
      .then(function (r) {
        if (!r.ok) throw new Error(fill(ui.load_failed, { status: r.status }));
        return r.json();
      })
      .then(function (data) {
        merge(data);
        render();
        if (selected && nodes.has(selected)) showNode(nodes.get(selected));
        drawing = true; // "ready" once ECharts has painted, so clicks land on drawn nodes
      })
      .catch(function (err) { detail.appendChild(paragraph(String(err.message), "empty")); });
  }

  function paragraph(text, cls) {
    const p = document.createElement("p");
    if (cls) p.className = cls;
    p.textContent = text;
    return p;
  }

  function showNode(n) {
    selected = n.id;
    detail.textContent = "";
    const h = document.createElement("h2");
    h.textContent = n.name;
    detail.appendChild(h);
    const p = paragraph(typeLabel(n) + " · ");
    const a = document.createElement("a");
    a.href = "/entities/" + encodeURIComponent(n.id);
    a.textContent = ui.profile;
    p.appendChild(a);
    detail.appendChild(p);
    const links = Array.from(edges.values()).filter(function (e) { return e.source === n.id || e.target === n.id; });
    detail.appendChild(paragraph(fill(ui.shown, { n: links.length }), "meta"));
  }

  function showEdge(e) {
    selected = null;
    detail.textContent = "";
    const h = document.createElement("h2");
    const from = nodes.get(e.source), to = nodes.get(e.target);
    h.textContent = (from ? from.name : e.source) + " — " + (to ? to.name : e.target);
    detail.appendChild(h);
    detail.appendChild(paragraph(edgeText(e)));
    const list = document.createElement("ol");
    list.className = "evidence";
    e.evidence.forEach(function (ev) {
      const li = document.createElement("li");
      li.appendChild(document.createTextNode(ev.sentence + " "));
      const a = document.createElement("a");
      a.href = ev.href;
      a.textContent = ui.original;
      li.appendChild(a);
      list.appendChild(li);
    });
    detail.appendChild(list);
  }

  let drawing = false;
  chart.on("finished", function () {
    if (!drawing) return;
    drawing = false;
    el.dataset.ready = "1";
  });
  chart.on("click", function (p) {
    if (p.dataType === "edge" && p.data.edge) { showEdge(p.data.edge); return; }
    if (p.data && p.data.node) { showNode(p.data.node); expand(p.data.node.id); }
  });
  window.addEventListener("resize", function () { chart.resize(); });
  expand(el.dataset.entity);
})();
