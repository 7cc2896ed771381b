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
})();
