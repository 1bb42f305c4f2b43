// A live count under every limited text field (textarea or input with data-limit): the limit is
// shown, never enforced by cutting what was typed or pasted; the server refuses a longer text
// and keeps it. Counts characters as the server does (code points, NFC, a line break as one).
(() => {
  const locale = document.documentElement.lang === "en" ? "en-US" : "vi-VN";
  const number = (n) => n.toLocaleString(locale);
  const length = (text) => Array.from(text.normalize("NFC")).length;

  function update(field, counter) {
    const limit = Number(field.dataset.limit);
    const n = length(field.value);
    const over = n > limit;
    const wording = over ? counter.dataset.over : counter.dataset.ok;
    counter.textContent = wording
      .replace("{n}", number(n))
      .replace("{limit}", number(limit))
      .replace("{over}", number(n - limit));
    counter.classList.toggle("over", over);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-limit]").forEach((field) => {
      const counter = document.getElementById(`${field.id}-count`);
      if (!counter) return;
      field.addEventListener("input", () => update(field, counter));
      update(field, counter);
    });
  });
})();
