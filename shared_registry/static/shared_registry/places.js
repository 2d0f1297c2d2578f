// Cascading place pickers: choosing a county narrows the sub-county list, choosing a
// sub-county narrows the ward list. Each parent select carries data-places-child (the id of
// the select to refill), data-places-url and data-places-param (the lookup endpoint and the
// parameter naming the chosen code); data-places-above names the select one level up, asked
// when this one is blank. Without this script the selects list every option,
// grouped by parent, and the server checks that the choices fit together. The same file
// shows only the chosen case category's sub-categories (data-narrows).
(function () {
  "use strict";

  function option(value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    return o;
  }

  function fill(select, places) {
    var blank = select.options.length && select.options[0].value === "" ? select.options[0].textContent : "—";
    var groups = {};
    select.replaceChildren(option("", blank));
    places.forEach(function (p) {
      var parent = select;
      if (p.group) {
        if (!groups[p.group]) {
          groups[p.group] = document.createElement("optgroup");
          groups[p.group].label = p.group;
          select.appendChild(groups[p.group]);
        }
        parent = groups[p.group];
      }
      parent.appendChild(option(p.code, p.name));
    });
    select.value = "";
  }

  function refresh(parent) {
    var child = document.getElementById(parent.dataset.placesChild);
    if (!child) return;
    var url = parent.dataset.placesUrl;
    var above = document.getElementById(parent.dataset.placesAbove || "");
    if (parent.value) {
      url += "?" + parent.dataset.placesParam + "=" + encodeURIComponent(parent.value);
    } else if (above && above.value) {
      // no sub-county chosen: the wards of the chosen county
      url += "?" + above.dataset.placesParam + "=" + encodeURIComponent(above.value);
    }
    child.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (places) {
        fill(child, places);
        child.removeAttribute("aria-busy");
        // the level below follows: a new sub-county list means a new ward list
        child.dispatchEvent(new Event("change", { bubbles: true }));
      })
      .catch(function () { child.removeAttribute("aria-busy"); });
  }

  // A select whose options are grouped under the chosen value of another (case
  // sub-categories under their category): only the chosen group is shown.
  function narrow(select) {
    var target = document.getElementById(select.dataset.narrows);
    if (!target) return;
    var chosen = select.value ? select.options[select.selectedIndex].textContent : "";
    Array.prototype.forEach.call(target.querySelectorAll("optgroup"), function (group) {
      var off = chosen !== "" && group.label !== chosen;
      group.hidden = off;
      group.disabled = off;
      if (off) Array.prototype.forEach.call(group.options || group.children, function (o) { o.selected = false; });
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.matches) return;
    if (target.matches("select[data-places-child]")) refresh(target);
    if (target.matches("select[data-narrows]")) narrow(target);
  });

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-narrows]"), narrow);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
