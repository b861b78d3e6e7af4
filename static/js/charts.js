/* Dataset charts: small SVG line and bar charts, no dependencies.
 *
 * The page embeds the data with Django's json_script (<script id="chart-data"
 * type="application/json">); each <div class="chart-canvas" data-chart="KEY">
 * gets the chart of that key. Every chart has a table alternative in the page,
 * so the SVG is decoration for sighted readers (aria-hidden on its container).
 * A value known only as a range (suppressed figures) is drawn as a solid part
 * up to its lower bound and a hatched part up to its upper bound.
 * A histogram (kind "histogram": response times) draws columns, hatches the
 * late ones (items with "late": true) and marks chart.limit with a dashed line
 * after that many columns, labelled, so nothing is told by colour alone.
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

  // Draw at the container's own width, so the text keeps its size in a narrow card.
  function widthOf(container) {
    return Math.max(320, Math.min(900, container.clientWidth || 640));
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
    var width = widthOf(container), height = 280, left = 64, right = 24, top = 20, bottom = 40;
    var svg = svgFor(container, width, height);
    var max = niceMax(Math.max.apply(null, points.map(function (p) { return p.high; })));
    var plotW = width - left - right, plotH = height - top - bottom;
    var inset = 32;  // keep the first and last points clear of the axis labels
    var x = function (i) {
      return left + (points.length === 1 ? plotW / 2 : inset + (i * (plotW - 2 * inset)) / (points.length - 1));
    };
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
    var width = widthOf(container), height = top * 2 + bars.length * rowH;
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

  function histogram(container, chart) {
    var bins = chart.items || [];
    if (!bins.length) { container.textContent = chart.note || "No data."; return; }
    var width = widthOf(container), height = 300, left = 48, right = 16, top = 44, bottom = 46;
    var svg = svgFor(container, width, height);
    var max = niceMax(Math.max.apply(null, bins.map(function (b) { return b.high; })));
    var plotW = width - left - right, plotH = height - top - bottom;
    var slot = plotW / bins.length, gap = Math.min(10, slot * 0.2);
    var y = function (v) { return top + plotH - (v / max) * plotH; };
    for (var t = 0; t <= 4; t++) {
      var value = (max * t) / 4;
      if (value !== Math.round(value)) { continue; }  // whole requests only
      el("line", { x1: left, x2: width - right, y1: y(value), y2: y(value), class: "chart-grid" }, svg);
      text(svg, left - 8, y(value) + 4, fmt(value, chart.unit), { "text-anchor": "end", class: "chart-axis" });
    }
    bins.forEach(function (bin, i) {
      var x = left + i * slot + gap / 2, w = slot - gap;
      var attrs = { x: x, y: y(bin.high), width: w, height: Math.max(top + plotH - y(bin.high), 0) };
      if (bin.late) {
        attrs.fill = "url(#hatch-" + container.dataset.chart + ")";
        attrs["class"] = "chart-bar-late";
      } else {
        attrs["class"] = "chart-bar";
      }
      el("rect", attrs, svg);
      if (bin.high > 0) {
        text(svg, x + w / 2, y(bin.high) - 6, fmt(bin.high, chart.unit), { "text-anchor": "middle", class: "chart-value" });
      }
      text(svg, x + w / 2, top + plotH + 18, bin.label, { "text-anchor": "middle", class: "chart-axis" });
    });
    el("line", { x1: left, x2: width - right, y1: top + plotH, y2: top + plotH, class: "chart-baseline" }, svg);
    if (chart.axis) {
      text(svg, left + plotW / 2, height - 6, chart.axis, { "text-anchor": "middle", class: "chart-axis" });
    }
    if (chart.limit && chart.limit.after > 0 && chart.limit.after < bins.length) {
      var lx = left + chart.limit.after * slot;
      el("line", { x1: lx, x2: lx, y1: top - 14, y2: top + plotH, class: "chart-limit" }, svg);
      text(svg, lx - 6, top - 20, chart.limit.label, { "text-anchor": "end", class: "chart-limit-label" });
      text(svg, lx + 6, top - 20, "late →", { "text-anchor": "start", class: "chart-limit-label" });
    }
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
      var drawer = chart.kind === "line" ? lineChart : chart.kind === "histogram" ? histogram : barChart;
      drawer(container, chart);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
