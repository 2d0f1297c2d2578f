/* CPIMS: the little script every page shares (no inline script: the CSP forbids it). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
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
