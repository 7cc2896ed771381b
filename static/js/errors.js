// The error summary (GOV.UK pattern): focused on load so it is read out; its links move
// focus to their input, scrolled into view with its label. Without JS the links still
// jump to the input and the summary is first on the page.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) return;
  if (document.activeElement !== summary && !window.location.hash) summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var input = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    event.preventDefault();
    var box = input.closest(".field, fieldset, li, td") || input;
    box.scrollIntoView({ block: "center" });
    input.focus({ preventScroll: true });
  });
})();
