// The body map of the body areas step, kept in step with the list of areas and sides
// (which stays for those who prefer it, and is all there is without JavaScript).
// Each figure is a toolbar of toggle buttons: one Tab stop, the arrow keys move.
(function () {
  "use strict";
  var form = document.getElementById("wizard-form");
  if (!form) return;

  function box(area) { return form.querySelector('input[name="area_' + area + '"]'); }
  function sideOf(area) {
    var radio = form.querySelector('input[name="side_' + area + '"]:checked');
    return radio ? radio.value : null;
  }
  function setSide(area, side) {
    form.querySelectorAll('input[name="side_' + area + '"]').forEach(function (radio) {
      radio.checked = radio.value === side;
    });
  }

  // Choosing a side in the list ticks its area.
  form.addEventListener("change", function (e) {
    var name = e.target.name || "";
    if (name.indexOf("side_") === 0 && e.target.checked) {
      var area = box(name.slice(5));
      if (area) area.checked = true;
    }
    sync();
  });

  var map = document.querySelector("[data-body-map]");
  if (!map) return;
  map.hidden = false;
  var status = document.getElementById("body-map-status");
  var regions = Array.prototype.slice.call(map.querySelectorAll("[data-area]"));

  function pressed(el) {
    var area = box(el.dataset.area);
    if (!area || !area.checked) return false;
    var side = sideOf(el.dataset.area);
    return !el.dataset.side || side === el.dataset.side || side === "bilateral";
  }

  function sync() {
    if (!map) return;
    regions.forEach(function (el) {
      el.setAttribute("aria-pressed", pressed(el) ? "true" : "false");
      // Ticked in the list without a side yet: both sides of it ask for one.
      var area = box(el.dataset.area);
      el.classList.toggle("needs-side", !!(el.dataset.side && area && area.checked && !sideOf(el.dataset.area)));
    });
  }

  function toggle(el) {
    var key = el.dataset.area;
    var area = box(key);
    if (!area) return;
    if (!el.dataset.side) {
      area.checked = !area.checked;
    } else {
      var side = area.checked ? sideOf(key) : null;
      var left = side === "left" || side === "bilateral";
      var right = side === "right" || side === "bilateral";
      if (el.dataset.side === "left") left = !left; else right = !right;
      var next = left && right ? "bilateral" : left ? "left" : right ? "right" : null;
      area.checked = next !== null;
      setSide(key, next);
    }
    sync();
    var label = area.closest("label");
    var side2 = sideOf(key);
    status.textContent = (label ? label.textContent.trim() : key) +
      (area.checked ? (side2 ? ", " + side2 : "") + ": on the order." : ": removed.");
  }

  // Roving tabindex within each figure's toolbar.
  map.querySelectorAll("[role=toolbar]").forEach(function (bar) {
    var items = Array.prototype.slice.call(bar.querySelectorAll("[role=button]"));
    if (items.length) items[0].setAttribute("tabindex", "0");
    function move(from, to) {
      from.setAttribute("tabindex", "-1");
      to.setAttribute("tabindex", "0");
      to.focus();
    }
    items.forEach(function (el, i) {
      el.addEventListener("click", function () {
        if (el.getAttribute("tabindex") !== "0") move(bar.querySelector('[tabindex="0"]') || el, el);
        toggle(el);
      });
      el.addEventListener("keydown", function (e) {
        var to = null;
        if (e.key === "ArrowRight" || e.key === "ArrowDown") to = items[(i + 1) % items.length];
        else if (e.key === "ArrowLeft" || e.key === "ArrowUp") to = items[(i - 1 + items.length) % items.length];
        else if (e.key === "Home") to = items[0];
        else if (e.key === "End") to = items[items.length - 1];
        else if (e.key === " " || e.key === "Enter") { e.preventDefault(); toggle(el); return; }
        if (to) { e.preventDefault(); move(el, to); }
      });
    });
  });
  sync();
})();
