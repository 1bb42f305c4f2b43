// File choosers in the page's language: the browser draws its own button and "no file" text
// in the browser's language ("Choose Files", "No file chosen"), so each file input marked
// data-choose gets a button and a line naming the chosen files, worded by the page. The input
// itself stays (hidden from sight, not from the keyboard): without this script the browser's
// own control shows, and works.
(() => {
  function namesOf(input) {
    const files = Array.from(input.files || []);
    if (!files.length) return input.dataset.none;
    const names = files.map((file) => file.name).join(", ");
    return files.length === 1 ? names : `${input.dataset.many.replace("{n}", files.length)}: ${names}`;
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[type=file][data-choose]").forEach((input) => {
      const box = document.createElement("span");
      box.className = "file-chooser";
      const button = document.createElement("label");
      button.className = "button secondary file-chooser-button";
      button.htmlFor = input.id;
      button.textContent = input.dataset.choose;
      const names = document.createElement("span");
      names.className = "file-chooser-names";
      names.setAttribute("aria-live", "polite");
      names.textContent = namesOf(input);
      input.before(box);
      box.append(input, button, names);
      input.classList.add("file-chooser-input");
      input.addEventListener("change", () => {
        names.textContent = namesOf(input);
      });
    });
  });
})();
