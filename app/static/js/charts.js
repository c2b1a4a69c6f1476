// The runtime distribution chart (uPlot): accepted runtimes as a histogram on a log axis, with
// the submission's and the reference's medians marked.
import uPlot from "dojo/vendor/uplot";

function cssVar(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function formatMs(ms) {
  if (ms == null) return "";
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}

function markerPlugin(markers) {
  return {
    hooks: {
      draw: [
        (u) => {
          const { ctx } = u;
          const { top, height } = u.bbox;
          ctx.save();
          for (const marker of markers) {
            if (marker.value == null) continue;
            const x = Math.round(u.valToPos(marker.value, "x", true));
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
            ctx.strokeStyle = marker.color;
            ctx.lineWidth = 2 * devicePixelRatio;
            ctx.setLineDash(marker.dash || []);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            ctx.setLineDash([]);
            ctx.fillStyle = marker.color;
            ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
            ctx.textAlign = x > u.bbox.left + u.bbox.width * 0.8 ? "right" : "left";
            const pad = 4 * devicePixelRatio * (ctx.textAlign === "right" ? -1 : 1);
            ctx.fillText(marker.label, x + pad, top + (marker.row || 1) * 13 * devicePixelRatio);
          }
          ctx.restore();
        },
      ],
    },
  };
}

function drawRuntimeChart(el) {
  let data;
  try {
    data = JSON.parse(el.dataset.runtimeChart);
  } catch {
    return;
  }
  const hist = data.hist || { x: [], y: [] };
  if (!hist.x.length) {
    el.innerHTML = '<p class="small muted">No accepted submissions to compare with yet.</p>';
    return;
  }
  const accent = cssVar("--accent", "#4c4fd8");
  const ok = cssVar("--ok", "#1a7f37");
  const muted = cssVar("--muted", "#596273");
  const grid = cssVar("--border", "#dce1e8");
  const xs = hist.x;
  const mine = data.mine_ms;
  const reference = data.reference_ms;
  const lo = Math.min(xs[0], mine ?? xs[0], reference ?? xs[0]) / 1.3;
  const hi = Math.max(xs[xs.length - 1], mine ?? 0, reference ?? 0) * 1.3;
  const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  const width = () => Math.max(240, el.clientWidth);
  const options = {
    width: width(),
    height: 200,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: {
      x: { time: false, distr: 3, range: () => [lo, hi] },
      y: { range: (u, min, max) => [0, Math.max(1, max) * 1.15] },
    },
    axes: [
      { ...axis, values: (u, ticks) => ticks.map(formatMs), size: 34 },
      { ...axis, size: 36, label: "submissions", labelSize: 14, values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? t : "")) },
    ],
    series: [
      {},
      {
        label: "accepted",
        stroke: accent,
        fill: `color-mix(in srgb, ${accent} 35%, transparent)`,
        width: 1,
        paths: uPlot.paths.bars({ size: [0.9, 40], align: 0 }),
        points: { show: false },
      },
    ],
    plugins: [
      markerPlugin([
        { value: mine, color: ok, label: `you ${formatMs(mine) || "–"}`, row: 1 },
        { value: reference, color: muted, label: `reference ${formatMs(reference) || "–"}`, dash: [5, 4], row: 2.2 },
      ]),
    ],
  };
  el.innerHTML = "";
  // Empty bins are gaps, not zero-height bars.
  const counts = hist.y.map((c) => (c > 0 ? c : null));
  const plot = new uPlot(options, [xs, counts], el);
  if (window.ResizeObserver) {
    new ResizeObserver(() => plot.setSize({ width: width(), height: 200 })).observe(el);
  }
}

export function initCharts(root = document) {
  root.querySelectorAll("[data-runtime-chart]").forEach(drawRuntimeChart);
}
