// The event form shows only the fields of the chosen kind of event: a field marked
// data-kinds="sent response" is hidden (and its inputs disabled, so not sent) otherwise.
document.querySelectorAll("[data-event-form]").forEach((form) => {
  const kind = form.querySelector('select[name="kind"]');
  if (!kind) return;
  const show = () => {
    form.querySelectorAll("[data-kinds]").forEach((row) => {
      const used = row.dataset.kinds.split(" ").includes(kind.value);
      row.hidden = !used;
      row.querySelectorAll("input, select, textarea").forEach((input) => { input.disabled = !used; });
    });
  };
  kind.addEventListener("change", show);
  show();
});
