/* After a failed submit, focus goes to the error summary at the top of the form (templates/_form.html), so
   a keyboard or screen-reader user starts at the list of what to fix; each entry links to its field. */
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", focusSummary); } else { focusSummary(); }
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) { event.preventDefault(); field.focus(); }
  });
})();
