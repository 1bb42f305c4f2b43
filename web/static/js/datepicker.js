// A small calendar next to every date field (input[data-datepicker]): the field stays a text
// field typed dd/mm/yyyy, whatever the browser's language; the calendar only fills it in.
(() => {
  const EN = document.documentElement.lang === "en";
  const WORDS = EN
    ? { open: "Choose a date", prev: "Previous month", next: "Next month", month: "Month" }
    : { open: "Chọn ngày", prev: "Tháng trước", next: "Tháng sau", month: "Tháng" };
  const DAYS = EN ? ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"] : ["T2", "T3", "T4", "T5", "T6", "T7", "CN"];
  const pad = (n) => String(n).padStart(2, "0");

  function parse(text) {
    const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text.trim());
    const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
    const [d, m, y] = dmy ? [dmy[1], dmy[2], dmy[3]] : iso ? [iso[3], iso[2], iso[1]] : [];
    const day = d && new Date(Number(y), Number(m) - 1, Number(d));
    return day && day.getDate() === Number(d) ? day : null;
  }

  function draw(box, input, shown) {
    box.replaceChildren();
    const head = document.createElement("div");
    head.className = "datepicker-head";
    const button = (text, label, onClick) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      if (label) b.setAttribute("aria-label", label);
      b.addEventListener("click", onClick);
      return b;
    };
    const move = (step) => () => draw(box, input, new Date(shown.getFullYear(), shown.getMonth() + step, 1));
    const title = document.createElement("span");
    title.textContent = `${WORDS.month} ${shown.getMonth() + 1}/${shown.getFullYear()}`;
    head.append(button("‹", WORDS.prev, move(-1)), title, button("›", WORDS.next, move(1)));
    const grid = document.createElement("div");
    grid.className = "datepicker-grid";
    DAYS.forEach((name) => {
      const cell = document.createElement("span");
      cell.textContent = name;
      grid.append(cell);
    });
    const first = (new Date(shown.getFullYear(), shown.getMonth(), 1).getDay() + 6) % 7;
    for (let i = 0; i < first; i += 1) grid.append(document.createElement("span"));
    const last = new Date(shown.getFullYear(), shown.getMonth() + 1, 0).getDate();
    for (let d = 1; d <= last; d += 1) {
      const text = `${pad(d)}/${pad(shown.getMonth() + 1)}/${shown.getFullYear()}`;
      const cell = button(String(d), text, () => {
        input.value = text;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        box.hidden = true;
        input.focus();
      });
      if (input.value.trim() === text) cell.classList.add("chosen");
      grid.append(cell);
    }
    box.append(head, grid);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[data-datepicker]").forEach((input) => {
      const open = document.createElement("button");
      open.type = "button";
      open.className = "datepicker-open";
      open.textContent = "📅";
      open.setAttribute("aria-label", WORDS.open);
      const box = document.createElement("div");
      box.className = "datepicker";
      box.hidden = true;
      input.after(open, box);
      open.addEventListener("click", () => {
        const day = parse(input.value) || new Date();
        draw(box, input, new Date(day.getFullYear(), day.getMonth(), 1));
        box.hidden = !box.hidden;
      });
      box.addEventListener("keydown", (event) => {
        if (event.key === "Escape") {
          box.hidden = true;
          open.focus();
        }
      });
    });
  });
})();
