// ICD-10-CM typeahead: an ARIA 1.2 combobox over the search box. Without JavaScript
// the Search button and the result list do the same job.
(function () {
  "use strict";
  var input = document.querySelector("[data-typeahead]");
  var form = document.getElementById("wizard-form");
  if (!input || !form || !window.fetch) return;

  var endpoint = input.getAttribute("data-typeahead");
  var listbox = document.createElement("ul");
  listbox.id = "dx-typeahead";
  listbox.className = "typeahead";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "Matching ICD-10-CM codes");
  listbox.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  input.parentNode.parentNode.appendChild(listbox);
  input.parentNode.parentNode.appendChild(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);

  var active = -1;
  var results = [];
  var timer = null;
  var latest = 0;
  var pending = false; // a search is waiting for its delay or its answer

  // Closing also drops the search under way, so that a late answer cannot reopen the
  // list after Escape or after focus has left the box.
  function close() {
    clearTimeout(timer);
    latest++;
    pending = false;
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var options = listbox.querySelectorAll("[role=option]");
    options.forEach(function (el, i) { el.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(index) {
    var result = results[index];
    if (!result) return;
    var button = document.createElement("button");
    button.type = "submit";
    button.name = "action";
    button.value = "add:" + result.code;
    button.hidden = true;
    form.appendChild(button);
    button.click();
  }

  function render(query, body) {
    pending = false;
    results = body.results || [];
    listbox.textContent = "";
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "dx-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var code = document.createElement("span");
      code.className = "code";
      code.textContent = r.code;
      var title = document.createElement("span");
      title.className = "title";
      title.textContent = " " + r.description;
      li.appendChild(code);
      li.appendChild(title);
      if (r.matched && r.matched !== r.description) {
        var why = document.createElement("span");
        why.className = "matched";
        why.textContent = "matched “" + r.matched + "”";
        li.appendChild(why);
      }
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
      listbox.appendChild(li);
    });
    listbox.hidden = results.length === 0;
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
    status.textContent = results.length
      ? results.length + (results.length === 1 ? " code" : " codes") + " for " + query + ". Use the arrow keys, then Enter to add."
      : "No billable code matches " + query + ".";
    active = -1;
  }

  function search() {
    var query = input.value.trim();
    if (!query) { close(); return; }
    var ticket = ++latest;
    pending = true;
    fetch(endpoint + "?limit=10&q=" + encodeURIComponent(query), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (body) { if (ticket === latest) render(query, body); })
      .catch(function () { if (ticket === latest) close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    if (!input.value.trim()) { close(); return; }
    pending = true;
    timer = setTimeout(search, 150);
  });
  input.addEventListener("keydown", function (e) {
    var open = !listbox.hidden;
    if (e.key === "ArrowDown") {
      if (!open) { search(); return; }
      e.preventDefault();
      highlight(Math.min(active + 1, results.length - 1));
    } else if (e.key === "ArrowUp" && open) {
      e.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (e.key === "Enter" && open && active >= 0) {
      e.preventDefault();
      choose(active);
    } else if (e.key === "Escape" && (open || pending)) {
      // Keep the typed text (a search box clears itself on Escape when nothing is open).
      e.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
