// MathJax's settings, read by MathJax when it loads (served from the jar, not a CDN).
window.MathJax = {
  tex: {inlineMath: [], displayMath: [["\\[", "\\]"]]},
  svg: {fontCache: "global"},
  startup: {typeset: false},
  options: {enableMenu: false}
};
