// Region page trend chart: projects and newly seen enterprises per year on the chosen
// chain, read from #trend-data (the diagnosis' own trend).
(function () {
  "use strict";
  const el = document.getElementById("trend-chart");
  if (!el) return;
  const t = JSON.parse(document.getElementById("trend-data").textContent);
  // Series names come translated from the page (#ui-text); Chinese if the block is absent.
  const uiEl = document.getElementById("ui-text");
  const ui = Object.assign({ projects: "项目", enterprises: "新见企业" },
    uiEl ? JSON.parse(uiEl.textContent) : {});
  const chart = echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { data: [ui.projects, ui.enterprises], top: 0 },
    grid: { left: 40, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: t.years },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: ui.projects, type: "bar", barMaxWidth: 36, data: t.projects, itemStyle: { color: "#1971c2" } },
      { name: ui.enterprises, type: "bar", barMaxWidth: 36, data: t.enterprises, itemStyle: { color: "#2b8a3e" } },
    ],
  });
  window.addEventListener("resize", function () { chart.resize(); });
  el.dataset.ready = "1";
})();
