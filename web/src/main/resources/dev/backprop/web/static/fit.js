// Fitting: a formula's parameters trained on a data set, streamed from the server as it trains
// (one JSON object per line): the loss curve and the fitted curve redraw with each event.
"use strict";
(() => {
  const DEMO = "f0 = beta0 + omega0*x; h1 = sin(f0); f1 = beta1 + omega1*h1; h2 = exp(f1); f2 = beta2 + omega2*h2; h3 = cos(f2); f3 = beta3 + omega3*h3; l = (f3 - y)^2";
  const DEMO_INIT = "beta0=1, beta1=2, beta2=-3, beta3=0.4, omega0=0.1, omega1=-0.4, omega2=2, omega3=3";
  const $ = (id) => document.getElementById(id);
  let csv = null;
  let controller = null;
  let last = null;

  function parseInit(s) {
    const m = {};
    for (const part of s.split(",")) {
      const i = part.indexOf("=");
      if (i > 0) m[part.slice(0, i).trim()] = Number(part.slice(i + 1).trim());
    }
    return m;
  }

  function status(text, cls) {
    $("status").textContent = text;
    $("status").className = cls || "";
  }

  async function start() {
    const body = {formula: $("formula").value, init: parseInit($("init").value), optimizer: $("optimizer").value,
      lr: Number($("lr").value), steps: Number($("steps").value), data: $("data").value === "csv" ? csv : "demo"};
    if (body.data === null) { status(BP.t("fit.no_file"), "bad"); return; }
    BP.setState({f: body.formula === DEMO ? null : body.formula, init: $("init").value === DEMO_INIT ? null : $("init").value,
      opt: body.optimizer === "adam" ? null : body.optimizer, lr: body.lr === 0.01 ? null : String(body.lr),
      steps: body.steps === 2000 ? null : String(body.steps)});
    controller = new AbortController();
    $("start").disabled = true;
    $("stop").disabled = false;
    status(BP.t("fit.training"));
    const losses = {x: [], y: []};
    let data = null;
    try {
      const r = await fetch("/api/fit", {method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body), signal: controller.signal});
      if (!r.ok) {
        const e = await r.json().catch(() => ({error: "HTTP " + r.status}));
        status(e.error, "bad");
        return;
      }
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let buf = "";
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buf += decoder.decode(value, {stream: true});
        let nl;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const ev = JSON.parse(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          if (ev.parameters) {
            data = ev;
            losses.x.push(0); losses.y.push(ev.loss);
            last = {params: body.init, step: 0};
          } else if (ev.done) {
            last = {params: ev.params, step: ev.step};
            status(BP.t("fit.done") + " " + ev.reason + " · " + BP.t("fit.step") + " " + ev.step, "ok");
          } else {
            losses.x.push(ev.step); losses.y.push(ev.loss);
            last = {params: ev.params, step: ev.step};
            status(BP.t("fit.step") + " " + ev.step + " · " + BP.t("fit.loss") + " " + BP.num(ev.loss, 6));
            $("status").dataset.loss = String(ev.loss);
          }
          draw(losses, data, ev.curve);
        }
      }
    } catch (e) {
      if (e.name === "AbortError") status(BP.t("fit.stopped") + (last ? " · " + BP.t("fit.step") + " " + last.step : ""));
      else status(String(e), "bad");
    } finally {
      $("start").disabled = false;
      $("stop").disabled = true;
      $("download").disabled = !last;
      showParams();
      document.body.dataset.finished = String(Date.now());
    }
  }

  function draw(losses, data, curve) {
    BP.chart($("loss-chart"), [{x: losses.x, y: losses.y, cls: "a", label: BP.t("fit.loss")}],
      {logY: true, xLabel: BP.t("fit.step"), yLabel: BP.t("fit.loss"), width: 480});
    if (data && data.x) {
      const s = [{x: data.data_x, y: data.data_y, kind: "dots", cls: "dots"}];
      if (curve) s.push({x: curve.x, y: curve.y, cls: "b", label: BP.t("fit.fitted")});
      BP.chart($("curve-chart"), s, {xLabel: data.x, yLabel: data.target, width: 480});
    }
  }

  function showParams() {
    if (!last) return;
    const rows = Object.entries(last.params).map(([k, v]) => BP.el("tr", {"data-name": k}, BP.el("td", {text: k}), BP.numCell(v, 6)));
    $("params").textContent = "";
    $("params").append(BP.table([BP.t("fit.parameter"), BP.t("table.value")], rows, "params-table"));
  }

  function download() {
    // Written as train --out and fit --out write parameters: a JSON object of name → value.
    const blob = new Blob([JSON.stringify(last.params, null, 2) + "\n"], {type: "application/json"});
    const a = BP.el("a", {href: URL.createObjectURL(blob), download: "params.json"});
    document.body.append(a);
    a.click();
    a.remove();
  }

  BP.init(async () => {
    const p = new URLSearchParams(location.search);
    $("formula").value = p.get("f") || DEMO;
    $("init").value = p.get("init") || DEMO_INIT;
    if (p.get("opt")) $("optimizer").value = p.get("opt");
    if (p.get("lr")) $("lr").value = p.get("lr");
    if (p.get("steps")) $("steps").value = p.get("steps");
    $("data").addEventListener("change", () => { $("file").hidden = $("data").value !== "csv"; });
    $("file").addEventListener("change", async () => {
      const f = $("file").files[0];
      csv = f ? await f.text() : null;
    });
    $("start").addEventListener("click", start);
    $("stop").addEventListener("click", () => controller && controller.abort());
    $("download").addEventListener("click", download);
    document.body.dataset.ready = "1";
  });
})();
