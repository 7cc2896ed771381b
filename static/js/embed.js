// Tell the framing intranet page that a prescription was finalized, to allowed origins only.
(function () {
  "use strict";
  var holder = document.getElementById("rx-message");
  if (!holder || window.parent === window) return;
  var message = JSON.parse(holder.getAttribute("data-message"));
  var origins = JSON.parse(holder.getAttribute("data-origins") || "[]");
  origins.forEach(function (origin) {
    // postMessage drops the message unless the parent really is at this origin.
    window.parent.postMessage(message, origin);
  });
})();
