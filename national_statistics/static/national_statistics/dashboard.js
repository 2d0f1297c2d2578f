// Draws the dashboard charts from the JSON the page embeds (no inline script, CSP-friendly).
(function () {
  "use strict";
  function draw() {
    var data = JSON.parse(document.getElementById("dashboard-data").textContent);
    var brand = "#0b6e4f", palette = ["#0b6e4f", "#a15c00", "#2f6db5", "#b42318", "#6b4fa0", "#5b6775"];
    function chart(id, type, series, extra) {
      var el = document.getElementById(id);
      if (!el || !series) { return null; }
      var colours = type === "doughnut" ? palette : brand;
      return new Chart(el, Object.assign({
        type: type,
        data: { labels: series.labels, datasets: [{ data: series.values, backgroundColor: colours, borderColor: brand }] },
        options: {
          plugins: { legend: { display: type === "doughnut", position: "right" } },
          responsive: true, animation: false, aspectRatio: 2,
          scales: type === "doughnut" ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } },
                                               x: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      }, extra || {}));
    }
    chart("chart-trend", "line", data.trend);
    chart("chart-category", "bar", data.category, { options: { indexAxis: "y", aspectRatio: 2, plugins: { legend: { display: false } }, animation: false, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } } });
    chart("chart-sex", "doughnut", data.sex);
    chart("chart-age", "bar", data.age);
    var area = document.getElementById("chart-area");
    var areaChart = chart("chart-area", "bar", data.area);
    if (areaChart && area.dataset.drill) {
      area.style.cursor = "pointer";
      area.onclick = function (event) {
        var points = areaChart.getElementsAtEventForMode(event, "nearest", { intersect: true }, true);
        if (!points.length) { return; }
        var code = data.area.codes[points[0].index];
        if (!code) { return; }
        var params = new URLSearchParams(area.dataset.query);
        if (area.dataset.drill === "county") { params.set("county", code); }
        else { params.set("county", area.dataset.county); params.set("sub_county", code); }
        window.location.search = params.toString();
      };
    }
  }
  if (window.Chart) { draw(); } else { window.addEventListener("load", draw); }
})();
