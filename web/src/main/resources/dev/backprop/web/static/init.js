// Notebook 7.3: the forward and backward standard deviations per layer for σ², K and D, on a log
// chart, beside the same network at He's σ² = 2/D.
"use strict";
(() => {
  const FIELDS = [["sigma2", 1, 0.01, 4, 0.01], ["K", 5, 1, 30, 1], ["D", 8, 1, 64, 1]];
  const $ = (id) => document.getElementById(id);
  const state = {};
  const inputs = {};
  let seq = 0;

  function controls() {
    const box = $("controls");
    for (const [name, def, lo, hi, step] of FIELDS) {
      const num = BP.el("input", {type: "number", id: "in-" + name, min: String(lo), max: String(hi), step: "any", value: String(state[name])});
      const range = BP.el("input", {type: "range", id: "slide-" + name, min: String(lo), max: String(hi), step: String(step), value: String(state[name])});
      range.addEventListener("input", () => { state[name] = Number(range.value); num.value = range.value; update(); });
      num.addEventListener("change", () => {
        const v = Number(num.value);
        if (num.value !== "" && isFinite(v) && v >= lo && v <= hi) { state[name] = v; range.value = String(v); update(); }
      });
      inputs[name] = [num, range];
      box.append(BP.el("div", {class: "input-row"}, BP.el("label", {for: "in-" + name, "data-i18n": "init." + name}), num, range));
    }
    BP.translate(box);
  }

  async function update() {
    const mine = ++seq;
    BP.setState({sigma2: state.sigma2 === 1 ? null : String(state.sigma2), K: state.K === 5 ? null : String(state.K),
      D: state.D === 8 ? null : String(state.D)});
    const he = 2 / state.D;
    const [mine1, heRun] = await Promise.all([
      BP.api("init", {sigma2: state.sigma2, layers: state.K, width: state.D}),
      BP.api("init", {sigma2: he, layers: state.K, width: state.D})]);
    if (mine !== seq) return;
    if (!mine1.ok) { $("he-line").textContent = mine1.data.error; return; }
    const d = mine1.data, h = heRun.data;
    $("he-line").textContent = BP.t("init.he") + " σ² = 2/D = " + BP.num(he, 4);
    const ks = d.forward_std.map((_, i) => i + 1);
    const kb = d.backward_std.map((_, i) => i + 1);
    const series = [
      {x: ks, y: d.forward_std, cls: "a", label: BP.t("init.forward"), marks: true},
      {x: kb, y: d.backward_std, cls: "b", label: BP.t("init.backward"), marks: true}];
    if (heRun.ok) {
      series.push({x: ks, y: h.forward_std, cls: "c", label: BP.t("init.forward_he")});
    }
    BP.chart($("chart"), series, {logY: true, xLabel: BP.t("init.layer"), yLabel: BP.t("init.std"),
      hlines: [{y: 1, label: "1", cls: "he"}]});
    const rows = ks.map((k) => BP.el("tr", {"data-layer": String(k)}, BP.el("td", {text: String(k)}), BP.numCell(d.forward_std[k - 1], 4),
      k <= kb.length ? BP.numCell(d.backward_std[k - 1], 4) : BP.el("td", {text: ""})));
    $("table").textContent = "";
    $("table").append(BP.table([BP.t("init.layer"), BP.t("init.forward"), BP.t("init.backward")], rows, "std-table"));
    document.body.dataset.ready = String(mine);
  }

  BP.init(async () => {
    const p = new URLSearchParams(location.search);
    for (const [name, def, lo, hi] of FIELDS) {
      const v = p.has(name) ? Number(p.get(name)) : NaN;
      state[name] = isFinite(v) && v >= lo && v <= hi ? v : def;
    }
    controls();
    $("use-he").addEventListener("click", () => {
      state.sigma2 = 2 / state.D;
      inputs.sigma2[0].value = String(state.sigma2);
      inputs.sigma2[1].value = String(state.sigma2);
      update();
    });
    await update();
  });
})();
