// The jobs page refreshes its rows in place every two seconds while a job is unfinished,
// so a progress bar moves without reloading the page (and without losing the scroll).
(function () {
  "use strict";
  var table = document.querySelector("table[data-job-rows]");
  if (!table) return;
  var url = table.getAttribute("data-job-rows");
  var idle = 0;

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("table");
        holder.innerHTML = html;
        var rows = holder.querySelector("tbody");
        var current = table.querySelector("tbody");
        if (rows && current) table.replaceChild(rows, current);
        // Keep watching a while after the last job ends: a new one may be on its way.
        idle = rows && rows.getAttribute("data-unfinished") !== "0" ? 0 : idle + 1;
      })
      .catch(function () { idle += 1; })
      .then(function () { if (idle < 30) window.setTimeout(refresh, 2000); });
  }
  window.setTimeout(refresh, 2000);
})();
