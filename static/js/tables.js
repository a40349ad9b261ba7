/* A table box that scrolls sideways can be reached and read with the keyboard (WCAG 2.1.1): it gets a tab
   stop, the region role and a name (the table's caption or the heading above it). Boxes that fit get none. */
(function () {
  "use strict";
  function name(box) {
    var caption = box.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    var el = box.previousElementSibling;
    while (el) {
      if (/^H[1-6]$/.test(el.tagName)) { return el.textContent.trim(); }
      el = el.previousElementSibling;
    }
    var h = document.querySelector("main h1");
    return h ? h.textContent.trim() : document.title;
  }
  function mark() {
    var boxes = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) { box.setAttribute("aria-label", name(box)); }
      } else if (box.getAttribute("tabindex") === "0" && box.dataset.keep !== "1") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", mark); } else { mark(); }
  window.addEventListener("resize", mark);
})();
