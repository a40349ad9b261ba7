// Draws the seller's omzet charts (Chart.js from static/vendor) from the page's JSON data island.
(function () {
  function draw() {
    var island = document.getElementById("omzet-chart-data");
    if (!island || typeof Chart === "undefined") return;
    var data = JSON.parse(island.textContent);
    function fmt(n) {
      var s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
      return (n < 0 ? "-Rp" : "Rp") + s;
    }
    document.querySelectorAll("canvas[data-omzet-chart]").forEach(function (canvas) {
      var c = data[canvas.dataset.omzetChart];
      if (!c) return;
      new Chart(canvas, {
        type: "bar",
        data: { labels: c.labels, datasets: [{ label: "Omzet", data: c.values, backgroundColor: "#1f77b4" }] },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (ctx) { return fmt(ctx.parsed.y); } } } },
          scales: { y: { ticks: { callback: function (v) { return fmt(v); } } } }
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
