// On an office screen the report's form stays open; on a phone it waits behind "Ubah laporan".
(function () {
  var filter = document.querySelector("details.report-filter");
  if (filter && window.matchMedia("(min-width: 900px)").matches) filter.open = true;
})();
// Draws the report's charts (Chart.js from static/vendor) from the page's JSON data island.
(function () {
  var island = document.getElementById("report-charts");
  if (!island || typeof Chart === "undefined") return;
  var charts = JSON.parse(island.textContent);
  var palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];
  function fmt(n, money) {
    var s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return (n < 0 ? "-" : "") + (money ? "Rp" + s : s);
  }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var c = charts[canvas.dataset.chart];
    if (!c || !c.values.length) return;
    var pie = c.type === "pie";
    if (!pie) canvas.parentNode.style.height = Math.max(160, 28 * c.values.length + 40) + "px";
    new Chart(canvas, {
      type: pie ? "doughnut" : "bar",
      data: { labels: c.labels, datasets: [{ data: c.values, backgroundColor: pie ? palette : palette[0] }] },
      options: {
        indexAxis: pie ? undefined : "y",
        maintainAspectRatio: pie,
        animation: false,
        plugins: {
          legend: { display: pie },
          tooltip: { callbacks: { label: function (ctx) { return ctx.label + ": " + fmt(ctx.raw, c.money); } } }
        },
        scales: pie ? {} : { x: { ticks: { callback: function (v) { return fmt(v, c.money); } } } }
      }
    });
  });
})();
