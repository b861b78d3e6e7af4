// Live progress for long work: a campaign send, a reply being read, a release being built.
// Each element with data-progress-url polls that JSON endpoint until it answers done: true.
// Without this script the page shows the same state as rendered, with a refresh link.
//
// Inside the element:
//   [data-progress-text]        gets data.message (a role="status" region: read out politely)
//   [data-progress-bar]         a <progress>; data-progress-value / data-progress-max name the
//                               fields for value and max (without them it stays indeterminate)
//   [data-progress-field=NAME]  gets data[NAME]
//   [data-progress-badge]       gets data.label, and the class "badge badge-" + data.state
//   [data-progress-running]     shown until done (the refresh link); [data-progress-finished] after
// When done, data.redirect (if any) is followed.
(function () {
  "use strict";
  if (!window.fetch) return;
  var FIRST = 1500, LONGEST = 10000, GIVE_UP_AFTER = 3;

  function each(root, selector, fn) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }

  function setText(node, text) {
    if (text !== undefined && text !== null && node.textContent !== String(text)) {
      node.textContent = String(text);
    }
  }

  function show(root, data) {
    root.setAttribute("data-progress-state", data.state || "");
    each(root, "[data-progress-text]", function (node) { setText(node, data.message); });
    each(root, "[data-progress-field]", function (node) {
      setText(node, data[node.getAttribute("data-progress-field")]);
    });
    each(root, "[data-progress-badge]", function (node) {
      setText(node, data.label);
      node.className = "badge badge-" + data.state;
    });
    each(root, "[data-progress-bar]", function (bar) {
      var value = bar.getAttribute("data-progress-value");
      var max = bar.getAttribute("data-progress-max");
      if (value && max && typeof data[value] === "number") {
        bar.max = Math.max(1, data[max] || 0);
        bar.value = data[value];
        setText(bar, data[value] + " of " + data[max]);
      } else if (data.done) {
        bar.max = 1;
        bar.value = 1;
      }
    });
    each(root, "[data-progress-running]", function (node) { node.hidden = !!data.done; });
    each(root, "[data-progress-finished]", function (node) { node.hidden = !data.done; });
  }

  function follow(root) {
    var url = root.getAttribute("data-progress-url");
    var wait = FIRST, failures = 0;

    function fail() {
      failures += 1;
      if (failures >= GIVE_UP_AFTER) {
        each(root, "[data-progress-text]", function (node) {
          setText(node, "The progress could not be checked: refresh the page to see it.");
        });
        return;
      }
      later();
    }

    function later() {
      window.setTimeout(poll, document.hidden ? LONGEST : wait);
      wait = Math.min(LONGEST, Math.round(wait * 1.25));
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.status >= 400 && response.status < 500) {
            failures = GIVE_UP_AFTER - 1;  // not allowed or gone: asking again will not help
            throw new Error(String(response.status));
          }
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          show(root, data);
          if (!data.done) return later();
          root.setAttribute("data-progress-done", "true");
          if (data.redirect) window.location.assign(data.redirect);
        })
        .catch(fail);
    }

    later();
  }

  each(document, "[data-progress-url]", function (root) {
    if (root.getAttribute("data-progress-done") !== "true") follow(root);
  });
})();
