// Notebook 7.2: the ReLU network for a seed, K and D; per unit f, h and ∂ℓ/∂f, the parameter
// gradients, and each layer's finite-difference check.
"use strict";
(() => {
  const FIELDS = [["seed", 0, 0, 1000, 1], ["K", 5, 1, 10, 1], ["D", 6, 1, 12, 1], ["x", 1.2, -5, 5, 0.1], ["y", 20, -50, 50, 0.5]];
  const $ = (id) => document.getElementById(id);
  const state = {};
  let seq = 0;

  function controls() {
    const box = $("controls");
    for (const [name, def, lo, hi, step] of FIELDS) {
      const num = BP.el("input", {type: "number", id: "in-" + name, min: String(lo), max: String(hi), step: String(step), value: String(state[name])});
      const range = BP.el("input", {type: "range", id: "slide-" + name, min: String(lo), max: String(hi), step: String(step), value: String(state[name])});
      range.addEventListener("input", () => { state[name] = Number(range.value); num.value = range.value; update(); });
      num.addEventListener("change", () => {
        const v = Number(num.value);
        if (num.value !== "" && isFinite(v)) { state[name] = v; range.value = String(v); update(); }
      });
      box.append(BP.el("div", {class: "input-row"}, BP.el("label", {for: "in-" + name, "data-i18n": "deep." + name}), num, range));
    }
    BP.translate(box);
  }

  function drawNetwork(d) {
    const e = $("network");
    while (e.firstChild) e.removeChild(e.firstChild);
    const cols = [];
    cols.push([{label: "x", h: d.h[0][0]}]);
    for (let k = 1; k <= d.layers; k++) {
      cols.push(d.h[k].map((h, i) => ({f: d.f[k - 1][i], h, g: d.dl_df[k - 1][i]})));
    }
    cols.push([{f: d.f[d.layers][0], g: d.dl_df[d.layers][0], out: true}]);
    const CW = 150, RH = 54, top = 30;
    const rows = Math.max(...cols.map((c) => c.length));
    const W = cols.length * CW + 20, H = rows * RH + top + 10;
    e.setAttribute("viewBox", "0 0 " + W + " " + H);
    e.setAttribute("width", W);
    e.setAttribute("height", H);
    const pos = cols.map((c, j) => c.map((u, i) => [20 + j * CW, top + (rows - c.length) * RH / 2 + i * RH + RH / 2]));
    for (let j = 0; j + 1 < cols.length; j++) {
      for (const a of pos[j]) for (const b of pos[j + 1]) e.append(BP.svg("line", {x1: a[0], y1: a[1], x2: b[0], y2: b[1]}));
    }
    cols.forEach((c, j) => {
      e.append(BP.svg("text", {x: pos[j][0][0] - 8, y: 14}, j === 0 ? BP.t("deep.input") : j === cols.length - 1 ? BP.t("deep.output")
        : BP.t("deep.layer") + " " + j));
      c.forEach((u, i) => {
        const [x, y] = pos[j][i];
        const g = BP.svg("g", {class: "unit" + (u.h === 0 && !u.out && j > 0 ? " dead" : ""), id: "unit-" + j + "-" + i});
        g.append(BP.svg("circle", {cx: x, cy: y, r: 8}));
        const lines = j === 0 ? ["x = " + BP.num(u.h)] : u.out ? ["f = " + BP.num(u.f), "∂ℓ/∂f = " + BP.num(u.g)]
          : ["f = " + BP.num(u.f), "h = " + BP.num(u.h), "∂ℓ/∂f = " + BP.num(u.g)];
        lines.forEach((l, k) => g.append(BP.svg("text", {x: x + 12, y: y - 10 + k * 11}, l)));
        if (!u.out && j > 0) g.setAttribute("data-f", String(u.f));
        if (u.g !== undefined) g.setAttribute("data-dl-df", String(u.g));
        e.append(g);
      });
    });
  }

  async function update() {
    const mine = ++seq;
    const s = {};
    for (const [name, def] of FIELDS) s[name] = state[name] === def ? null : String(state[name]);
    BP.setState(s);
    const res = await BP.api("deep", {seed: state.seed, layers: state.K, width: state.D, x: state.x, y: state.y});
    if (mine !== seq) return;
    if (!res.ok) { $("summary").textContent = res.data.error; $("summary").className = "bad"; return; }
    const d = res.data;
    $("summary").className = "";
    $("summary").textContent = BP.t("deep.output") + " f = " + BP.num(d.output) + ", " + BP.t("toy.loss") + " ℓ = " + BP.num(d.loss)
      + " · " + (d.all_match ? BP.t("deep.all_match") : BP.t("deep.some_differ"));
    $("summary").dataset.value = String(d.loss);
    drawNetwork(d);
    const rows = [];
    for (const [kind, list] of [["β", d.bias_checks], ["Ω", d.weight_checks]]) {
      for (const c of list) {
        rows.push(BP.el("tr", {"data-name": kind + c.layer}, BP.el("td", {text: "∂ℓ/∂" + kind + c.layer}),
          BP.el("td", {class: c.matches ? "ok" : "bad", text: c.matches ? BP.t("check.agrees") : BP.t("check.disagrees")}),
          BP.numCell(c.max_abs_difference, 10)));
      }
    }
    $("checks").textContent = "";
    $("checks").append(BP.table([BP.t("table.derivative"), BP.t("deep.check"), BP.t("deep.max_diff")], rows, "checks-table"));
    const box = $("gradients");
    box.textContent = "";
    d.dl_dbias.forEach((b, k) => {
      box.append(BP.el("h3", {text: "∂ℓ/∂β" + k + ", ∂ℓ/∂Ω" + k}));
      const w = d.dl_dweight[k];
      const trs = w.map((row, i) => {
        const tr = BP.el("tr", {}, BP.numCell(b[i]), BP.el("td", {text: "│"}));
        row.forEach((v) => tr.append(BP.numCell(v)));
        return tr;
      });
      box.append(BP.table(["β", ""].concat(w[0].map((_, j) => "Ω[·," + j + "]")), trs));
    });
    document.body.dataset.ready = String(mine);
  }

  BP.init(async () => {
    const p = new URLSearchParams(location.search);
    for (const [name, def, lo, hi] of FIELDS) {
      const v = p.has(name) ? Number(p.get(name)) : NaN;
      state[name] = isFinite(v) && v >= lo && v <= hi ? v : def;
    }
    controls();
    await update();
  });
})();
