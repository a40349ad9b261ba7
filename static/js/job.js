// Polls a background job and moves the progress bar until the job is done or failed.
(function () {
  var box = document.getElementById("job");
  if (!box) return;
  var url = box.dataset.statusUrl;
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }
  function tick() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (s) {
      document.getElementById("job-progress").value = s.percent;
      document.getElementById("job-percent").textContent = s.percent;
      document.getElementById("job-count").textContent = fmt(s.done) + " / " + fmt(s.total);
      var message = document.getElementById("job-message");
      if (message) message.textContent = s.message;
      if (s.status === "done" || s.status === "failed") { window.location.reload(); return; }
      setTimeout(tick, 1000);
    }).catch(function () { setTimeout(tick, 3000); });
  }
  if (box.dataset.status === "queued" || box.dataset.status === "running") setTimeout(tick, 500);
})();
