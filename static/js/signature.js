// Progressive enhancement of the profile's signature image: a pad to draw on with a
// mouse, a finger or a stylus (Pointer Events). Without this file the upload works.
(function () {
  "use strict";
  var form = document.querySelector("[data-signature-form]");
  if (!form) return;
  var pad = form.querySelector("[data-signature-pad]");
  var canvas = pad && pad.querySelector("canvas");
  var drawing = form.querySelector('input[name="drawing"]');
  var file = form.querySelector('input[type="file"]');
  if (!canvas || !drawing || !canvas.getContext || !window.PointerEvent) return;
  var ctx = canvas.getContext("2d");
  var last = null;
  var inked = false;
  pad.hidden = false;

  function point(e) {
    var box = canvas.getBoundingClientRect();
    return {
      x: (e.clientX - box.left) * canvas.width / box.width,
      y: (e.clientY - box.top) * canvas.height / box.height,
      // A mouse reports no pressure (0.5 while pressed); a stylus varies it.
      w: 1.5 + 3 * (e.pressure || 0.5)
    };
  }

  function segment(from, to) {
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#000";
    ctx.lineWidth = (from.w + to.w) / 2;
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  }

  function clear() {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    drawing.value = "";
    inked = false;
  }

  canvas.addEventListener("pointerdown", function (e) {
    if (e.button !== 0) return;
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    last = point(e);
    segment(last, { x: last.x + 0.01, y: last.y, w: last.w });
    inked = true;
    // One picture at a time: a drawing replaces a chosen file.
    if (file) file.value = "";
  });
  canvas.addEventListener("pointermove", function (e) {
    if (!last) return;
    var events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    if (!events.length) events = [e];
    events.forEach(function (each) {
      var next = point(each);
      segment(last, next);
      last = next;
    });
  });
  function stop() {
    if (!last) return;
    last = null;
    if (inked) drawing.value = canvas.toDataURL("image/png");
  }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  canvas.addEventListener("lostpointercapture", stop);

  pad.querySelector("[data-signature-clear]").addEventListener("click", clear);
  if (file) file.addEventListener("change", function () { if (file.value) clear(); });
})();
