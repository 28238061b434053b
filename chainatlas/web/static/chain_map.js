// Chain map: segments in three columns (upstream → midstream → downstream), sized by evidence, coloured by
// the region's verdict. Data comes from the page (JSON in #chain-data), never from a CDN.
(function () {
  "use strict";
  const el = document.getElementById("chain-map");
  const data = JSON.parse(document.getElementById("chain-data").textContent);
  // Interface words come translated from the page (#ui-text); Chinese if the block is absent.
  const uiEl = document.getElementById("ui-text");
  const ui = Object.assign({
    stages: { upstream: "上游", midstream: "中游", downstream: "下游" },
    tip: "企业 {e} · 机构 {i} · 项目 {p}",
    enterprises: "企业", institutions: "科研机构", colon: "：", sep: "、", none: "无",
  }, uiEl ? JSON.parse(uiEl.textContent) : {});
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }
  function esc(text) {
    const d = document.createElement("div");
    d.textContent = text;
    return d.innerHTML;
  }
  const stages = ["upstream", "midstream", "downstream"];
  const colours = { strong: "#2b8a3e", present: "#1971c2", weak: "#e67700", missing: "#c92a2a" };
  const perStage = {};
  const nodes = data.segments.map(function (s) {
    const col = stages.indexOf(s.stage);
    const row = (perStage[s.stage] = (perStage[s.stage] || 0) + 1) - 1;
    const weight = s.enterprises.length + s.institutions.length + s.projects;
    return {
      id: s.id,
      name: s.name,
      x: 120 + col * 320,
      y: 40 + row * 70,
      symbol: "roundRect",
      symbolSize: [150 + Math.min(weight, 10) * 6, 40],
      itemStyle: { color: colours[s.verdict] || "#868e96" },
      label: { show: true, color: "#fff", fontSize: 13 },
      segment: s,
    };
  });
  const links = [];
  data.segments.forEach(function (a) {
    data.segments.forEach(function (b) {
      if (stages.indexOf(b.stage) === stages.indexOf(a.stage) + 1) {
        links.push({ source: a.id, target: b.id, lineStyle: { opacity: 0.15 } });
      }
    });
  });
  el.style.height = Math.max(300, 70 * Math.max.apply(null, Object.values(perStage).concat([1])) + 40) + "px";
  const chart = echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: {
      formatter: function (p) {
        if (!p.data.segment) return "";
        const s = p.data.segment;
        return esc(s.name) + "<br>" + esc(fill(ui.tip, { e: s.enterprises.length, i: s.institutions.length, p: s.projects }));
      },
    },
    series: [{ type: "graph", layout: "none", roam: true, data: nodes, links: links, edgeSymbol: ["none", "arrow"] }],
  });
  const detail = document.getElementById("segment-detail");
  chart.on("click", function (p) {
    const s = p.data && p.data.segment;
    if (!s) return;
    detail.textContent = "";
    const h = document.createElement("h2");
    h.textContent = (ui.stages[s.stage] || s.stage_label) + " · " + s.name;
    detail.appendChild(h);
    [[ui.enterprises, s.enterprises], [ui.institutions, s.institutions]].forEach(function (pair) {
      const p2 = document.createElement("p");
      p2.textContent = pair[0] + ui.colon + (pair[1].length ? pair[1].join(ui.sep) : ui.none);
      detail.appendChild(p2);
    });
    if (s.rule) {
      const r = document.createElement("p");
      r.className = "meta";
      r.textContent = s.rule;
      detail.appendChild(r);
    }
  });
  el.dataset.ready = "1";
})();
