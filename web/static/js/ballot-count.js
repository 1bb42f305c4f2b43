// The live count of a list ballot ("x/y thành viên đã bỏ phiếu"): every element with
// data-count-url asks the server for counts only (never who chose what) every few seconds,
// so the secretary and the members see it move without reloading. Stops once the list closes.
(function () {
  "use strict";
  const PERIOD_MS = 4000;

  function watch(el) {
    const tick = () => {
      fetch(el.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null))
        .then((data) => {
          if (!data) return;
          el.textContent = data.text;
          el.dataset.voted = String(data.voted);
          if (data.open) window.setTimeout(tick, PERIOD_MS);
        })
        .catch(() => window.setTimeout(tick, PERIOD_MS * 2));
    };
    window.setTimeout(tick, PERIOD_MS);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-count-url]").forEach(watch);
  });
})();
