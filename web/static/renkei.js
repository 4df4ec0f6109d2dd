// Renkei's own script: small progressive enhancements on top of pages
// that work without it. Loaded with defer from our origin only (the CSP
// allows no inline script).
(function () {
  "use strict";

  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }

  // Parts that are re-rendered while the user works in them (the portal's
  // answers) are morphed in (idiomorph), not replaced: the element under a
  // finger or with the focus stays the same node, so a tap that began
  // before the swap still lands. The value of the field being typed in is
  // left as the user has it.
  if (window.Idiomorph) {
    window.Idiomorph.defaults.ignoreActiveValue = true;
  }

  // htmx requests carry the session's CSRF token in a header, as forms
  // carry it in the csrf_token field.
  document.addEventListener("htmx:configRequest", function (e) {
    var t = csrfToken();
    if (t) {
      e.detail.headers["X-CSRF-Token"] = t;
    }
  });

  // An error the server meant for the notice area (it sets HX-Retarget)
  // is swapped in; htmx leaves 4xx and 5xx answers alone otherwise.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (xhr.status >= 400 && xhr.getResponseHeader("HX-Retarget")) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  // Any other failure (a network error, a refused request) says so in
  // the notice area instead of doing nothing.
  function showFailure(e) {
    var xhr = e.detail && e.detail.xhr;
    if (xhr && xhr.getResponseHeader && xhr.getResponseHeader("HX-Retarget")) {
      return;
    }
    var flash = document.getElementById("flash");
    if (!flash) {
      return;
    }
    var p = document.createElement("p");
    p.className = "notice notice-error";
    p.setAttribute("role", "alert");
    p.textContent = flash.getAttribute("data-error-text") || "Error";
    flash.replaceChildren(p);
  }
  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:sendError", showFailure);

  // Copy buttons: shown only when the script runs, since they need it.
  function setupCopy(root) {
    root.querySelectorAll("[data-copy]").forEach(function (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var input = document.getElementById(btn.getAttribute("data-copy"));
        if (!input) {
          return;
        }
        var done = function () {
          var flash = document.getElementById("flash");
          if (flash) {
            var p = document.createElement("p");
            p.className = "notice";
            p.textContent = btn.getAttribute("data-copied") || "";
            flash.replaceChildren(p);
          }
        };
        input.select();
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(input.value).then(done, function () {});
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setupCopy(document); });
  } else {
    setupCopy(document);
  }
  // ---- Partner pages ----

  // "Select all" in the partner list: shown only when the script runs,
  // it ticks every row checkbox of its form (the rows htmx swaps in too).
  function setupSelectAll(root) {
    root.querySelectorAll("[data-select-all]").forEach(function (box) {
      if (box.dataset.bound) {
        return;
      }
      box.dataset.bound = "1";
      var wrap = box.closest("[hidden]");
      if (wrap) {
        wrap.hidden = false;
      }
      var form = document.getElementById(box.getAttribute("data-select-all"));
      if (!form) {
        return;
      }
      var rows = function () { return form.querySelectorAll('input[type="checkbox"][name="id"]'); };
      box.addEventListener("change", function () {
        rows().forEach(function (r) { r.checked = box.checked; });
      });
      form.addEventListener("change", function (e) {
        if (e.target !== box && e.target.name === "id") {
          var all = rows(), on = 0;
          all.forEach(function (r) { if (r.checked) { on++; } });
          box.checked = on === all.length;
          box.indeterminate = on > 0 && on < all.length;
        }
      });
    });
  }
  document.addEventListener("htmx:load", function (e) { setupSelectAll(e.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setupSelectAll(document); });
  } else {
    setupSelectAll(document);
  }

  // Inline validation: when the server's message for a field arrives in
  // its error element, mark the field (and its box) invalid or valid.
  document.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail && e.detail.target;
    if (!target || !target.hasAttribute("data-error-for")) {
      return;
    }
    var input = document.getElementById(target.getAttribute("data-error-for"));
    var bad = target.textContent.trim() !== "";
    if (input) {
      if (bad) {
        input.setAttribute("aria-invalid", "true");
      } else {
        input.removeAttribute("aria-invalid");
      }
      var field = input.closest(".field");
      if (field) {
        field.classList.toggle("has-error", bad);
      }
    }
  });

  // After a page of results is swapped in from a pager link (which the
  // swap removes), focus moves to the element the link names, so that
  // keyboard and screen reader users land on the new page.
  document.addEventListener("htmx:afterSettle", function (e) {
    var elt = e.detail && e.detail.requestConfig && e.detail.requestConfig.elt;
    var id = elt && elt.getAttribute && elt.getAttribute("data-focus-after");
    var to = id && document.getElementById(id);
    if (to) {
      to.focus();
    }
  });
})();
