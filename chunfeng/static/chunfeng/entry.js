// Mark each blank that a check message concerns, after the page loads and after every
// live check (htmx swaps the check list and the messages beside the lines).
(function () {
  function mark() {
    document.querySelectorAll(".paper .blank").forEach(function (el) {
      el.classList.remove("has-error", "has-warning");
    });
    document.querySelectorAll("[data-fields]").forEach(function (msg) {
      var level = msg.classList.contains("error") ? "has-error" : "has-warning";
      msg.getAttribute("data-fields").split(" ").forEach(function (code) {
        var el = document.getElementById("b-" + code.replace(".", "-"));
        if (el && !(level === "has-warning" && el.classList.contains("has-error"))) {
          el.classList.add(level);
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  document.addEventListener("htmx:afterSettle", mark);
})();
