// Small progressive enhancements; every page works without this file.
// Marks the page as scripted, so the phone layout may fold the menu behind its button.
document.documentElement.classList.add("js");

// Each cell of a table learns its column's header, shown as its label when a narrow screen
// draws the rows as cards.
function labelCells(table) {
  const headers = Array.from(table.querySelectorAll("thead th"), (th) => th.textContent.trim());
  if (!headers.length) return;
  table.querySelectorAll("tbody tr").forEach((row) => {
    Array.from(row.children).forEach((cell, i) => {
      if (row.children.length === headers.length) cell.dataset.label = headers[i] || "";
    });
  });
  table.classList.add("as-cards");
}

document.addEventListener("DOMContentLoaded", () => {
  // Ask before actions marked data-confirm (withdraw, reject, publish).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // The phone menu: one button opens and closes the menu and the header's tools.
  document.querySelectorAll("[data-menu-toggle]").forEach((button) => {
    const header = button.closest(".site-header");
    button.addEventListener("click", () => {
      const open = header.classList.toggle("menu-open");
      button.setAttribute("aria-expanded", String(open));
    });
  });
  document.querySelectorAll(".table-wrap > table").forEach(labelCells);
  // Print buttons.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});

// "Select all on this page": a header checkbox ticks or clears the rows' checkboxes it names.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-select-all]").forEach((box) => {
    const form = box.closest("form");
    const rows = () => form.querySelectorAll(`input[type=checkbox][name="${box.dataset.selectAll}"]`);
    box.addEventListener("change", () => rows().forEach((row) => { row.checked = box.checked; }));
  });
});
