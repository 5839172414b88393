import { test } from "node:test";
import assert from "node:assert/strict";
import { heatmapPanelsChart, panelChart } from "./panel_charts";

test("panels share colours and the legend; references are drawn in every panel", () => {
  const fig = panelChart(
    "Overlap@1",
    [
      {
        title: "arxiv",
        series: [
          { name: "repeat", x: [1, 8], y: [1, 1] },
          { name: "random", x: [1, 8], y: [1, 0.6] },
        ],
      },
      {
        title: "brown",
        series: [
          { name: "random", x: [1, 8], y: [1, 0.7] },
          { name: "repeat", x: [1, 8], y: [1, 0.9] },
        ],
      },
    ],
    {
      kind: "bars",
      xTitle: "k",
      yTitle: "Overlap@1",
      yRange: [0, 1.05],
      references: [{ name: "paper: random", y: 0.57, colourOf: "random" }],
    },
  );
  const traces = fig.data as Record<string, any>[];
  assert.equal(traces.length, 6);
  const colourOf = (t: Record<string, any>) => t.marker?.color ?? t.line?.color;
  const random = traces.filter((t) => t.name === "random");
  assert.equal(colourOf(random[0]), colourOf(random[1]));
  assert.deepEqual(
    random.map((t) => t.showlegend),
    [true, false],
  );
  assert.deepEqual(
    random.map((t) => t.xaxis),
    ["x", "x2"],
  );
  assert.deepEqual(random[0].x, ["1", "8"]); // bars: k as categories
  const references = traces.filter((t) => t.name === "paper: random");
  assert.equal(references.length, 2);
  assert.deepEqual(references[1].y, [0.57, 0.57]);
  assert.equal(references[0].line.color, colourOf(random[0]));
  const layout = fig.layout as Record<string, any>;
  assert.deepEqual(layout.yaxis2.range, [0, 1.05]);
  assert.equal(layout.xaxis2.type, "category");
  assert.deepEqual(
    layout.annotations.map((a: any) => a.text),
    ["<b>arxiv</b>", "<b>brown</b>"],
  );
  assert.ok(layout.xaxis.domain[1] < layout.xaxis2.domain[0]);
});

test("heatmap panels: one colour scale, values written in the cells", () => {
  const fig = heatmapPanelsChart(
    "r",
    [
      { title: "raw", z: [[0.5, NaN]], xLabels: ["arxiv", "bbc"], yLabels: ["mini"] },
      { title: "partial", z: [[0.25, -0.125]], xLabels: ["arxiv", "bbc"], yLabels: ["mini"] },
    ],
    { zmin: -1, zmax: 1 },
  );
  const traces = fig.data as Record<string, any>[];
  assert.deepEqual(
    traces.map((t) => t.showscale),
    [false, true],
  );
  assert.deepEqual(traces[0].text, [["0.50", "n/a"]]);
  assert.deepEqual(traces[1].text, [["0.25", "-0.13"]]);
  assert.deepEqual(
    traces.map((t) => [t.zmin, t.zmax]),
    [
      [-1, 1],
      [-1, 1],
    ],
  );
});

test("a log x axis is labelled at the panel's own x values", () => {
  const fig = panelChart(
    "MPD",
    [
      {
        title: "a",
        series: [
          { name: "repeat", x: [8, 1, 2], y: [0.5, 0.4, 0.3] },
          { name: "random", x: [4, 1], y: [0.2, 0.1] },
        ],
      },
    ],
    {
      kind: "lines",
      xTitle: "k",
      yTitle: "MPD",
      logX: true,
    },
  );
  const layout = fig.layout as Record<string, any>;
  assert.equal(layout.xaxis.type, "log");
  assert.deepEqual(layout.xaxis.tickvals, [1, 2, 4, 8]);
});
