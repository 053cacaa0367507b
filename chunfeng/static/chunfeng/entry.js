// The entry page, kept out of the HTML so that the Content-Security-Policy can forbid inline
// script:
//   - mark each blank that a check message concerns, after the page loads and after every live
//     check (htmx swaps the check list and the messages beside the lines);
//   - move through the form like Excel: Enter and Tab go to the next blank (header fields and
//     figures, in the order of the paper), Shift+Enter and Shift+Tab go back. Enter never submits
//     the form (that would save and reload at the top, losing the place in a 77-blank form);
//   - save each blank as the user leaves it (the form's data-blank-save URL): one save at a time,
//     each sending the report version the page holds and taking the new one back. A refused
//     value stays on screen, marked, with its message; a stale save (409) shows the value the
//     other user stored;
//   - a warning's explanation (说明, the boxes in the check list) is saved the same way as it is
//     left, and the live check then runs again so that "报送前还需要" follows it. Its box keeps
//     what is typed across the check list's swaps (hx-preserve).
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

  function blanks() {
    return Array.prototype.filter.call(
      document.querySelectorAll(".paper input, .paper select"),
      function (el) {
        return !el.disabled && !el.readOnly && el.type !== "hidden" && el.offsetParent !== null;
      }
    );
  }

  function move(event) {
    var el = event.target;
    if (event.key !== "Enter" && event.key !== "Tab") return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    if (!el.closest || !el.closest("#entry-form .paper")) return;
    var list = blanks();
    var i = list.indexOf(el);
    if (i < 0) return;
    var next = list[i + (event.shiftKey ? -1 : 1)];
    if (event.key === "Enter") event.preventDefault();
    if (!next) return; // past the first or last blank: Tab leaves the form as usual
    event.preventDefault();
    next.focus();
    if (next.select && next.tagName === "INPUT" && next.type !== "date") next.select();
    next.scrollIntoView({ block: "nearest" });
  }

  var queue = Promise.resolve();
  var pending = 0;

  // The words this script shows come from the page (data-word-* on the entry form), translated
  // there with the rest of it; the Chinese here only if an older page lacks them.
  function words(name, fallback) {
    var form = document.getElementById("entry-form");
    return (form && form.getAttribute("data-word-" + name)) || fallback;
  }

  function status(text, level) {
    var el = document.getElementById("save-status");
    if (!el) return;
    el.textContent = text;
    el.className = level ? "save-" + level : "muted";
  }

  function codeOf(el) {
    return el.getAttribute("data-code") || el.name;
  }

  function saveBlank(form, el) {
    var version = document.getElementById("report-version");
    var csrf = form.querySelector("[name=csrfmiddlewaretoken]");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
    body.append("code", codeOf(el));
    body.append("value", el.value);
    body.append("version", version ? version.value : "");
    el.setAttribute("data-saving", "");
    return fetch(form.getAttribute("data-blank-save"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response.json().then(function (data) { return [response.status, data]; });
      })
      .then(function (answer) {
        var code = answer[0], data = answer[1];
        el.removeAttribute("data-saving");
        if (code === 200) {
          if (version) version.value = data.version;
          var typed = el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type !== "date");
          if (document.activeElement !== el && typed) el.value = data.value;
          el.classList.remove("save-refused", "save-stale");
          el.removeAttribute("aria-invalid");
          el.setAttribute("data-saved", "");
          var what = isExplanation(el)
            ? words("explanation", "{check} 的说明").replace("{check}", data.code.slice(2))
            : data.code;
          status(words("saved", "{what} 已保存").replace("{what}", what), "ok");
        } else if (code === 409) {
          el.value = data.current;
          el.classList.add("save-stale");
          status(data.error, "error");
        } else {
          el.classList.add("save-refused");
          el.setAttribute("aria-invalid", "true");
          el.removeAttribute("data-saved");
          status(data.error || words("failed", "保存失败"), "error");
        }
      })
      .catch(function () {
        el.removeAttribute("data-saving");
        status(words("offline", "网络错误，未保存；请稍后再试或点击“保存草稿”"), "error");
      })
      .then(function () {
        // an explanation changes what still stands before 报送: check again (entry.html's
        // hx-trigger listens for this event on the form)
        if (isExplanation(el)) form.dispatchEvent(new CustomEvent("explained"));
      });
  }

  function isExplanation(el) {
    return el.classList && el.classList.contains("explanation");
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    var form = el.closest && el.closest("#entry-form[data-blank-save]");
    if (!form || el.readOnly || el.disabled) return;
    if (!el.closest(".paper") && !isExplanation(el)) return;
    pending += 1;
    queue = queue.then(function () { return saveBlank(form, el); }).then(function () {
      pending -= 1;
    });
  });

  // 保存草稿 while a blank is being saved: wait for it, so that the draft carries the version
  // that save returned (else the draft would be refused as stale by the page's own save)
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "entry-form" || !pending) return;
    event.preventDefault();
    var submitter = event.submitter;
    queue.then(function () {
      form.requestSubmit ? form.requestSubmit(submitter) : form.submit();
    });
  });

  document.addEventListener("DOMContentLoaded", mark);
  document.addEventListener("htmx:afterSettle", mark);
  document.addEventListener("keydown", move);
})();
