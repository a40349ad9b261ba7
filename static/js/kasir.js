// Quick-sale screen (kasir). The search box takes typing and USB barcode scanners (they type the code
// and press Enter, which submits the form); the camera button scans with the browser's BarcodeDetector
// when it has one, otherwise with ZXing (static/vendor/zxing.min.js, from the npm package
// @zxing/library). A found code is put in the search box and submitted: an exact SKU goes into the cart.
// Also: the cash/QRIS switch, the change while typing the amount given, and the receipt's print button.
(function () {
  var printButton = document.getElementById("print-struk");
  if (printButton) printButton.addEventListener("click", function () { window.print(); });

  var pay = document.querySelector(".kasir-pay");
  if (pay) {
    var total = parseInt((document.getElementById("kasir-total") || {}).dataset.total || "0", 10);
    var given = pay.querySelector("input[name=cash_given]");
    var change = document.getElementById("kasir-change");
    var showMethod = function () {
      var checked = pay.querySelector("input[name=method]:checked");
      pay.dataset.method = checked ? checked.value : "";
    };
    var showChange = function () {
      var digits = (given.value || "").replace(/[^0-9]/g, "");
      if (!digits) { change.textContent = "–"; return; }
      var rest = parseInt(digits, 10) - total;
      change.textContent = rest < 0 ? "−Rp" + (-rest).toLocaleString("id-ID") : "Rp" + rest.toLocaleString("id-ID");
    };
    pay.addEventListener("change", showMethod);
    if (given) given.addEventListener("input", showChange);
    showMethod();
  }

  var form = document.getElementById("kasir-search-form");
  var scan = document.getElementById("kasir-scan");
  var box = document.getElementById("kasir-camera");
  if (!form || !scan || !box) return;
  var input = document.getElementById("kasir-q");
  var video = document.getElementById("kasir-video");
  var status = document.getElementById("kasir-camera-status");
  var stream = null;
  var reader = null;
  var running = false;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  scan.hidden = false;

  function found(code) {
    stop();
    input.value = code;
    form.submit();
  }

  function stop() {
    running = false;
    if (reader) { try { reader.reset(); } catch (e) { /* already stopped */ } reader = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    box.hidden = true;
  }

  function withDetector(detector) {
    var tick = function () {
      if (!running) return;
      if (video.readyState >= 2) {
        detector.detect(video).then(function (codes) {
          if (codes.length && running) found(codes[0].rawValue);
          else requestAnimationFrame(tick);
        }).catch(function () { requestAnimationFrame(tick); });
      } else {
        requestAnimationFrame(tick);
      }
    };
    requestAnimationFrame(tick);
  }

  function start() {
    box.hidden = false;
    status.textContent = box.dataset.msgStart;
    running = true;
    if ("BarcodeDetector" in window) {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.play();
        withDetector(new window.BarcodeDetector({ formats: ["code_128", "ean_13", "ean_8", "qr_code"] }));
      }).catch(function () { status.textContent = box.dataset.msgNocamera; running = false; });
    } else if (window.ZXing) {
      reader = new window.ZXing.BrowserMultiFormatReader();
      reader.decodeFromConstraints({ video: { facingMode: "environment" } }, video, function (result) {
        if (result && running) found(result.getText());
      }).catch(function () { status.textContent = box.dataset.msgNocamera; running = false; });
    } else {
      status.textContent = box.dataset.msgNocamera;
    }
  }

  scan.addEventListener("click", start);
  document.getElementById("kasir-camera-stop").addEventListener("click", stop);
})();
