// Conveniences for the mapping screen and the data-entry grid.
// Both pages work without this file: every control is a plain form field.
(function () {
  "use strict";

  // Choosing another table (or axis) shows it at once.
  var chooser = document.getElementById("choose-table-form");
  if (chooser) {
    chooser.addEventListener("change", function (event) {
      if (event.target && event.target.type === "radio") chooser.submit();
    });
  }

  // Heading rows and the label column are shaded as they are marked.
  var grid = document.querySelector(".mapping-grid");
  if (grid) {
    grid.addEventListener("change", function (event) {
      var input = event.target;
      if (input.name === "header_row") {
        var row = input.closest("tr");
        if (row) row.classList.toggle("is-header", input.checked);
      } else if (input.name === "label_column") {
        var index = Array.prototype.indexOf.call(grid.querySelectorAll("input[name=label_column]"), input);
        grid.querySelectorAll(".is-label").forEach(function (cell) { cell.classList.remove("is-label"); });
        grid.querySelectorAll("tr").forEach(function (tr) {
          // columns start after the three control columns (row, heading?, line control)
          var cell = tr.children[index + 3];
          if (cell) cell.classList.add("is-label");
        });
      } else if ((input.classList.contains("map-category") && input.value !== "skip") ||
                 (input.classList.contains("map-period") && input.value !== "")) {
        // a choice from the list replaces what was typed
        var other = document.getElementById(input.id + "-other");
        if (other) other.value = "";
      }
    });
  }

  // After a failed submission, the summary of what to correct gets the focus.
  var summary = document.getElementById("mapping-errors") || document.getElementById("grid-errors");
  if (summary) summary.focus();
})();
