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
