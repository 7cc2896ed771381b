// Progressive enhancement of the wizard: every step also works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("wizard-form");
  if (!form) return;

  function checkedValue(name) {
    var el = form.querySelector('input[name="' + name + '"]:checked');
    return el ? el.value : null;
  }

  // Patient: each block of coverage fields only for the payer types it lists.
  var payer = form.querySelector("#payer_type");
  var blocks = form.querySelectorAll("[data-show-for]");
  if (payer && blocks.length) {
    var syncPayer = function () {
      Array.prototype.forEach.call(blocks, function (block) {
        var wanted = block.getAttribute("data-show-for").split(" ");
        var hasError = block.querySelector(".has-error");
        block.hidden = wanted.indexOf(payer.value) < 0 && !hasError;
        // A state the block asks for starts as the practice's own state, offered.
        if (!block.hidden) {
          Array.prototype.forEach.call(block.querySelectorAll("select[data-default]"), function (s) {
            if (!s.value && s.getAttribute("data-default")) s.value = s.getAttribute("data-default");
          });
        }
      });
    };
    payer.addEventListener("change", syncPayer);
    syncPayer();
  }

  // Session: show the length in the chosen unit and the chosen kind of plan.
  function syncMode(name, map) {
    var value = checkedValue(name);
    Object.keys(map).forEach(function (key) {
      map[key].forEach(function (el) { if (el) el.closest(".field, [data-mode]").hidden = key !== value; });
    });
  }
  if (form.dataset.step === "session") {
    var lengthFields = { minutes: [form.querySelector("#minutes")], units: [form.querySelector("#units")] };
    var planFields = {
      phases: [form.querySelector('[data-mode="phases"]')],
      visits: [form.querySelector('[data-mode="visits"]')]
    };
    var sync = function () { syncMode("session_mode", lengthFields); syncMode("plan_mode", planFields); };
    form.addEventListener("change", function (e) {
      if (e.target.name === "session_mode" || e.target.name === "plan_mode") sync();
    });
    sync();
  }

  // Rows of a list (phases, goals): those typed in and one empty row show; typing in
  // the last one shows the next, so Tab goes on to it. Without JS every row shows.
  Array.prototype.forEach.call(form.querySelectorAll("tbody[data-rows]"), function (body) {
    var rows = Array.prototype.slice.call(body.rows);
    var used = function (row) {
      return row.querySelector(".has-error") || Array.prototype.some.call(
        row.querySelectorAll("input"), function (input) { return input.value.trim() !== ""; });
    };
    var sync = function () {
      var last = -1;
      rows.forEach(function (row, i) { if (used(row)) last = i; });
      rows.forEach(function (row, i) { row.hidden = i > last + 1; });
    };
    body.addEventListener("input", sync);
    sync();
  });

  // A row of one-click choices (common plans, goal ideas) is one Tab stop, a toolbar:
  // arrow keys, Home and End move between its buttons.
  Array.prototype.forEach.call(form.querySelectorAll(".quick-picks"), function (group) {
    var chips = Array.prototype.slice.call(group.querySelectorAll("button"));
    if (chips.length < 2) return;
    group.setAttribute("role", "toolbar");
    chips.forEach(function (chip, i) { chip.tabIndex = i === 0 ? 0 : -1; });
    group.addEventListener("keydown", function (e) {
      var at = chips.indexOf(document.activeElement);
      if (at < 0) return;
      var to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1,
                 Home: 0, End: chips.length - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      to = (to + chips.length) % chips.length;
      chips[at].tabIndex = -1;
      chips[to].tabIndex = 0;
      chips[to].focus();
    });
  });

  // Details that apply only while their box is ticked (a code's coverage warning, a
  // precaution's date) show then; kept while they hold a choice or an error.
  Array.prototype.forEach.call(form.querySelectorAll("[data-shown-by]"), function (el) {
    var box = document.getElementById(el.getAttribute("data-shown-by"));
    if (!box) return;
    var sync = function () {
      var kept = el.querySelector(".has-error, [aria-invalid=true], input:checked");
      el.hidden = !box.checked && !kept;
    };
    box.addEventListener("change", sync);
    sync();
  });

  // Modality: ticking a technique ticks the CPT code it is listed under (one click
  // less; the code stays ticked when its techniques are unticked, a choice of its own).
  Array.prototype.forEach.call(form.querySelectorAll(".cpt-option"), function (option) {
    var cpt = option.querySelector('input[name="cpt"]');
    if (!cpt) return;
    option.addEventListener("change", function (e) {
      if (e.target.name === "techniques" && e.target.checked && !cpt.checked) {
        cpt.checked = true;
        cpt.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  });

  // Modality: a code's coverage warning is announced while its code is ticked.
  Array.prototype.forEach.call(form.querySelectorAll("input[data-warning]"), function (cpt) {
    var warn = document.getElementById(cpt.getAttribute("data-warning"));
    if (!warn) return;
    var syncWarn = function () { warn.classList.toggle("active", cpt.checked); warn.setAttribute("role", cpt.checked ? "alert" : "note"); };
    cpt.addEventListener("change", syncWarn);
    syncWarn();
  });
})();
