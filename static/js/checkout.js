/* Checkout (orders/checkout_shipping.html): the grand total follows the chosen shipping options.
   Without JavaScript the page shows the total for the options checked by default. */
(function () {
  "use strict";
  var box = document.getElementById("ringkasan-bayar");
  if (!box) { return; }
  var english = (document.documentElement.lang || "id").slice(0, 2) === "en";
  function rupiah(n) { return "Rp" + String(n).replace(/\B(?=(\d{3})+(?!\d))/g, english ? "," : "."); }
  function update() {
    var shipping = 0;
    var checked = document.querySelectorAll("input[type=radio][data-cost]:checked");
    for (var i = 0; i < checked.length; i++) { shipping += parseInt(checked[i].dataset.cost, 10) || 0; }
    var goods = parseInt(box.dataset.goods, 10) || 0;
    document.getElementById("total-ongkir").textContent = rupiah(shipping);
    document.getElementById("total-bayar").textContent = rupiah(goods + shipping);
  }
  document.addEventListener("change", function (e) {
    if (e.target && e.target.matches && e.target.matches("input[type=radio][data-cost]")) { update(); }
  });
})();
