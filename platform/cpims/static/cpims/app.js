/* CPIMS: the little script every page shares (no inline script: the CSP forbids it). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  /* Long actions show they are working (docs/ui.md, *Progress*): once a form[data-busy]
     is sent its buttons are disabled and its .busy status shown, until the next page.
     A download never leaves the page: with data-busy-download="<cookie>" the form is
     ready again when the answer sets that cookie. */
  function setBusy(form, busy) {
    form.setAttribute("aria-busy", busy ? "true" : "false");
    form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
      button.disabled = busy;
    });
    form.querySelectorAll(".busy").forEach(function (status) { status.hidden = !busy; });
  }
  function hasCookie(name) {
    return document.cookie.split("; ").some(function (c) { return c.indexOf(name + "=") === 0; });
  }
  function clearCookie(name) {
    document.cookie = name + "=; Max-Age=0; path=/; SameSite=Lax";
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-busy]")) { return; }
    var cookie = form.getAttribute("data-busy-download");
    if (cookie) { clearCookie(cookie); }
    /* After the other submit handlers (a confirmation may cancel) and after the browser
       has read the pressed button's name and value. */
    setTimeout(function () {
      if (event.defaultPrevented) { return; }
      setBusy(form, true);
      if (!cookie) { return; }
      var waited = 0;
      var poll = setInterval(function () {
        waited += 500;
        if (hasCookie(cookie) || waited > 300000) {
          clearInterval(poll);
          clearCookie(cookie);
          setBusy(form, false);
        }
      }, 500);
    }, 0);
  });
  /* Back to a page kept in the browser's memory: it is not working any more. */
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-busy][aria-busy=true]").forEach(function (form) {
      setBusy(form, false);
    });
  });
  ready(function () {
    /* The navigation collapses behind the Menu button on narrow screens. */
    var toggle = document.querySelector(".navtoggle");
    var topbar = document.querySelector(".topbar");
    if (toggle && topbar) {
      toggle.addEventListener("click", function () {
        var open = topbar.classList.toggle("nav-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  });
})();
