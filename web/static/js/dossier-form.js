// Nomination form: offer only the awards that fit the chosen nominee kind (the server checks too).
document.addEventListener("DOMContentLoaded", () => {
  const award = document.getElementById("award_type_id");
  const kinds = document.querySelectorAll("input[data-nominee-kind]");
  if (!award || !kinds.length) return;
  const apply = () => {
    const chosen = document.querySelector("input[data-nominee-kind]:checked");
    if (!chosen) return;
    award.querySelectorAll("option[data-kind]").forEach((option) => {
      const fits = option.dataset.kind === chosen.value;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) award.value = "";
    });
    award.querySelectorAll("optgroup").forEach((group) => {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
    // Show the register choice that fits: a person, or the unit or one of its groups.
    document.querySelectorAll("[data-nominee]").forEach((part) => {
      part.hidden = part.dataset.nominee !== chosen.value;
    });
  };
  kinds.forEach((input) => input.addEventListener("change", apply));
  apply();
});

// The draft's checklist beside the form (#form-checklist): drawn again by the server from what
// the form holds now, as the person types, chooses and attaches (nothing is saved by it), and
// the file slots of the documents the chosen award asks for shown. A slot holding a chosen file
// stays shown whatever the award.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("form-checklist");
  const form = document.getElementById("dossier-form");
  if (!panel || !form) return;
  const slots = () => form.querySelectorAll("[data-slot]");
  const showSlots = () => {
    const root = panel.querySelector("[data-checklist]");
    if (!root) return;
    const wanted = new Set(root.dataset.slots.split(" ").filter(Boolean));
    slots().forEach((slot) => {
      const input = slot.querySelector("input[type=file]");
      const holds = input && input.files && input.files.length > 0;
      slot.hidden = !(wanted.has(slot.dataset.slot) || holds);
    });
  };
  const query = () => {
    const params = new URLSearchParams();
    new FormData(form).forEach((value, name) => {
      if (value instanceof File || name === "csrf_token") return;
      // Only whether a text is empty matters to the checklist: a short start of it is enough.
      params.append(name, String(value).trim().slice(0, 40));
    });
    slots().forEach((slot) => {
      const input = slot.querySelector("input[type=file]");
      Array.from((input && input.files) || []).forEach(() => params.append("chosen", slot.dataset.slot));
    });
    if (panel.dataset.dossierId) params.set("dossier_id", panel.dataset.dossierId);
    return params;
  };
  let timer = null;
  let asked = 0;
  const refresh = () => {
    const ticket = ++asked;
    fetch(`${panel.dataset.checklistUrl}?${query()}`, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : null))
      .then((html) => {
        if (html === null || ticket !== asked) return; // a later answer is on its way
        panel.innerHTML = html;
        showSlots();
      })
      .catch(() => {}); // offline: the checklist stays as it was; saving still checks
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  // Controls of the form drawn outside it (a saved file's type, beside the file).
  document.querySelectorAll('[form="dossier-form"]').forEach((control) => {
    control.addEventListener("change", later);
  });
});
