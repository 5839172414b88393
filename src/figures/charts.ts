/**
 * Builders for the few chart shapes the notebooks use, so a notebook cell says what it plots, not how.
 * Each returns a plain plotly figure spec; pass it to saveFigure().
 */
import type { PlotlyFigure } from "./render";

export interface Series {
  name: string;
  x: number[];
  y: number[];
  /** hover text per point */
  text?: string[];
}

const baseLayout = (title: string, xTitle: string, yTitle: string) => ({
  title: { text: title },
  xaxis: { title: { text: xTitle } },
  yaxis: { title: { text: yTitle } },
  template: "plotly_white",
  legend: { orientation: "h", y: -0.2 },
});

export function scatterChart(title: string, xTitle: string, yTitle: string, series: Series[]): PlotlyFigure {
  return {
    data: series.map((s) => ({ type: "scatter", mode: "markers", name: s.name, x: s.x, y: s.y, text: s.text, marker: { size: 6, opacity: 0.7 } })),
    layout: baseLayout(title, xTitle, yTitle),
  };
}

export function lineChart(title: string, xTitle: string, yTitle: string, series: Series[], options: { logX?: boolean } = {}): PlotlyFigure {
  const layout = baseLayout(title, xTitle, yTitle);
  if (options.logX) (layout.xaxis as Record<string, unknown>).type = "log";
  return {
    data: series.map((s) => ({ type: "scatter", mode: "lines+markers", name: s.name, x: s.x, y: s.y, text: s.text })),
    layout,
  };
}

/** A scatter with an added curve (e.g. a theoretical prediction) drawn as a line. */
export function scatterWithCurve(title: string, xTitle: string, yTitle: string, points: Series[], curve: Series): PlotlyFigure {
  const fig = scatterChart(title, xTitle, yTitle, points);
  fig.data.push({ type: "scatter", mode: "lines", name: curve.name, x: curve.x, y: curve.y, line: { color: "black", dash: "dash" } });
  return fig;
}

export function heatmapChart(title: string, z: number[][], xLabels: string[], yLabels: string[], options: { zmin?: number; zmax?: number; colorscale?: string; showValues?: boolean } = {}): PlotlyFigure {
  const { zmin, zmax, colorscale = "RdBu", showValues = true } = options;
  return {
    data: [
      {
        type: "heatmap",
        z,
        x: xLabels,
        y: yLabels,
        zmin,
        zmax,
        colorscale,
        reversescale: colorscale === "RdBu",
        text: showValues ? z.map((r) => r.map((v) => (Number.isFinite(v) ? v.toFixed(2) : ""))) : undefined,
        texttemplate: showValues ? "%{text}" : undefined,
      },
    ],
    layout: { title: { text: title }, template: "plotly_white", yaxis: { autorange: "reversed" } },
  };
}

export interface Bars {
  name: string;
  x: string[];
  y: number[];
}

export function groupedBarChart(title: string, xTitle: string, yTitle: string, bars: Bars[]): PlotlyFigure {
  return {
    data: bars.map((b) => ({ type: "bar", name: b.name, x: b.x, y: b.y })),
    layout: { ...baseLayout(title, xTitle, yTitle), barmode: "group" },
  };
}

export function histogramChart(title: string, xTitle: string, series: { name: string; values: number[] }[]): PlotlyFigure {
  return {
    data: series.map((s) => ({ type: "histogram", name: s.name, x: s.values, opacity: 0.6 })),
    layout: { ...baseLayout(title, xTitle, "count"), barmode: "overlay" },
  };
}
