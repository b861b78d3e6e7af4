// Live preview of a campaign's request text for the chosen force.
// The page works without this: the Preview button renders the same text on the server.
(function () {
  "use strict";
  var form = document.getElementById("campaign-form");
  if (!form || !window.fetch) return;
  var url = form.getAttribute("data-preview-url");
  var text = document.getElementById("preview-text");
  var error = document.getElementById("preview-error");
  var names = ["title", "slug", "periods", "description", "template", "preview_force"];
  var timer = null;

  function refresh() {
    var params = new URLSearchParams();
    names.forEach(function (name) {
      var field = form.elements[name];
      if (field) params.set(name, field.value);
    });
    fetch(url + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        error.textContent = data.error || "";
        if (data.text) text.textContent = data.text;
      })
      .catch(function () { /* keep the last preview; the button still works */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  }

  names.forEach(function (name) {
    var field = form.elements[name];
    if (field) {
      field.addEventListener("input", later);
      field.addEventListener("change", later);
    }
  });
  refresh();
})();
