// Upload sizes checked before sending: a file over its input's limit (data-max-bytes) or files
// over what may be sent at once (the body's data-max-request-bytes) are named beside the input,
// and the form is not sent, so nothing typed is lost to a refused upload. The server checks
// again: this only saves the trip.
(() => {
  const MB = 1024 * 1024;
  const locale = document.documentElement.lang === "en" ? "en-US" : "vi-VN";
  const megabytes = (bytes) =>
    (Math.ceil((bytes * 10) / MB) / 10).toLocaleString(locale, { maximumFractionDigits: 1 });

  function problemsOf(form) {
    const body = document.body.dataset;
    const found = [];
    let total = 0;
    form.querySelectorAll("input[type=file]").forEach((input) => {
      const max = Number(input.dataset.maxBytes) || Infinity;
      Array.from(input.files || []).forEach((file) => {
        total += file.size;
        if (file.size > max) {
          found.push({
            input,
            text: body.uploadTooLarge.replace("{name}", file.name).replace("{size}", megabytes(file.size)),
          });
        }
      });
    });
    const limit = Number(body.maxRequestBytes) || Infinity;
    if (!found.length && total > limit) {
      const input = form.querySelector("input[type=file]");
      found.push({ input, text: body.uploadTooMuch.replace("{size}", megabytes(total)) });
    }
    return found;
  }

  function show(form, problems) {
    form.querySelectorAll("[data-upload-problem]").forEach((node) => node.remove());
    problems.forEach(({ input, text }) => {
      const note = document.createElement("p");
      note.className = "error-text";
      note.dataset.uploadProblem = "";
      note.setAttribute("role", "alert");
      note.textContent = text;
      (input.closest(".file-chooser") || input).after(note);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form").forEach((form) => {
      if (!form.querySelector("input[type=file]")) return;
      form.addEventListener("change", (event) => {
        if (event.target.matches("input[type=file]")) show(form, problemsOf(form));
      });
      form.addEventListener("submit", (event) => {
        const problems = problemsOf(form);
        show(form, problems);
        if (problems.length) {
          event.preventDefault();
          event.stopImmediatePropagation();
          problems[0].input.focus();
        }
      });
    });
    // The 413 page: the browser's own Back keeps what was typed in the form.
    document.querySelectorAll("[data-history-back]").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => window.history.back());
    });
  });
})();
