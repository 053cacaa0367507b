// Draws the dashboards' charts with Apache ECharts (vendor/echarts-*.min.js, canvas renderer).
// Each <div data-chart-src="URL"> gets the chart that URL answers (the same JSON the API serves
// under /api/v1/dashboards/…): {title, kind, unit, categories, series: [{name, stack, kind, data}],
// links, link, marks}. Money and rates come as exact decimal text; they are drawn as numbers.
// Series of kind "table" are only printed in the table under the chart. A click on a bar opens
// the list behind it. Tooltips are plain text (richText): HTML tooltips would carry inline
// styles, which the Content-Security-Policy forbids.
(function () {
  "use strict";
  var COLORS = ["#b3261e", "#1f6feb", "#2e7d32", "#8a5a00", "#6f42c1", "#0f766e", "#9a3412", "#475569"];
  var HORIZONTAL = { "filing-units": true, "money": true, "coverage": true };

  function num(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function option(data, el) {
    var horizontal = HORIZONTAL[data.chart] === true;
    var drawn = data.series.filter(function (s) { return s.kind !== "table"; });
    var series = drawn.map(function (s, i) {
      var one = {
        name: s.name,
        type: s.kind === "line" ? "line" : "bar",
        data: s.data.map(num),
        emphasis: { focus: "series" }
      };
      if (s.stack) one.stack = s.stack;
      if (one.type === "line") { one.showSymbol = false; one.yAxisIndex = data.chart === "payments-daily" ? 1 : 0; }
      if (i === 0 && data.marks && data.marks.length) {
        one.markLine = {
          symbol: "none",
          silent: true,
          label: { formatter: "{b}", position: "insideEndTop" },
          lineStyle: { color: "#b3261e", type: "dashed" },
          data: data.marks.map(function (m) { return { name: m.name, xAxis: m.at }; })
        };
      }
      return one;
    });
    var category = { type: "category", data: data.categories, axisLabel: { hideOverlap: true } };
    var value = { type: "value", name: data.unit, axisLabel: { hideOverlap: true } };
    if (data.unit === "%") { value.max = 100; }
    var axes = horizontal ? { xAxis: value, yAxis: Object.assign(category, { inverse: true }) } : { xAxis: category, yAxis: value };
    if (data.chart === "payments-daily") {
      axes.yAxis = [value, { type: "value", name: el.getAttribute("data-chart-cumulative") || "累计", axisLabel: { hideOverlap: true }, splitLine: { show: false } }];
    }
    return Object.assign({
      color: COLORS,
      animation: false,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      series: series
    }, axes);
  }

  function draw(el) {
    fetch(el.getAttribute("data-chart-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        if (HORIZONTAL[data.chart] && data.categories.length > 8) {
          el.style.height = Math.min(40 + 30 * data.categories.length, 1600) + "px";  // CSSOM: allowed by the CSP
        }
        var chart = echarts.init(el, null, { renderer: "canvas" });
        chart.setOption(option(data, el));
        chart.on("click", function (params) {
          var link = data.links && data.links[params.dataIndex];
          if (link) window.location.href = link;
        });
        window.addEventListener("resize", function () { chart.resize(); });
        el.setAttribute("data-chart-drawn", data.chart);
      })
      .catch(function () {
        el.classList.add("chart-failed");
        el.textContent = el.getAttribute("data-chart-failed") || "图表未能加载，请查看下方数据表。";
      });
  }

  function start() {
    if (typeof echarts === "undefined") return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart-src]"), draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
