// The product form's variant table (apps/store): "+ Tambah baris varian" adds an empty row from the formset's
// empty form (<template id="variant-empty-row">) and counts it in the management form. Without script the
// form still works: it always carries one empty row.
(function () {
  "use strict";
  var table = document.getElementById("variant-table");
  var button = document.getElementById("variant-add");
  var template = document.getElementById("variant-empty-row");
  if (!table || !button || !template) { return; }
  var prefix = table.dataset.prefix;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
  var rows = document.getElementById("variant-rows");

  function full() { return max && Number(total.value) >= Number(max.value); }

  button.hidden = false;
  button.disabled = full();
  button.addEventListener("click", function () {
    if (full()) { return; }
    var index = Number(total.value);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("tbody");
    holder.innerHTML = html;
    var row = holder.querySelector("tr");
    rows.appendChild(row);
    total.value = String(index + 1);
    button.disabled = full();
    if (window.tukatukuRupiah) { window.tukatukuRupiah.init(row); }
    var first = row.querySelector("input:not([type=hidden])");
    if (first) { first.focus(); }
  });
})();
