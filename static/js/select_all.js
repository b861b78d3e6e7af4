// A "select all" tick box (data-select-all="NAME") ticks or clears every box named NAME
// in its form, and shows as mixed when only some are ticked.
document.querySelectorAll("[data-select-all]").forEach((all) => {
  const boxes = () => all.form.querySelectorAll(`input[type="checkbox"][name="${all.dataset.selectAll}"]`);
  all.addEventListener("change", () => {
    boxes().forEach((box) => { box.checked = all.checked; });
  });
  all.form.addEventListener("change", (event) => {
    if (event.target === all) return;
    const ticked = [...boxes()].filter((box) => box.checked).length;
    all.checked = ticked > 0 && ticked === boxes().length;
    all.indeterminate = ticked > 0 && ticked < boxes().length;
  });
});
