// Session step: refresh units, visits and dates as the physician types. The server
// computes them (the one 8-minute rule and plan arithmetic); nothing is saved.
(function () {
  "use strict";
  var form = document.getElementById("wizard-form");
  var box = document.getElementById("plan-summary");
  if (!form || !box || !window.fetch || !window.FormData) return;
  var url = box.getAttribute("data-summary-url");
  var timer = null;
  var latest = 0;
  function refresh() {
    var ticket = ++latest;
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        // The server renders the summary with every value escaped.
        if (html !== null && ticket === latest) box.innerHTML = html;
      })
      .catch(function () {});
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 50);
  });

  function set(el, value) {
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // A common plan fills the phase rows (and empties the rest); the summary follows.
  var planPicks = document.getElementById("plan-picks");
  if (planPicks) {
    planPicks.hidden = false;
    planPicks.addEventListener("click", function (e) {
      var chip = e.target.closest("[data-phases]");
      if (!chip) return;
      var phases = JSON.parse(chip.getAttribute("data-phases"));
      var mode = form.querySelector('input[name="plan_mode"][value="phases"]');
      if (mode && !mode.checked) { mode.checked = true; mode.dispatchEvent(new Event("change", { bubbles: true })); }
      for (var row = 0; form.querySelector("#phases-" + row + "-per_week"); row++) {
        var phase = phases[row] || ["", ""];
        set(form.querySelector("#phases-" + row + "-per_week"), phase[0]);
        set(form.querySelector("#phases-" + row + "-weeks"), phase[1]);
      }
    });
  }

  // A goal idea fills the first empty goal row; the cursor goes to its baseline.
  var goalPicks = document.getElementById("goal-picks");
  if (goalPicks) {
    goalPicks.hidden = false;
    var said = document.getElementById("goal-picks-status");
    goalPicks.addEventListener("click", function (e) {
      var chip = e.target.closest("[data-goal]");
      if (!chip) return;
      for (var row = 0; form.querySelector("#goals-" + row + "-function"); row++) {
        var box = form.querySelector("#goals-" + row + "-function");
        if (!box.value.trim()) {
          set(box, chip.getAttribute("data-goal"));
          form.querySelector("#goals-" + row + "-baseline").focus();
          said.textContent = "Goal " + (row + 1) + ": " + box.value + ". Type the baseline.";
          return;
        }
      }
      said.textContent = "Every goal row is filled: empty one first.";
    });
  }
})();
