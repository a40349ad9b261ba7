/* Checkout address (orders/checkout_address.html): choosing another regency reloads its villages at once,
   keeping what was typed (the server re-renders the form unvalidated); a search box narrows the village list
   by village or kecamatan name. Without JavaScript the "Tampilkan desa" button does the same. */
(function () {
  "use strict";
  var regency = document.querySelector("select[data-region-submit]");
  if (regency) {
    var button = document.querySelector("[data-region-button]");
    if (button && regency.form.requestSubmit) { button.hidden = true; }  // the list reloads by itself
    regency.addEventListener("change", function () {
      if (button && regency.form.requestSubmit) { regency.form.requestSubmit(button); }
    });
  }
  var search = document.querySelector("input[data-filter-select]");
  var select = search && document.getElementById(search.getAttribute("data-filter-select"));
  if (!search || !select) { return; }
  var searchLabel = search.closest("label");
  var fieldLabel = select.closest("label");
  if (fieldLabel) { fieldLabel.parentNode.insertBefore(searchLabel, fieldLabel); }  // right above the list it narrows
  searchLabel.hidden = false;
  function norm(s) { return s.toLowerCase().replace(/\s+/g, " ").trim(); }
  search.addEventListener("input", function () {
    var words = norm(search.value).split(" ").filter(Boolean);  // every word in the village or its kecamatan
    var groups = select.querySelectorAll("optgroup");
    var first = null;
    for (var i = 0; i < groups.length; i++) {
      var g = groups[i];
      var shown = 0;
      var opts = g.querySelectorAll("option");
      for (var j = 0; j < opts.length; j++) {
        var text = norm(g.label + " " + opts[j].textContent);
        var hit = words.every(function (w) { return text.indexOf(w) !== -1; });
        opts[j].hidden = !hit;
        if (hit) { shown++; if (!first) { first = opts[j]; } }
      }
      g.hidden = shown === 0;
    }
    if (words.length && first && (select.selectedIndex < 1 || select.options[select.selectedIndex].hidden)) {
      first.selected = true;
    }
  });
})();
