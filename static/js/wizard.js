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

  // Modality: a code's coverage warning stands out while that code is ticked.
  Array.prototype.forEach.call(form.querySelectorAll("input[data-warning]"), function (cpt) {
    var warn = document.getElementById(cpt.getAttribute("data-warning"));
    if (!warn) return;
    var syncWarn = function () { warn.classList.toggle("active", cpt.checked); warn.setAttribute("role", cpt.checked ? "alert" : "note"); };
    cpt.addEventListener("change", syncWarn);
    syncWarn();
  });
})();
