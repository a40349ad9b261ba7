/* Rupiah inputs (apps.core.forms.RupiahInput): show what will be saved while the person types.
   The server parses again and decides (apps/core/money.py); this only mirrors its rules. */
(function () {
  "use strict";
  var english = (document.documentElement.lang || "id").slice(0, 2) === "en";

  function parse(text, allowNegative) {
    var s = String(text).trim().replace(/\u00a0/g, " ");
    var negative = false;
    if (s.charAt(0) === "-") { negative = true; s = s.slice(1).trim(); }
    s = s.replace(/^rp\.?\s*/i, "");
    if (s.charAt(0) === "-") { negative = true; s = s.slice(1).trim(); }
    s = s.replace(/[,.]-$/, "").trim();
    if (english && /^[\d,]+\.0{1,2}$/.test(s)) { s = s.replace(/\.0+$/, ""); }
    if (!english && /^[\d.]+,0{1,2}$/.test(s)) { s = s.replace(/,0+$/, ""); }
    var digits = null;
    if (/^\d+$/.test(s)) { digits = s; }
    else if (/^\d{1,3}(\.\d{3})+$/.test(s)) { digits = s.replace(/\./g, ""); }
    else if (english && /^\d{1,3}(,\d{3})+$/.test(s)) { digits = s.replace(/,/g, ""); }
    if (digits === null) { return null; }
    digits = digits.replace(/^0+(?=\d)/, "");
    if (digits.length > 15) { return null; }
    if (negative && /[1-9]/.test(digits)) {
      if (!allowNegative) { return null; }
      return "-" + digits;
    }
    return digits;
  }

  function format(digits) {
    var sign = digits.charAt(0) === "-" ? "-" : "";
    var d = sign ? digits.slice(1) : digits;
    var grouped = d.replace(/\B(?=(\d{3})+(?!\d))/g, english ? "," : ".");
    return sign + "Rp" + grouped;
  }

  function update(input) {
    var out = document.getElementById(input.id + "_rupiah");
    if (!out) { return; }
    var text = input.value;
    if (!text.trim()) { out.textContent = ""; out.classList.remove("rupiah-bad"); return; }
    var digits = parse(text, input.dataset.rupiah === "negatif");
    if (digits === null) {
      out.textContent = input.dataset.rupiahInvalid;
      out.classList.add("rupiah-bad");
    } else {
      out.textContent = input.dataset.rupiahSaved.replace("%(amount)s", format(digits));
      out.classList.remove("rupiah-bad");
    }
  }

  function init(root) {
    var inputs = root.querySelectorAll("input[data-rupiah]");
    for (var i = 0; i < inputs.length; i++) { update(inputs[i]); }
  }

  document.addEventListener("input", function (event) {
    var t = event.target;
    if (t && t.matches && t.matches("input[data-rupiah]")) { update(t); }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  window.tukatukuRupiah = { parse: parse, format: format, init: init };
})();
