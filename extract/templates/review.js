(function () {
  var items = JSON.parse(document.getElementById("items").textContent);
  var info = document.getElementById("info");
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark[data-item]"));
  var markOf = {}, boxesOf = {};
  marks.forEach(function (m) { markOf[m.dataset.item] = m; });
  Array.prototype.forEach.call(document.querySelectorAll(".box[data-item]"), function (b) {
    (boxesOf[b.dataset.item] = boxesOf[b.dataset.item] || []).push(b);
  });
  var checks = marks.filter(function (m) { return items[+m.dataset.item].check; });
  var selected = [];
  function show(m) {
    selected.forEach(function (x) { x.classList.remove("selected"); });
    selected = [m].concat(boxesOf[m.dataset.item] || []);
    selected.forEach(function (x) { x.classList.add("selected"); });
    var it = items[+m.dataset.item];
    info.textContent = it.kind + ": " + it.detail + (it.page ? " · page " + it.page : "");
  }
  function reveal(m) {
    var boxes = boxesOf[m.dataset.item] || [];
    if (!boxes.length) { return; }
    boxes[0].scrollIntoView({ block: "center" });
    boxes.forEach(function (b) { b.classList.remove("flash"); void b.offsetWidth; b.classList.add("flash"); });
  }
  function select(i) {
    var m = markOf[i];
    if (!m) { return; }
    m.scrollIntoView({ block: "center" });
    m.focus({ preventScroll: true });
    show(m);
    reveal(m);
  }
  marks.forEach(function (m) {
    m.addEventListener("mouseenter", function () { show(m); });
    m.addEventListener("focus", function () { show(m); });
    m.addEventListener("click", function (e) { e.stopPropagation(); show(m); reveal(m); });
  });
  Object.keys(boxesOf).forEach(function (i) {
    boxesOf[i].forEach(function (b) {
      b.addEventListener("click", function () { select(i); });
      b.addEventListener("mouseenter", function () { if (markOf[i]) { show(markOf[i]); } });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("a[data-goto]"), function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); select(a.dataset.goto); });
  });
  var at = -1;
  function go(list, step) {
    if (!list.length) { return; }
    var cur = list.indexOf(document.activeElement);
    at = ((cur < 0 ? at : cur) + step + list.length) % list.length;
    list[at].focus();
    reveal(list[at]);
  }
  document.addEventListener("keydown", function (e) {
    if (e.target.tagName === "SELECT") { return; }
    if (e.key === "n") { go(marks, 1); } else if (e.key === "p") { go(marks, -1); } else if (e.key === "c") { go(checks, 1); }
  });
  var table = document.getElementById("figures");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var unit = document.getElementById("unit-filter"), section = document.getElementById("section-filter");
  function filter() {
    rows.forEach(function (r) {
      r.hidden = (unit.value !== "" && r.dataset.unit !== unit.value) || (section.value !== "" && r.dataset.section !== section.value);
    });
  }
  unit.addEventListener("change", filter);
  section.addEventListener("change", filter);
  var order = {};
  Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (th) {
    th.addEventListener("click", function () {
      var key = th.dataset.sort, numeric = th.dataset.numeric === "1";
      var dir = order[key] = order[key] === 1 ? -1 : 1;
      rows.sort(function (a, b) {
        var x = a.dataset[key], y = b.dataset[key];
        var c = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y, "zh");
        return c * dir;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
