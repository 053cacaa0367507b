// Small behaviours of every page, kept out of the HTML so that the Content-Security-Policy can
// forbid inline script:
//   data-autosubmit      a <select> that submits its form when changed
//   data-confirm="…"     a submit button that asks first
//   data-remove-after-request   an htmx element removed once its request is answered
(function () {
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var el = event.detail && event.detail.elt;
    if (el && el.hasAttribute && el.hasAttribute("data-remove-after-request")) {
      el.remove();
    }
  });
})();
