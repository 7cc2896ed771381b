// The diagnoses step in place. One box takes words or a code: an ARIA 1.2 combobox
// (WAI-ARIA APG, list autocomplete with automatic selection) over the ICD-10-CM search;
// Enter adds the highlighted code. Adding, moving and removing post the same form with
// an X-Rx-Fragment header; the server validates, saves and answers the changed parts,
// rendered by the same template macros, which are swapped in. Without JavaScript the
// Search and Add buttons post the whole page as before.
(function () {
  "use strict";
  var input = document.querySelector("[data-typeahead]");
  var form = document.getElementById("wizard-form");
  if (!input || !form || !window.fetch || !window.DOMParser) return;

  var endpoint = input.getAttribute("data-typeahead");
  var message = document.getElementById("dx-message");
  var codeField = document.querySelector(".dx-code-field");
  // The one box adds typed codes too: the separate code box is for pages without JS.
  if (codeField && !codeField.classList.contains("has-error")) codeField.hidden = true;

  var listbox = document.createElement("div");
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
  var codes = []; // the codes of the options shown, in order
  var timer = null;
  var latest = 0;
  var pending = false; // a search is waiting for its delay or its answer
  var enterWanted = false; // Enter was pressed before the answer came
  var queue = Promise.resolve(); // changes are posted one after another

  // Closing also drops the search under way, so that a late answer cannot reopen the
  // list after Escape or after focus has left the box.
  function close() {
    clearTimeout(timer);
    latest++;
    pending = false;
    enterWanted = false;
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

  function option(entry) {
    var el = document.createElement("div");
    el.id = "dx-option-" + codes.length;
    el.setAttribute("role", "option");
    el.setAttribute("aria-selected", "false");
    var code = document.createElement("span");
    code.className = "code";
    code.textContent = entry.code;
    var title = document.createElement("span");
    title.className = "title";
    title.textContent = " " + entry.title;
    el.appendChild(code);
    el.appendChild(title);
    if (entry.matched && entry.matched !== entry.title) {
      var why = document.createElement("span");
      why.className = "matched";
      why.textContent = "matched “" + entry.matched + "”";
      el.appendChild(why);
    }
    var index = codes.length;
    el.addEventListener("mousedown", function (e) { e.preventDefault(); add(codes[index]); });
    codes.push(entry.code);
    return el;
  }

  // groups: [{label, entries: [{code, title, matched}]}]; a group without a label
  // puts its options straight in the listbox.
  function show(groups, first) {
    listbox.textContent = "";
    codes = [];
    groups.forEach(function (group, g) {
      if (!group.entries.length) return;
      var parent = listbox;
      if (group.label) {
        parent = document.createElement("div");
        parent.setAttribute("role", "group");
        var label = document.createElement("div");
        label.className = "group-label";
        label.id = "dx-group-" + g;
        label.textContent = group.label;
        parent.setAttribute("aria-labelledby", label.id);
        parent.appendChild(label);
        listbox.appendChild(parent);
      }
      group.entries.forEach(function (entry) { parent.appendChild(option(entry)); });
    });
    listbox.hidden = codes.length === 0;
    input.setAttribute("aria-expanded", codes.length ? "true" : "false");
    highlight(codes.length && first ? 0 : -1);
  }

  function showPicks() {
    var picks = document.getElementById("dx-picks");
    var groups = picks ? JSON.parse(picks.getAttribute("data-picks") || "[]") : [];
    listbox.setAttribute("aria-label", "Suggested ICD-10-CM codes");
    show(groups, false);
    if (codes.length) status.textContent = "Suggested codes: use the arrow keys, then Enter to add.";
  }

  function render(query, body) {
    pending = false;
    var results = (body.results || []).map(function (r) {
      return { code: r.code, title: r.description, matched: r.matched };
    });
    if (enterWanted) {
      enterWanted = false;
      close();
      if (results.length) add(results[0].code); else addTyped(query);
      return;
    }
    listbox.setAttribute("aria-label", "Matching ICD-10-CM codes");
    show([{ label: "", entries: results }], true);
    status.textContent = results.length
      ? results.length + (results.length === 1 ? " code" : " codes") + " for " + query + ". The first is highlighted: Enter adds it, the arrow keys choose another."
      : "No billable code matches " + query + ". Enter checks it as a code.";
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

  // --- Changes in place -------------------------------------------------------------

  function add(code) {
    var typed = input.value;
    input.value = "";
    close();
    change({ action: "add:" + code }, input, typed);
  }

  function addTyped(text) {
    close();
    change({ action: "add", code: text }, input, text);
  }

  // Post one change; swap in the parts the server re-rendered. refocus: the element to
  // focus after (a function of the new page for a moved row).
  function change(fields, refocus, typed) {
    queue = queue.then(function () {
      var data = new FormData(form);
      Object.keys(fields).forEach(function (name) { data.set(name, fields[name]); });
      // The attribute: form.action is shadowed by the buttons named "action".
      return fetch(form.getAttribute("action"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Rx-Fragment": "diagnoses" }
      }).then(function (response) {
        return response.text().then(function (html) { swap(response, html, fields, refocus, typed); });
      }).catch(function () { say("Not saved: the connection failed. Try again.", true); });
    });
  }

  function swap(response, html, fields, refocus, typed) {
    var parts = new DOMParser().parseFromString(html, "text/html");
    var chosen = parts.getElementById("dx-chosen");
    if (!chosen) {
      // Not a fragment (the form expired, the session ended): post the page plainly.
      return submitPlainly(fields);
    }
    ["dx-chosen", "dx-picks"].forEach(function (id) {
      var old = document.getElementById(id);
      var fresh = parts.getElementById(id);
      if (old && fresh) old.replaceWith(document.adoptNode(fresh));
    });
    var body = parts.getElementById("dx-message-body");
    message.textContent = "";
    if (!response.ok && body) {
      if (typed && !input.value) input.value = typed; // nothing typed is lost
      message.appendChild(document.adoptNode(body));
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", "q-hint dx-message");
    } else {
      input.removeAttribute("aria-invalid");
      input.setAttribute("aria-describedby", "q-hint");
      say(done(fields.action));
    }
    var target = typeof refocus === "function" ? refocus() : refocus;
    (target || input).focus();
  }

  function done(action) {
    var count = document.querySelector("#dx-chosen .count");
    var verb = action.split(":")[0];
    var words = { add: "Added.", remove: "Removed.", up: "Moved up.", down: "Moved down.", replace: "Replaced." };
    return (words[verb] || "Saved.") + (count ? " " + count.textContent + " diagnoses." : "");
  }

  function say(text, isError) {
    if (isError) { message.textContent = text; return; }
    status.textContent = text;
  }

  function submitPlainly(fields) {
    var button = document.createElement("button");
    button.type = "submit";
    button.hidden = true;
    button.name = "action";
    button.value = fields.action;
    button.setAttribute("data-plain", "");
    if (fields.code !== undefined) {
      var code = document.createElement("input");
      code.type = "hidden";
      code.name = "code";
      code.value = fields.code;
      form.appendChild(code);
    }
    form.appendChild(button);
    button.click();
  }

  // Where focus goes after a row's button: the same button of the moved row, else
  // another of its buttons, else the next row's, else the box.
  function rowFocus(action) {
    var parts = action.split(":");
    var verb = parts[0];
    var i = parseInt(parts[1], 10);
    var row = { up: i - 1, down: i + 1 }[verb];
    return function () {
      var rows = document.querySelectorAll("#chosen-codes > li");
      var li = rows[row === undefined ? Math.min(i, rows.length - 1) : row];
      if (!li) return input;
      return li.querySelector('button[value^="' + verb + ':"]') ||
        li.querySelector(".row-actions button");
    };
  }

  // The page's own buttons (Add, ↑, ↓, Remove, Use …) change the list in place too.
  form.addEventListener("submit", function (e) {
    var button = e.submitter;
    if (!button || button.name !== "action" || button.value === "search") return;
    if (button.hasAttribute("data-plain")) return; // the fallback: a whole-page post
    e.preventDefault();
    var action = button.value;
    var refocus = /^(up|down|remove):/.test(action) ? rowFocus(action) : input;
    change({ action: action }, refocus);
  });

  // --- The combobox -----------------------------------------------------------------

  input.addEventListener("input", function () {
    clearTimeout(timer);
    input.removeAttribute("aria-invalid");
    if (!input.value.trim()) { close(); showPicks(); return; }
    pending = true;
    timer = setTimeout(search, 150);
  });
  input.addEventListener("focus", function () {
    if (!input.value.trim() && listbox.hidden) showPicks();
  });
  input.addEventListener("keydown", function (e) {
    var open = !listbox.hidden;
    var text = input.value.trim();
    if (e.key === "ArrowDown") {
      e.preventDefault();
      // Closed: open it; the first suggestion is highlighted (APG combobox).
      if (!open) { if (text) search(); else { showPicks(); highlight(codes.length ? 0 : -1); } return; }
      highlight(Math.min(active + 1, codes.length - 1));
    } else if (e.key === "ArrowUp" && open) {
      e.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (e.key === "Enter") {
      // Enter never posts the whole page from this box: it adds, or waits to add.
      e.preventDefault();
      if (open && active >= 0) add(codes[active]);
      else if (text && pending) enterWanted = true;
      else if (text) addTyped(text);
    } else if (e.key === "Escape" && (open || pending)) {
      // Keep the typed text (a search box clears itself on Escape when nothing is open).
      e.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(function () {
    if (document.activeElement !== input) close();
  }, 100); });
})();
