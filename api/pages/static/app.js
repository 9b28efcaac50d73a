// carefit's pages work without this script; it adds what HTML cannot:
// times in the viewer's time zone, factor bars sized from their data, and
// live progress of active rematch runs.
(function () {
  "use strict";

  function localTimes(root) {
    var fmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
    root.querySelectorAll("time[datetime]").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) { t.textContent = fmt.format(d); }
    });
  }

  function bars(root) {
    root.querySelectorAll(".fill[data-fit]").forEach(function (f) {
      var v = Math.max(0, Math.min(100, parseInt(f.getAttribute("data-fit"), 10) || 0));
      f.style.width = v + "%";
    });
  }

  function setField(card, name, text) {
    var el = card.querySelector('[data-field="' + name + '"]');
    if (el) { el.textContent = text; }
  }

  function followRun(card) {
    var id = card.getAttribute("data-run");
    var bar = card.querySelector("progress");
    function poll() {
      fetch("/runs/" + encodeURIComponent(id) + "/progress", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (run) {
          bar.value = run.Percent;
          setField(card, "percent", run.Percent + " %");
          setField(card, "status", run.Status);
          setField(card, "shards", run.ShardsDone + " of " + run.Shards);
          setField(card, "pairs", run.Pairs);
          setField(card, "elapsed", run.Elapsed);
          setField(card, "changes", run.New + " new, " + run.Improved + " improved, " + run.Worse + " worse, " + run.Dropped + " dropped");
          var st = card.querySelector('[data-field="status"]');
          if (st) { st.className = "status status-" + run.Status; }
          if (run.Active) { setTimeout(poll, 1000); } else { card.removeAttribute("data-active"); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    poll();
  }

  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
    bars(document);
    document.querySelectorAll(".run[data-active]").forEach(followRun);
  });
})();
