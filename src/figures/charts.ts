/**
 * Builders for the few chart shapes the notebooks use, so a notebook cell says what it plots, not how.
 * Each returns a plain plotly figure spec; pass it to saveFigure().
 */
import type { PlotlyFigure } from "./render";
import { PALETTE, panelPlace, type Series } from "./style";

export type { Series } from "./style";

const baseLayout = (title: string, xTitle: string, yTitle: string) => ({
  title: { text: title },
  xaxis: { title: { text: xTitle }, automargin: true },
  yaxis: { title: { text: yTitle }, automargin: true },
  template: "plotly_white",
  legend: { orientation: "h", y: -0.2 },
});

export function scatterChart(title: string, xTitle: string, yTitle: string, series: Series[]): PlotlyFigure {
  return {
    data: series.map((s) => ({
      type: "scatter",
      mode: "markers",
      name: s.name,
      x: s.x,
      y: s.y,
      text: s.text,
      marker: { size: 6, opacity: 0.7 },
    })),
    layout: baseLayout(title, xTitle, yTitle),
  };
}

export function lineChart(
  title: string,
  xTitle: string,
  yTitle: string,
  series: Series[],
  options: { logX?: boolean } = {},
): PlotlyFigure {
  const layout = baseLayout(title, xTitle, yTitle);
  if (options.logX) (layout.xaxis as Record<string, unknown>).type = "log";
  return {
    data: series.map((s) => ({ type: "scatter", mode: "lines+markers", name: s.name, x: s.x, y: s.y, text: s.text })),
    layout,
  };
}

/** A scatter with an added curve (e.g. a theoretical prediction) drawn as a line. */
export function scatterWithCurve(
  title: string,
  xTitle: string,
  yTitle: string,
  points: Series[],
  curve: Series,
): PlotlyFigure {
  const fig = scatterChart(title, xTitle, yTitle, points);
  fig.data.push({
    type: "scatter",
    mode: "lines",
    name: curve.name,
    x: curve.x,
    y: curve.y,
    line: { color: "black", dash: "dash" },
  });
  return fig;
}

export function heatmapChart(
  title: string,
  z: number[][],
  xLabels: string[],
  yLabels: string[],
  options: { zmin?: number; zmax?: number; colorscale?: string; showValues?: boolean } = {},
): PlotlyFigure {
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
    // automargin: long text labels (sentences, model names) must not be clipped
    layout: {
      title: { text: title },
      template: "plotly_white",
      xaxis: { automargin: true },
      yaxis: { autorange: "reversed", automargin: true },
    },
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

export function histogramChart(
  title: string,
  xTitle: string,
  series: { name: string; values: number[] }[],
): PlotlyFigure {
  return {
    data: series.map((s) => ({ type: "histogram", name: s.name, x: s.values, opacity: 0.6 })),
    layout: { ...baseLayout(title, xTitle, "count"), barmode: "overlay" },
  };
}

export interface BoxGroup {
  name: string;
  values: number[];
  /** hover text per value */
  text?: string[];
}

export interface BoxPanel {
  yTitle: string;
  groups: BoxGroup[];
}

/**
 * Box plots side by side, one panel per measure (e.g. Local, Disp, Shift), one box per group (e.g. corpus) with every value
 * drawn as a jittered point beside it. A group keeps its colour across panels.
 */
export function boxPanelsChart(
  title: string,
  panels: BoxPanel[],
  options: { showPoints?: boolean } = {},
): PlotlyFigure {
  const { showPoints = true } = options;
  const palette = PALETTE;
  const groupNames = [...new Set(panels.flatMap((p) => p.groups.map((g) => g.name)))];
  const colour = (name: string) => palette[groupNames.indexOf(name) % palette.length];
  const layout: Record<string, unknown> = {
    title: { text: title },
    template: "plotly_white",
    showlegend: false,
    margin: { l: 60, r: 20, t: 60, b: 80 },
  };
  const data: object[] = [];
  panels.forEach((panel, p) => {
    const { suffix, start, width, axes } = panelPlace(p, panels.length);
    layout[`xaxis${suffix}`] = { domain: [start, start + width], anchor: `y${suffix}`, tickangle: -30 };
    layout[`yaxis${suffix}`] = { title: { text: panel.yTitle }, anchor: `x${suffix}`, zeroline: false };
    for (const group of panel.groups) {
      data.push({
        type: "box",
        name: group.name,
        y: group.values,
        text: group.text,
        ...axes,
        boxpoints: showPoints ? "all" : "outliers",
        jitter: 0.4,
        pointpos: 0,
        marker: { color: colour(group.name), size: 3, opacity: 0.5 },
        line: { color: colour(group.name) },
        boxmean: true,
      });
    }
  });
  return { data, layout };
}

export interface LabeledPoint {
  label: string;
  x: number;
  y: number;
  /** symmetric error bar half-widths (e.g. a standard error), drawn when given */
  xError?: number;
  yError?: number;
}

/** A few named points (e.g. one per corpus), each labelled on the plot and in its own colour. */
export function labeledPointsChart(
  title: string,
  xTitle: string,
  yTitle: string,
  points: LabeledPoint[],
): PlotlyFigure {
  return {
    data: points.map((p) => ({
      type: "scatter",
      mode: "markers+text",
      name: p.label,
      x: [p.x],
      y: [p.y],
      text: [p.label],
      textposition: "top center",
      marker: { size: 11 },
      error_x: p.xError === undefined ? undefined : { type: "data", array: [p.xError], visible: true },
      error_y: p.yError === undefined ? undefined : { type: "data", array: [p.yError], visible: true },
    })),
    layout: { ...baseLayout(title, xTitle, yTitle), showlegend: false },
  };
}
