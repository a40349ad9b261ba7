// Attendance scanner: reads QR codes from the phone's camera with jsQR (static/vendor/jsQR.js) and posts
// each new code to the check-in endpoint. The same code is not sent twice within a few seconds.
(function () {
  var root = document.getElementById("scanner");
  if (!root) return;
  var video = document.getElementById("scanner-video");
  var canvas = document.getElementById("scanner-canvas");
  var status = document.getElementById("scanner-status");
  var count = document.getElementById("scanner-count");
  var log = document.getElementById("scanner-log");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var lastCode = "";
  var lastAt = 0;
  var busy = false;
  var running = false;

  function say(text) { status.textContent = text; }

  function addLog(text, ok) {
    var item = document.createElement("li");
    item.textContent = text;
    item.className = ok ? "ok" : "bad";
    log.insertBefore(item, log.firstChild);
  }

  function send(code) {
    busy = true;
    fetch(root.dataset.checkinUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
      credentials: "same-origin",
      body: JSON.stringify({ kode: code })
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      addLog(data.pesan, data.ok);
      say(data.pesan);
      if (data.ok) {
        count.textContent = data.jumlah;
        if (navigator.vibrate) navigator.vibrate(120);
      }
    }).catch(function () {
      say(root.dataset.msgError);
      lastCode = "";
    }).then(function () { busy = false; });
  }

  function tick() {
    if (!running) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA && !busy) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      if (found && found.data && (found.data !== lastCode || now - lastAt > 4000)) {
        lastCode = found.data;
        lastAt = now;
        send(found.data);
      }
    }
    requestAnimationFrame(tick);
  }

  function start() {
    if (running) return;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(root.dataset.msgNocamera);
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        video.play();
        running = true;
        say(root.dataset.msgStart);
        requestAnimationFrame(tick);
      })
      .catch(function () { say(root.dataset.msgNocamera); });
  }

  document.getElementById("scanner-start").addEventListener("click", start);
  start();
})();
