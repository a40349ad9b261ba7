// Site-wide behaviour that pages declare with data- attributes (the Content-Security-Policy runs no inline
// script or on*= handler). data-autosubmit: a filter select that submits its form when changed.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field instanceof HTMLElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.submit();
  }
});
