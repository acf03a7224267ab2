// The formula page: a formula at a point, its graph, its forward and backward passes step by
// step with the chain rule typeset, and backprop against central differences and the closed form.
"use strict";
(() => {
  const EXAMPLES = [
    ["formula.ex.sin", "x*sin(y) + y^2", {x: 1.5, y: 0.3}],
    ["formula.ex.toy", "f0 = beta0 + omega0*x\nh1 = sin(f0)\nf1 = beta1 + omega1*h1\nh2 = exp(f1)\nf2 = beta2 + omega2*h2\nh3 = cos(f2)\nf3 = beta3 + omega3*h3\nl = (f3 - y)^2",
      {x: 2.3, y: 2, beta0: 1, beta1: 2, beta2: -3, beta3: 0.4, omega0: 0.1, omega1: -0.4, omega2: 2, omega3: 3}],
    ["formula.ex.logistic", "z = w*x + b\np = 1/(1 + exp(-z))\nl = -(y*log(p) + (1 - y)*log(1 - p))", {w: 0.5, x: 2, b: -0.3, y: 1}],
    ["formula.ex.softmax", "m = exp(a) + exp(b) + exp(c)\nl = -log(exp(a)/m)", {a: 1, b: 2, c: 0.5}],
  ];
  let current = null; // {formula, trace, graph, check, step: {mode, k}}
  let at = {};

  const $ = (id) => document.getElementById(id);

  function parseAt(s) {
    const m = {};
    for (const part of (s || "").split(",")) {
      const i = part.indexOf("=");
      if (i > 0) {
        const v = Number(part.slice(i + 1).trim());
        if (isFinite(v)) m[part.slice(0, i).trim()] = v;
      }
    }
    return m;
  }

  function atText() {
    return Object.entries(at).map(([k, v]) => k + "=" + v).join(",");
  }

  function showError(res, text) {
    const box = $("error");
    box.hidden = false;
    $("error-text").textContent = res.data.error || ("HTTP " + res.status);
    $("error-caret").textContent = "";
    if (res.data.line) {
      // Point at the place: the line of the formula, a caret under the column, and the cursor there.
      const lines = text.split("\n");
      const line = lines[res.data.line - 1] || "";
      $("error-caret").textContent = line + "\n" + " ".repeat(Math.max(0, res.data.column - 1)) + "^";
      let offset = 0;
      for (let i = 0; i < res.data.line - 1; i++) offset += lines[i].length + 1;
      offset += res.data.column - 1;
      const ta = $("formula");
      ta.focus();
      ta.setSelectionRange(offset, Math.min(text.length, offset + 1));
    }
  }

  async function go() {
    const text = $("formula").value;
    $("error").hidden = true;
    const res = await BP.api("inputs", {formula: text});
    if (!res.ok) {
      showError(res, text);
      $("results").hidden = true;
      return;
    }
    const next = {};
    for (const name of res.data.inputs) next[name] = name in at ? at[name] : 1;
    at = next;
    buildInputs(res.data.inputs);
    await compute();
  }

  function buildInputs(names) {
    const box = $("inputs");
    box.textContent = "";
    for (const name of names) {
      const num = BP.el("input", {type: "number", step: "any", id: "in-" + name, value: String(at[name])});
      const range = BP.el("input", {type: "range", min: "-5", max: "5", step: "0.01", id: "slide-" + name, value: String(at[name])});
      const set = (v, from) => {
        at[name] = v;
        if (from !== num) num.value = String(v);
        if (from !== range) range.value = String(v);
        compute();
      };
      num.addEventListener("change", () => { const v = Number(num.value); if (isFinite(v) && num.value !== "") set(v, num); });
      range.addEventListener("input", () => set(Number(range.value), range));
      box.append(BP.el("div", {class: "input-row"}, BP.el("label", {for: "in-" + name, text: name}), num, range));
    }
  }

  let seq = 0;
  async function compute() {
    const text = $("formula").value;
    const mine = ++seq;
    BP.setState({f: text, at: atText()});
    const body = {formula: text, at};
    const [trace, graph, check] = await Promise.all([BP.api("trace", body), BP.api("graph", body), BP.api("check", body)]);
    if (mine !== seq) return; // a later request (a slider moving) has superseded this one
    for (const r of [trace, graph, check]) {
      if (!r.ok) { showError(r, text); return; }
    }
    $("error").hidden = true;
    const keep = current && current.formula === text ? current.step : {mode: "all", k: 0};
    current = {formula: text, trace: trace.data, graph: graph.data, check: check.data, step: keep};
    $("results").hidden = false;
    $("value-line").textContent = graph.data.output + " = " + BP.num(trace.data.value, 6);
    $("value-line").dataset.value = String(trace.data.value);
    renderCheck();
    render();
    document.body.dataset.ready = String(mine);
  }

  /**
   * What the current step shows: which nodes have values, which adjoints, and which node is lit.
   * The passes' rows are statements (and, backward, the inputs), while the graph also has the
   * steps inside each statement; the graph's node ids follow the program's order, so a statement's
   * inner steps are the nodes between the previous statement's node and its own.
   */
  function visible() {
    const t = current.trace, s = current.step, nodes = current.graph.nodes;
    const id = new Map(nodes.map((n) => [n.name, n.id]));
    const values = new Set(), adjoints = new Set();
    let lit = null;
    const fixed = (n) => n.kind === "input" || n.kind === "constant";
    nodes.filter(fixed).forEach((n) => values.add(n.name));
    if (s.mode === "all") {
      nodes.forEach((n) => { values.add(n.name); adjoints.add(n.name); });
    } else if (s.mode === "forward") {
      if (s.k > 0) {
        lit = t.forward[s.k - 1].name;
        const upTo = id.get(lit);
        nodes.filter((n) => n.id <= upTo).forEach((n) => values.add(n.name));
      }
    } else {
      nodes.forEach((n) => values.add(n.name));
      const out = t.forward[t.forward.length - 1].name;
      adjoints.add(out);
      lit = out;
      if (s.k > 0) {
        lit = t.backward[s.k - 1].name;
        const done = t.backward.slice(0, s.k);
        const inputsReached = done.some((r) => nodes.find((n) => n.name === r.name && n.kind === "input"));
        // The latest statement reached, and every step after it in the program.
        const statements = done.filter((r) => !nodes.find((n) => n.name === r.name && fixed(n)));
        const from = inputsReached ? -1 : statements.length ? id.get(statements[statements.length - 1].name) : id.get(out);
        nodes.filter((n) => !fixed(n) && n.id >= from).forEach((n) => adjoints.add(n.name));
        done.forEach((r) => adjoints.add(r.name));
      }
    }
    return {values, adjoints, lit};
  }

  function render() {
    const v = visible();
    drawGraph(v);
    renderTables(v);
    renderStep(v);
  }

  function drawGraph(v) {
    const g = current.graph;
    const e = $("graph");
    while (e.firstChild) e.removeChild(e.firstChild);
    e.setAttribute("viewBox", "0 0 " + g.width + " " + g.height);
    e.setAttribute("width", g.width);
    e.setAttribute("height", g.height);
    const defs = BP.svg("defs");
    const marker = BP.svg("marker", {id: "arrow", viewBox: "0 0 8 8", refX: 8, refY: 4, markerWidth: 8, markerHeight: 8, orient: "auto"});
    marker.append(BP.svg("path", {d: "M0,0L8,4L0,8z"}));
    defs.append(marker);
    e.append(defs);
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    for (const edge of g.edges) {
      const d = edge.points.map((p, i) => (i ? "L" : "M") + p[0] + "," + p[1]).join("");
      const to = byId.get(edge.to);
      e.append(BP.svg("path", {d, class: "edge", "marker-end": "url(#arrow)"}));
      if (v.adjoints.has(to.name)) {
        e.append(BP.svg("text", {x: edge.label[0] + 2, y: edge.label[1] + 10, class: "local"}, "∂=" + BP.num(edge.local)));
      }
    }
    for (const n of g.nodes) {
      const cls = "node " + n.kind + (n.name === v.lit ? " lit" : "");
      const grp = BP.svg("g", {class: cls, id: "node-" + n.name, "data-name": n.name});
      grp.append(BP.svg("rect", {x: n.x, y: n.y, width: n.width, height: n.height, rx: 5}));
      const lines = [n.name, n.kind === "operation" || n.kind === "output" ? n.expression : ""];
      lines.push(v.values.has(n.name) ? "= " + BP.num(n.value) : "= ?");
      if (v.adjoints.has(n.name)) lines.push("∂" + g.output + "/∂" + n.name + " = " + BP.num(n.adjoint));
      // The layout sized the box for the command line's picture; the lines are spaced to fit it,
      // so the last one (the adjoint) stays inside the box.
      const step = Math.min(14, (n.height - 5) / Math.max(1, lines.filter((l) => l).length));
      let y = n.y + step;
      for (const [i, line] of lines.entries()) {
        if (!line) continue;
        const tx = BP.svg("text", {x: n.x + 6, y: y, class: i === 0 ? "title" : ""}, line);
        if (i === 2 && v.values.has(n.name)) tx.setAttribute("data-value", String(n.value));
        if (i === 3) tx.setAttribute("data-adjoint", String(n.adjoint));
        grp.append(tx);
        y += step;
      }
      e.append(grp);
    }
  }

  function renderTables(v) {
    const t = current.trace;
    const fwd = t.forward.map((r) => {
      const tr = BP.el("tr", {"data-name": r.name, class: r.name === v.lit && current.step.mode === "forward" ? "lit" : ""});
      tr.append(BP.el("td", {text: r.name}), BP.el("td", {class: "code", text: r.op}),
        v.values.has(r.name) ? BP.numCell(r.value) : BP.el("td", {text: "?"}));
      return tr;
    });
    $("forward").textContent = "";
    $("forward").append(BP.table([BP.t("table.step"), BP.t("table.operation"), BP.t("table.value")], fwd, "forward-table"));
    const o = current.graph.output;
    const bwd = t.backward.map((r) => {
      const tr = BP.el("tr", {"data-name": r.name, class: r.name === v.lit && current.step.mode === "backward" ? "lit" : ""});
      const terms = r.terms.map((x) => BP.num(x.upstream) + "·" + BP.num(x.local)).join(" + ");
      tr.append(BP.el("td", {text: "∂" + o + "/∂" + r.name}),
        v.adjoints.has(r.name) ? BP.numCell(r.adjoint) : BP.el("td", {text: "?"}),
        BP.el("td", {class: "code", text: v.adjoints.has(r.name) ? terms : ""}));
      return tr;
    });
    $("backward").textContent = "";
    $("backward").append(BP.table([BP.t("table.adjoint"), BP.t("table.value"), BP.t("table.terms")], bwd, "backward-table"));
  }

  /** The chain rule of the backward step shown, typeset: symbols, then numbers, then the sum. */
  function chainTex(r) {
    const o = BP.texName(current.graph.output);
    const d = (a) => "\\frac{\\partial " + o + "}{\\partial " + BP.texName(a) + "}";
    if (!r.terms.length) return d(r.name) + " = 0";
    const sym = r.terms.map((x) => {
      const local = x.local_formula ? BP.exprTex(x.local_formula) : null;
      const l = local === null ? "\\frac{\\partial " + BP.texName(x.from) + "}{\\partial " + BP.texName(r.name) + "}"
        : (/[+-]/.test(local.replace(/^-/, "")) ? "\\left(" + local + "\\right)" : local);
      return x.from === current.graph.output ? l : d(x.from) + " \\cdot " + l;
    }).join(" + ");
    const nums = r.terms.map((x) => BP.numTex(x.upstream) + " \\cdot " + BP.numTex(x.local)).join(" + ");
    return d(r.name) + " = " + sym + " = " + nums + " = " + BP.numTex(r.adjoint).replace(/\\left\(|\\right\)/g, "");
  }

  function renderStep(v) {
    const s = current.step, t = current.trace;
    const info = $("step-info");
    if (s.mode === "all") {
      info.textContent = BP.t("formula.all_shown");
      BP.math($("step-math"), null, "");
    } else if (s.mode === "forward") {
      if (s.k === 0) { info.textContent = BP.t("formula.forward_start"); BP.math($("step-math"), null, ""); return; }
      const r = t.forward[s.k - 1];
      info.textContent = BP.t("formula.forward_at") + " " + s.k + "/" + t.forward.length + ": " + r.name;
      const ex = BP.exprTex(r.op);
      BP.math($("step-math"), ex === null ? null : BP.texName(r.name) + " = " + ex + " = " + BP.numTex(r.value).replace(/\\left\(|\\right\)/g, ""),
        r.name + " = " + r.op + " = " + BP.num(r.value));
    } else {
      if (s.k === 0) {
        info.textContent = BP.t("formula.backward_start");
        const o = BP.texName(current.graph.output);
        BP.math($("step-math"), "\\frac{\\partial " + o + "}{\\partial " + o + "} = 1", "");
        return;
      }
      const r = t.backward[s.k - 1];
      info.textContent = BP.t("formula.backward_at") + " " + s.k + "/" + t.backward.length + ": " + r.name;
      BP.math($("step-math"), chainTex(r), r.name + " = " + BP.num(r.adjoint));
    }
  }

  function renderCheck() {
    const c = current.check;
    const o = c.output;
    const rows = c.inputs.map((x) => {
      const tr = BP.el("tr", {"data-name": x.input});
      const mathCell = BP.el("td", {class: "math"});
      tr.append(BP.el("td", {text: "∂" + o + "/∂" + x.input}), BP.numCell(x.backprop, 6), BP.numCell(x.finite_difference, 6),
        BP.numCell(x.closed_form, 6), BP.el("td", {text: x.agrees ? BP.t("check.agrees") : BP.t("check.disagrees") + " (" + x.reason + ")"}),
        mathCell);
      BP.math(mathCell, closedTex(x.closed_form_text, o, x.input), x.closed_form_text);
      return tr;
    });
    $("check").textContent = "";
    $("check").append(BP.table([BP.t("table.derivative"), BP.t("check.backprop"), BP.t("check.central"), BP.t("check.closed"),
      "", BP.t("check.closed_formula")], rows, "check-table"));
  }

  /** The closed form's statements, each typeset; the last one's name as ∂output/∂input. */
  function closedTex(text, o, input) {
    const lines = text.split("\n").filter((l) => l.trim());
    const out = [];
    for (const [i, line] of lines.entries()) {
      const eq = line.indexOf("=");
      const rhs = BP.exprTex(line.slice(eq + 1));
      if (eq < 0 || rhs === null) return null;
      const lhs = i === lines.length - 1 ? "\\frac{\\partial " + BP.texName(o) + "}{\\partial " + BP.texName(input) + "}"
        : BP.texName(line.slice(0, eq).trim());
      out.push(lhs + " &= " + rhs);
    }
    return "\\begin{aligned}" + out.join(" \\\\ ") + "\\end{aligned}";
  }

  function step(mode) {
    const t = current.trace, s = current.step;
    if (mode === "forward") {
      if (s.mode !== "forward") current.step = {mode: "forward", k: 1};
      else if (s.k < t.forward.length) s.k++;
      else current.step = {mode: "backward", k: 0};
    } else {
      if (s.mode !== "backward") current.step = {mode: "backward", k: 0};
      else if (s.k < t.backward.length) s.k++;
    }
    render();
  }

  BP.init(async () => {
    const sel = $("examples");
    sel.append(BP.el("option", {value: "", "data-i18n": "formula.pick"}));
    EXAMPLES.forEach(([key], i) => sel.append(BP.el("option", {value: String(i), "data-i18n": key})));
    BP.translate(sel);
    sel.addEventListener("change", () => {
      if (sel.value === "") return;
      const [, f, point] = EXAMPLES[Number(sel.value)];
      $("formula").value = f;
      at = Object.assign({}, point);
      go();
    });
    $("go").addEventListener("click", go);
    $("reset").addEventListener("click", () => { current.step = {mode: "forward", k: 0}; render(); });
    $("fwd-step").addEventListener("click", () => step("forward"));
    $("bwd-step").addEventListener("click", () => step("backward"));
    $("show-all").addEventListener("click", () => { current.step = {mode: "all", k: 0}; render(); });
    const p = new URLSearchParams(location.search);
    at = parseAt(p.get("at"));
    if (p.get("f")) {
      $("formula").value = p.get("f");
      await go();
    } else {
      $("formula").value = EXAMPLES[0][1];
      document.body.dataset.ready = "0";
    }
  });
})();
