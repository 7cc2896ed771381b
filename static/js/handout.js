// The handout's Print and Copy buttons: shown only when this script can run them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var status = document.querySelector(".copy-status");
  var print = document.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
  var copy = document.querySelector("[data-copy]");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(copy.getAttribute("data-copy")).then(
        function () { status.textContent = "Link copied."; },
        function () { status.textContent = "Could not copy: select the address and copy it."; }
      );
    });
  }
  var manual = document.querySelector(".no-js-only");
  if (manual && print) manual.hidden = true;
})();
