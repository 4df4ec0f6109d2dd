// Renkei's own script: small progressive enhancements on top of pages
// that work without it. Loaded with defer from our origin only (the CSP
// allows no inline script).
(function () {
  "use strict";

  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
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
})();
