// Tell the framing intranet page that a prescription was finalized, to allowed origins only.
(function () {
  "use strict";
  var holder = document.getElementById("rx-message");
  if (!holder || window.parent === window) return;
  var message = JSON.parse(holder.getAttribute("data-message"));
  var origins = JSON.parse(holder.getAttribute("data-origins") || "[]");
  // Chromium and Safari name the parent's origin: post there only if it is allowed.
  var ancestors = window.location.ancestorOrigins;
  if (ancestors && ancestors.length) {
    if (origins.indexOf(ancestors[0]) >= 0) window.parent.postMessage(message, ancestors[0]);
    return;
  }
  // Elsewhere postMessage drops the message unless the parent really is at that origin.
  origins.forEach(function (origin) { window.parent.postMessage(message, origin); });
})();
