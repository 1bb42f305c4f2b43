// While a confirmed import is written, say so and keep the button from being pressed twice.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-busy]").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("button[type=submit]").forEach((button) => { button.disabled = true; });
      const busy = form.querySelector("[data-busy-text]");
      if (busy) busy.hidden = false;
      form.setAttribute("aria-busy", "true");
    });
  });
});
