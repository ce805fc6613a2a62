"""The standalone report's stylesheet and its one script (filter and sort the records table).

Plain strings: the report embeds them (the script with the page's nonce).
"""

__all__ = ["CSS", "SEARCH_JS"]

SEARCH_JS = """
(function () {
  var input = document.getElementById("newsnb-search");
  var count = document.getElementById("newsnb-count");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#newsnb-records tbody tr"));
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var hit = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      rows[i].hidden = !hit;
      if (hit) { shown++; }
    }
    count.textContent = shown.toLocaleString() + " of " + rows.length.toLocaleString() + " rows";
  });
  // a click on a column heading sorts by it (numbers as numbers, empty cells last);
  // a second click reverses the order
  var body = document.querySelector("#newsnb-records tbody");
  var heads = document.querySelectorAll("#newsnb-records thead th");
  Array.prototype.forEach.call(heads, function (th, col) {
    th.tabIndex = 0;
    th.title = "Sort by this column";
    var sort = function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var keyed = rows.map(function (r, i) {
        var text = r.cells[col].textContent.trim(), num = Number(text.replace(/,/g, ""));
        return { row: r, i: i, text: text, num: text !== "" && isFinite(num) ? num : null };
      });
      keyed.sort(function (a, b) {
        if (a.text === "" || b.text === "") { return (a.text === "") - (b.text === "") || a.i - b.i; }
        var c = a.num !== null && b.num !== null ? a.num - b.num : a.text.localeCompare(b.text);
        return (up ? c : -c) || a.i - b.i;
      });
      keyed.forEach(function (k) { body.appendChild(k.row); });
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
  });
})();
"""

CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  color: #1f2933; background: #fff; }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 1rem; border-bottom: 1px solid #e4e7eb; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { margin-top: 2rem; } h3 { margin: 1rem 0 .25rem; }
.meta { color: #616e7c; } nav { margin: .5rem 0 1rem; } a { color: #0b69a3; }
.stats { display: flex; flex-wrap: wrap; gap: .75rem; }
.stat { border: 1px solid #e4e7eb; border-radius: 6px; padding: .5rem .9rem; min-width: 7rem; }
.stat .value { font-size: 1.25rem; font-weight: 600; } .stat .label { color: #616e7c; }
figure.chart { margin: 1rem 0 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #e4e7eb; }
th { background: #f5f7fa; position: sticky; top: 0; }
.records-wrap { max-height: 80vh; overflow: auto; border: 1px solid #e4e7eb; }
.records td:first-child { white-space: nowrap; }
.excerpt { color: #616e7c; font-size: .9em; display: -webkit-box; -webkit-line-clamp: 2;
  -webkit-box-orient: vertical; overflow: hidden; }
#newsnb-search { font: inherit; padding: .35rem .5rem; width: min(30rem, 100%); }
.records th { cursor: pointer; user-select: none; }
.records th[aria-sort="ascending"]::after { content: " \\25B2"; }
.records th[aria-sort="descending"]::after { content: " \\25BC"; }
"""
