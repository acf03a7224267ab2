// Notebook 7.1: the toy model at a point set by sliders; the book's three steps update live.
"use strict";
(() => {
  const NAMES = ["x", "y", "beta0", "beta1", "beta2", "beta3", "omega0", "omega1", "omega2", "omega3"];
  const NOTEBOOK = {x: 2.3, y: 2, beta0: 1, beta1: 2, beta2: -3, beta3: 0.4, omega0: 0.1, omega1: -0.4, omega2: 2, omega3: 3};
  const $ = (id) => document.getElementById(id);
  let point = {};
  let seq = 0;

  function sliders() {
    const box = $("sliders");
    box.textContent = "";
    for (const name of NAMES) {
      const range = BP.el("input", {type: "range", min: "-5", max: "5", step: "0.01", id: "slide-" + name, value: String(point[name])});
      const num = BP.el("input", {type: "number", step: "any", id: "in-" + name, value: String(point[name])});
      range.addEventListener("input", () => { point[name] = Number(range.value); num.value = range.value; update(); });
      num.addEventListener("change", () => {
        const v = Number(num.value);
        if (num.value !== "" && isFinite(v)) { point[name] = v; range.value = String(v); update(); }
      });
      const label = BP.el("label", {for: "in-" + name});
      BP.math(label, BP.texName(name), name);
      box.append(BP.el("div", {class: "input-row"}, label, num, range));
    }
  }

  async function update() {
    const mine = ++seq;
    const state = {};
    for (const n of NAMES) state[n] = point[n] === NOTEBOOK[n] ? null : String(point[n]);
    BP.setState(state);
    const res = await BP.api("toy", {at: point});
    if (mine !== seq) return;
    if (!res.ok) { $("loss-line").textContent = res.data.error; return; }
    const d = res.data;
    $("loss-line").textContent = BP.t("toy.loss") + " ℓ = " + BP.num(d.loss);
    $("loss-line").dataset.value = String(d.loss);
    const f = d.forward.map((r) => BP.el("tr", {"data-name": r.name}, BP.el("td", {text: r.name}),
      BP.el("td", {class: "code", text: r.op}), BP.numCell(r.value)));
    $("step1").textContent = "";
    $("step1").append(BP.table([BP.t("table.step"), BP.t("table.operation"), BP.t("table.value")], f, "step1-table"));
    const b = d.backward.map((r) => BP.el("tr", {"data-name": r.name}, BP.el("td", {text: "∂ℓ/∂" + r.name}), BP.numCell(r.value)));
    $("step2").textContent = "";
    $("step2").append(BP.table([BP.t("table.adjoint"), BP.t("table.value")], b, "step2-table"));
    const p = Object.entries(d.parameters).map(([name, e]) => BP.el("tr", {"data-name": name},
      BP.el("td", {text: "∂ℓ/∂" + name}), BP.numCell(e.backprop), BP.numCell(e.closed_form), BP.numCell(e.finite_difference)));
    $("step3").textContent = "";
    $("step3").append(BP.table(["", BP.t("check.backprop"), BP.t("check.closed"), BP.t("toy.forward_difference")], p, "step3-table"));
    document.body.dataset.ready = String(mine);
  }

  BP.init(async () => {
    BP.math($("model"), "f[x, \\phi] = \\beta_3 + \\omega_3 \\cos\\left(\\beta_2 + \\omega_2 \\exp\\left(\\beta_1 + \\omega_1 \\sin\\left(\\beta_0 + \\omega_0 x\\right)\\right)\\right), \\quad \\ell = (f - y)^2", "");
    BP.math($("rules"), "\\frac{\\partial \\ell}{\\partial \\beta_k} = \\frac{\\partial \\ell}{\\partial f_k}, \\qquad \\frac{\\partial \\ell}{\\partial \\omega_k} = h_k \\frac{\\partial \\ell}{\\partial f_k}, \\quad h_0 = x", "");
    const p = new URLSearchParams(location.search);
    for (const n of NAMES) {
      const v = p.has(n) ? Number(p.get(n)) : NaN;
      point[n] = isFinite(v) ? v : NOTEBOOK[n];
    }
    sliders();
    $("notebook").addEventListener("click", () => { point = Object.assign({}, NOTEBOOK); sliders(); update(); });
    await update();
  });
})();
