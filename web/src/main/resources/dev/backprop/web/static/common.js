// The explorer's shared script: texts in the page's language, the URL as the page's state, calls
// to the JSON API, numbers, mathematics as TeX for MathJax, and small SVG charts.
// User text is only ever set with textContent or as SVG text nodes, never parsed as HTML.
"use strict";
const BP = (() => {
  const params = new URLSearchParams(location.search);
  // The language asked for; the server answers with the one it has (English for any other).
  let lang = params.get("lang") || "en";
  let languages = ["en"];
  let messages = {};

  function t(key) {
    return Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : key;
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c);
    return e;
  }

  const SVGNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** The state in the URL: replaces the given keys (null removes one) and keeps the language. */
  function setState(state) {
    const p = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(state)) {
      if (v === null || v === undefined || v === "") p.delete(k);
      else p.set(k, v);
    }
    history.replaceState(null, "", location.pathname + (p.toString() ? "?" + p.toString() : ""));
    updateLanguageLinks();
  }

  function updateLanguageLinks() {
    for (const a of document.querySelectorAll("a[data-lang]")) {
      const p = new URLSearchParams(location.search);
      if (a.dataset.lang === languages[0]) p.delete("lang");
      else p.set("lang", a.dataset.lang);
      a.href = location.pathname + (p.toString() ? "?" + p.toString() : "");
    }
    for (const a of document.querySelectorAll("a[data-page]")) {
      a.href = a.dataset.page + (lang === languages[0] ? "" : "?lang=" + encodeURIComponent(lang));
    }
  }

  function header() {
    const nav = el("nav", {});
    const pages = [["/", "nav.home"], ["/formula", "nav.formula"], ["/toy", "nav.toy"], ["/deep", "nav.deep"],
      ["/init", "nav.init"], ["/fit", "nav.fit"]];
    for (const [href, key] of pages) {
      const a = el("a", {"data-page": href, "data-i18n": key});
      if (href === location.pathname) a.className = "current";
      nav.append(a);
    }
    const langs = el("span", {class: "langs"});
    for (const l of languages) {
      const a = el("a", {"data-lang": l, id: "lang-" + l, text: l.toUpperCase()});
      if (l === lang) a.className = "current";
      langs.append(a);
    }
    nav.append(langs);
    document.body.prepend(nav);
  }

  function translate(root) {
    for (const e of (root || document).querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
    for (const e of (root || document).querySelectorAll("[data-i18n-title]")) e.title = t(e.dataset.i18nTitle);
    for (const e of (root || document).querySelectorAll("[data-i18n-placeholder]")) e.placeholder = t(e.dataset.i18nPlaceholder);
  }

  /** Loads the texts, draws the header and translates the page; then calls {@code start}. */
  async function init(start) {
    const r = await fetch("/api/messages?lang=" + encodeURIComponent(lang));
    const bundle = await r.json();
    messages = bundle.messages;
    lang = bundle.lang;
    languages = bundle.languages;
    document.documentElement.lang = lang;
    header();
    translate();
    updateLanguageLinks();
    if (document.title && document.body.dataset.title) document.title = t(document.body.dataset.title) + " · backprop";
    await start();
  }

  /** POSTs {@code body} to /api/{@code name}: {ok, status, data}. */
  async function api(name, body, signal) {
    const r = await fetch("/api/" + name, {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body), signal});
    let data;
    try { data = await r.json(); } catch (e) { data = {error: "HTTP " + r.status}; }
    return {ok: r.ok, status: r.status, data};
  }

  /** A number as the tables print it: fixed decimals, or an exponent where those would hide it. */
  function num(v, digits) {
    const d = digits === undefined ? 3 : digits;
    if (typeof v !== "number") return String(v);
    if (!isFinite(v)) return isNaN(v) ? "NaN" : (v > 0 ? "∞" : "−∞");
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e7 || a < Math.pow(10, -d))) return v.toExponential(d).replace("-", "−");
    return v.toFixed(d).replace("-", "−");
  }

  /** A number cell: the shown text, and the full double in data-value for anyone who reads it. */
  function numCell(v, digits) {
    return el("td", {class: "num", "data-value": String(v), text: num(v, digits)});
  }

  function table(head, rows, id) {
    const tb = el("table", id ? {id} : {});
    const tr = el("tr");
    for (const h of head) tr.append(el("th", {text: h}));
    tb.append(el("thead", {}, tr));
    const body = el("tbody");
    for (const r of rows) body.append(r);
    tb.append(body);
    return tb;
  }

  // ---- names and formulas as TeX (built from tokens, never from raw text) ----
  const GREEK = new Set(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
    "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta",
    "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega"]);

  function texName(name) {
    const m = /^([A-Za-z]+?)_?(\d*)$/.exec(name);
    if (!m) return "\\mathrm{" + name.replace(/_/g, "\\_") + "}";
    let base = GREEK.has(m[1]) ? "\\" + m[1] : m[1].length === 1 ? m[1] : "\\mathrm{" + m[1] + "}";
    return m[2] ? base + "_{" + m[2] + "}" : base;
  }

  function tokens(s) {
    const out = [];
    const re = /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|[-+*/^(),]))/y;
    let m;
    re.lastIndex = 0;
    while (re.lastIndex < s.length) {
      const at = re.lastIndex;
      if (/^\s*$/.test(s.slice(at))) break;
      m = re.exec(s);
      if (!m) throw new Error("cannot read " + s.slice(at));
      out.push(m[1] !== undefined ? {num: m[1]} : m[2] !== undefined ? {id: m[2]} : {op: m[3] === "**" ? "^" : m[3]});
    }
    return out;
  }

  function parse(s) {
    const ts = tokens(s);
    let i = 0;
    const peek = () => ts[i];
    const isOp = (o) => ts[i] && ts[i].op === o;
    function primary() {
      const tk = ts[i++];
      if (!tk) throw new Error("end");
      if (tk.num !== undefined) return {k: "num", v: tk.num};
      if (tk.op === "(") { const e = expr(0); if (!isOp(")")) throw new Error(")"); i++; return {k: "par", e}; }
      if (tk.op === "-") return {k: "neg", e: expr(3)};
      if (tk.op === "+") return expr(3);
      if (tk.id !== undefined) {
        if (isOp("(")) {
          i++;
          const args = [];
          if (!isOp(")")) { args.push(expr(0)); while (isOp(",")) { i++; args.push(expr(0)); } }
          if (!isOp(")")) throw new Error(")");
          i++;
          return {k: "call", f: tk.id, args};
        }
        return {k: "id", v: tk.id};
      }
      throw new Error("unexpected");
    }
    const PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 4};
    function expr(min) {
      let left = primary();
      for (;;) {
        const tk = peek();
        if (!tk || !PREC[tk.op] || PREC[tk.op] < min) return left;
        i++;
        const p = PREC[tk.op];
        const right = expr(tk.op === "^" ? p : p + 1);
        left = {k: "bin", op: tk.op, a: left, b: right};
      }
    }
    const e = expr(0);
    if (i !== ts.length) throw new Error("trailing");
    return e;
  }

  const FUNCS = new Set(["sin", "cos", "tan", "exp", "log", "ln", "tanh", "sinh", "cosh", "arcsin", "arccos", "arctan"]);
  function tex(n) {
    const sum = (x) => x.k === "bin" && (x.op === "+" || x.op === "-");
    const wrap = (x) => "\\left(" + tex(x) + "\\right)";
    switch (n.k) {
      case "num": return n.v.replace(/e([+-]?\d+)$/i, "\\cdot 10^{$1}");
      case "id": return texName(n.v);
      case "par": return n.e.k === "bin" && n.e.op === "/" ? tex(n.e) : wrap(n.e);
      case "neg": return "-" + (sum(n.e) ? wrap(n.e) : tex(n.e));
      case "call": {
        const args = n.args.map(tex).join(", ");
        if (n.f === "sqrt" && n.args.length === 1) return "\\sqrt{" + args + "}";
        if (n.f === "abs" && n.args.length === 1) return "\\left|" + args + "\\right|";
        if (FUNCS.has(n.f)) return "\\" + n.f + "\\left(" + args + "\\right)";
        return "\\operatorname{" + n.f.replace(/_/g, "\\_") + "}\\left(" + args + "\\right)";
      }
      case "bin": {
        if (n.op === "/") return "\\frac{" + tex(n.a.k === "par" ? n.a.e : n.a) + "}{" + tex(n.b.k === "par" ? n.b.e : n.b) + "}";
        if (n.op === "^") {
          const base = n.a.k === "id" || n.a.k === "num" || n.a.k === "par" ? tex(n.a) : wrap(n.a);
          return "{" + base + "}^{" + tex(n.b.k === "par" ? n.b.e : n.b) + "}";
        }
        if (n.op === "*") {
          const f = (x) => (sum(x) ? wrap(x) : tex(x));
          return f(n.a) + " \\cdot " + f(n.b);
        }
        const r = n.op === "-" && sum(n.b) ? wrap(n.b) : tex(n.b);
        return tex(n.a) + " " + n.op + " " + r;
      }
    }
    throw new Error("node");
  }

  /** An expression as TeX, or null when it is not one this reader knows. */
  function exprTex(s) {
    try { return tex(parse(s)); } catch (e) { return null; }
  }

  function numTex(v) {
    const s = num(v).replace("−", "-");
    return s.startsWith("-") ? "\\left(" + s + "\\right)" : s;
  }

  /** Sets {@code e} to the TeX {@code src} typeset by MathJax (or, if it is missing, the plain fallback). */
  function math(e, src, fallback) {
    e.textContent = "";
    if (src === null) { e.textContent = fallback || ""; return; }
    e.textContent = "\\[" + src + "\\]";
    e.dataset.tex = src;
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      // MathJax starts asynchronously; queue behind its start and any typesetting under way.
      MathJax.startup.promise = MathJax.startup.promise
        .then(() => MathJax.typesetPromise([e]))
        .catch(() => { e.textContent = fallback || src; });
    }
  }

  // ---- charts: axes, lines and dots in SVG, log scales where asked ----
  function niceTicks(lo, hi, n) {
    if (!(hi > lo)) { hi = lo + 1; }
    const step0 = (hi - lo) / n;
    const mag = Math.pow(10, Math.floor(Math.log10(step0)));
    const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= step0) || 10 * mag;
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) out.push(+v.toPrecision(12));
    return out;
  }

  /**
   * Draws series [{x, y, kind: "line"|"dots", cls, label}] into the SVG element {@code e}.
   * opts: {logY, xLabel, yLabel, hlines: [{y, label, cls}], width, height}
   */
  function chart(e, series, opts) {
    const o = opts || {};
    const W = o.width || 560, H = o.height || 320, L = 64, R = 16, T = 16, B = 44;
    while (e.firstChild) e.removeChild(e.firstChild);
    e.setAttribute("viewBox", "0 0 " + W + " " + H);
    e.setAttribute("width", W);
    e.setAttribute("height", H);
    const fy = (v) => (o.logY ? Math.log10(v) : v);
    const xs = [], ys = [];
    for (const s of series) {
      for (let i = 0; i < s.x.length; i++) {
        const y = fy(s.y[i]);
        if (isFinite(s.x[i]) && isFinite(y)) { xs.push(s.x[i]); ys.push(y); }
      }
    }
    for (const h of o.hlines || []) if (isFinite(fy(h.y))) ys.push(fy(h.y));
    if (!xs.length) { e.append(svg("text", {x: W / 2, y: H / 2, "text-anchor": "middle"}, o.empty || "")); return; }
    let x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    if (x1 === x0) { x0 -= 1; x1 += 1; }
    if (y1 === y0) { y0 -= 1; y1 += 1; }
    const pad = (y1 - y0) * 0.05; y0 -= pad; y1 += pad;
    const px = (v) => L + (v - x0) / (x1 - x0) * (W - L - R);
    const py = (v) => T + (1 - (fy(v) - y0) / (y1 - y0)) * (H - T - B);
    const axes = svg("g", {class: "axes"});
    axes.append(svg("line", {x1: L, y1: H - B, x2: W - R, y2: H - B}), svg("line", {x1: L, y1: T, x2: L, y2: H - B}));
    for (const v of niceTicks(x0, x1, 6)) {
      axes.append(svg("line", {x1: px(v), y1: H - B, x2: px(v), y2: H - B + 4}));
      axes.append(svg("text", {x: px(v), y: H - B + 16, "text-anchor": "middle"}, String(v)));
    }
    const yt = o.logY ? niceTicks(Math.floor(y0), Math.ceil(y1), 6).filter((v) => Number.isInteger(v) && v >= y0 && v <= y1)
      : niceTicks(y0, y1, 6);
    for (const v of yt) {
      const yy = o.logY ? T + (1 - (v - y0) / (y1 - y0)) * (H - T - B) : py(v);
      axes.append(svg("line", {x1: L - 4, y1: yy, x2: L, y2: yy}));
      axes.append(svg("text", {x: L - 6, y: yy + 4, "text-anchor": "end"}, o.logY ? "1e" + v : String(v)));
    }
    if (o.xLabel) axes.append(svg("text", {x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle"}, o.xLabel));
    if (o.yLabel) axes.append(svg("text", {x: 12, y: (T + H - B) / 2, "text-anchor": "middle",
      transform: "rotate(-90 12 " + (T + H - B) / 2 + ")"}, o.yLabel));
    e.append(axes);
    for (const h of o.hlines || []) {
      if (!isFinite(fy(h.y))) continue;
      e.append(svg("line", {x1: L, x2: W - R, y1: py(h.y), y2: py(h.y), class: "hline " + (h.cls || "")}));
      e.append(svg("text", {x: W - R - 4, y: py(h.y) - 4, "text-anchor": "end", class: "hlabel"}, h.label || ""));
    }
    let ly = T + 4;
    for (const s of series) {
      const g = svg("g", {class: "series " + (s.cls || "")});
      if (s.kind === "dots") {
        for (let i = 0; i < s.x.length; i++) {
          if (isFinite(s.x[i]) && isFinite(fy(s.y[i]))) g.append(svg("circle", {cx: px(s.x[i]), cy: py(s.y[i]), r: 2.5}));
        }
      } else {
        let d = "";
        for (let i = 0; i < s.x.length; i++) {
          if (!(isFinite(s.x[i]) && isFinite(fy(s.y[i])))) { continue; }
          d += (d ? "L" : "M") + px(s.x[i]).toFixed(1) + "," + py(s.y[i]).toFixed(1);
        }
        g.append(svg("path", {d, fill: "none"}));
        if (s.marks) for (let i = 0; i < s.x.length; i++) {
          if (isFinite(fy(s.y[i]))) g.append(svg("circle", {cx: px(s.x[i]), cy: py(s.y[i]), r: 3}));
        }
      }
      if (s.label) {
        g.append(svg("rect", {x: W - R - 150, y: ly - 8, width: 14, height: 4, class: "key"}));
        g.append(svg("text", {x: W - R - 130, y: ly, class: "keytext"}, s.label));
        ly += 16;
      }
      e.append(g);
    }
  }

  return {get lang() { return lang; }, t, el, svg, setState, init, api, num, numCell, table, texName, exprTex, numTex, math, chart, params, translate};
})();
