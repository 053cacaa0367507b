// Small behaviours of every page, kept out of the HTML so that the Content-Security-Policy can
// forbid inline script:
//   data-autosubmit      a <select> that submits its form when changed
//   data-confirm="…"     a submit button that asks first
//   data-remove-after-request   an htmx element removed once its request is answered
//   table.grid           put in a .table-scroll container (it scrolls inside itself, with a sticky
//                        header and first column, and takes the keyboard focus) unless the template did; the columns headed by a
//                        unit's or a person's name get .cell-name (never broken per character)
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
  var NAME_HEADER = /单位|姓名|名称|户主|联系人|走访人|收款人|来电人|^unit|name/i;
  function fitTables(root) {
    var tables = (root || document).querySelectorAll("table.grid");
    Array.prototype.forEach.call(tables, function (table) {
      var parent = table.parentElement;
      if (parent && !parent.classList.contains("table-scroll")) {
        var wrap = document.createElement("div");
        wrap.className = "table-scroll";
        parent.insertBefore(wrap, table);
        wrap.appendChild(table);
      }
      // a keyboard user scrolls a wide table too: its container takes the focus
      if (!table.parentElement.hasAttribute("tabindex")) table.parentElement.setAttribute("tabindex", "0");
      var head = table.rows.length ? table.rows[0] : null;
      if (!head) return;
      var named = [];
      Array.prototype.forEach.call(head.cells, function (cell, i) {
        if (cell.tagName === "TH" && NAME_HEADER.test(cell.textContent.trim())) named.push(i);
      });
      if (!named.length) return;
      Array.prototype.forEach.call(table.rows, function (row) {
        named.forEach(function (i) {
          if (row.cells[i] && row.cells.length === head.cells.length) row.cells[i].classList.add("cell-name");
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { fitTables(document); });
  } else {
    fitTables(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    fitTables(event.detail && event.detail.elt ? event.detail.elt.parentElement || document : document);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var el = event.detail && event.detail.elt;
    if (el && el.hasAttribute && el.hasAttribute("data-remove-after-request")) {
      el.remove();
    }
  });
})();
