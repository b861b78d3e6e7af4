/* Dataset charts: small SVG line and bar charts, no dependencies.
 *
 * The page embeds the data with Django's json_script (<script id="chart-data"
 * type="application/json">); each <div class="chart-canvas" data-chart="KEY">
 * gets the chart of that key. Every chart has a table alternative in the page,
 * so the SVG is decoration for sighted readers (aria-hidden on its container).
 * A value known only as a range (suppressed figures) is drawn as a solid part
 * up to its lower bound and a hatched part up to its upper bound.
 */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function text(parent, x, y, content, attrs) {
    var node = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    node.textContent = content;
    return node;
  }

  function fmt(value, unit) {
    var rounded = unit === "%" ? Math.round(value * 10) / 10 : Math.round(value);
    return rounded.toLocaleString("en-GB") + (unit === "%" ? "%" : "");
  }

  function label(item, unit) {
    return item.low === item.high ? fmt(item.low, unit) : fmt(item.low, unit) + "–" + fmt(item.high, unit);
  }

  function niceMax(value) {
    if (value <= 0) { return 1; }
    var step = Math.pow(10, Math.floor(Math.log10(value)));
    var scaled = value / step;
    var nice = scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10;
    return nice * step;
  }

  function svgFor(container, width, height) {
    var svg = el("svg", {
      viewBox: "0 0 " + width + " " + height,
      width: "100%",
      preserveAspectRatio: "xMinYMin meet",
      class: "chart-svg",
      focusable: "false"
    });
    var defs = el("defs", {}, svg);
    var pattern = el("pattern", { id: "hatch-" + container.dataset.chart, width: 6, height: 6,
      patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, defs);
    el("rect", { width: 6, height: 6, fill: "#dbe5f3" }, pattern);
    el("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#1f4e8c", "stroke-width": 2 }, pattern);
    container.appendChild(svg);
    return svg;
  }

  function lineChart(container, chart) {
    var points = chart.items || [];
    if (!points.length) { container.textContent = "No data."; return; }
    var width = 640, height = 280, left = 64, right = 24, top = 20, bottom = 40;
    var svg = svgFor(container, width, height);
    var max = niceMax(Math.max.apply(null, points.map(function (p) { return p.high; })));
    var plotW = width - left - right, plotH = height - top - bottom;
    var x = function (i) { return left + (points.length === 1 ? plotW / 2 : (i * plotW) / (points.length - 1)); };
    var y = function (v) { return top + plotH - (v / max) * plotH; };
    for (var t = 0; t <= 4; t++) {
      var value = (max * t) / 4;
      el("line", { x1: left, x2: width - right, y1: y(value), y2: y(value), class: "chart-grid" }, svg);
      text(svg, left - 8, y(value) + 4, fmt(value, chart.unit), { "text-anchor": "end", class: "chart-axis" });
    }
    var path = points.map(function (p, i) { return x(i) + "," + y((p.low + p.high) / 2); }).join(" ");
    el("polyline", { points: path, class: "chart-line", fill: "none" }, svg);
    points.forEach(function (p, i) {
      if (p.low !== p.high) {
        el("line", { x1: x(i), x2: x(i), y1: y(p.low), y2: y(p.high), class: "chart-range" }, svg);
      }
      el("circle", { cx: x(i), cy: y((p.low + p.high) / 2), r: 4, class: "chart-point" }, svg);
      text(svg, x(i), y(p.high) - 8, label(p, chart.unit), { "text-anchor": "middle", class: "chart-value" });
      text(svg, x(i), height - bottom + 18, p.label, { "text-anchor": "middle", class: "chart-axis" });
    });
  }

  function barChart(container, chart) {
    var bars = chart.items || [];
    if (!bars.length) { container.textContent = "No data."; return; }
    var rowH = 24, left = 170, right = 90, top = 8;
    var width = 640, height = top * 2 + bars.length * rowH;
    var svg = svgFor(container, width, height);
    var max = chart.unit === "%" ? Math.min(100, niceMax(Math.max.apply(null, bars.map(function (b) { return b.high; })))) :
      niceMax(Math.max.apply(null, bars.map(function (b) { return b.high; })));
    var plotW = width - left - right;
    var scale = function (v) { return (v / max) * plotW; };
    bars.forEach(function (bar, i) {
      var y = top + i * rowH;
      var name = bar.label.length > 24 ? bar.label.slice(0, 23) + "…" : bar.label;
      text(svg, left - 8, y + rowH / 2 + 4, name, { "text-anchor": "end", class: "chart-axis" });
      el("rect", { x: left, y: y + 4, width: Math.max(scale(bar.low), 0), height: rowH - 8, class: "chart-bar" }, svg);
      if (bar.high > bar.low) {
        el("rect", { x: left + scale(bar.low), y: y + 4, width: scale(bar.high - bar.low), height: rowH - 8,
          fill: "url(#hatch-" + container.dataset.chart + ")", class: "chart-bar-range" }, svg);
      }
      text(svg, left + scale(bar.high) + 6, y + rowH / 2 + 4, label(bar, chart.unit), { class: "chart-value" });
    });
  }

  function draw() {
    var source = document.getElementById("chart-data");
    if (!source) { return; }
    var charts;
    try { charts = JSON.parse(source.textContent); } catch (e) { return; }
    document.querySelectorAll(".chart-canvas[data-chart]").forEach(function (container) {
      var chart = charts[container.dataset.chart];
      if (!chart) { return; }
      container.textContent = "";
      (chart.kind === "line" ? lineChart : barChart)(container, chart);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
