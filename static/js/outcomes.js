// Outcomes chart: share moved up a class, participants against the comparison group per kind.
(function () {
  var island = document.getElementById("outcome-data");
  var canvas = document.getElementById("outcome-chart");
  if (!island || !canvas || typeof Chart === "undefined") return;
  var d = JSON.parse(island.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: d.labels,
      datasets: [
        { label: d.legend[0], data: d.participants, backgroundColor: "#1f77b4" },
        { label: d.legend[1], data: d.comparison, backgroundColor: "#bbbbbb" }
      ]
    },
    options: {
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return String(v).replace(".", ",") + "%"; } } } },
      plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + c.raw.toFixed(1).replace(".", ",") + "%"; } } } }
    }
  });
})();
