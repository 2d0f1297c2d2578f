// Draws the graduation dashboard's charts from the JSON the page embeds (no inline script,
// CSP-friendly); the same figures are in the tables beside them.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("graduation-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var palette = ["#b42318", "#a15c00", "#2f6db5", "#0b6e4f", "#5b6775"];
    var axes = { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { ticks: { precision: 0 } } };
    var bands = document.getElementById("chart-bands");
    if (bands) {
      new Chart(bands, {
        type: "bar",
        data: { labels: data.bands.labels, datasets: [{ data: data.bands.values, backgroundColor: palette.slice(0, 4) }] },
        options: { responsive: true, animation: false, plugins: { legend: { display: false } }, scales: axes }
      });
    }
    var movements = document.getElementById("chart-movements");
    if (movements) {
      var colours = ["#0b6e4f", "#5b6775", "#b42318", "#2f6db5"];
      new Chart(movements, {
        type: "bar",
        data: {
          labels: data.movements.labels,
          datasets: data.movements.series.map(function (series, i) {
            return { label: series.label, data: series.values, backgroundColor: colours[i % colours.length] };
          })
        },
        options: {
          responsive: true, animation: false,
          plugins: { legend: { display: true, position: "bottom" } },
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
