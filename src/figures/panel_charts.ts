/**
 * Small multiples: the same chart drawn once per panel (e.g. one per corpus) side by side, sharing colours and one legend, so a
 * series (e.g. a construction mode) keeps its colour in every panel. Plain plotly specs for saveFigure(), like charts.ts.
 */
import type { PlotlyFigure } from "./render";
import { PALETTE, panelPlace, panelTitle, type Series } from "./style";

export interface Panel {
  title: string;
  series: Series[];
}

export interface PanelChartOptions {
  kind: "lines" | "markers" | "bars";
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  /** y range shared by all panels, e.g. [0, 1.05] for a fraction */
  yRange?: [number, number];
  /** dashed horizontal reference lines drawn in every panel, e.g. a paper's values; colour follows the series of that name */
  references?: { name: string; y: number; colourOf?: string }[];
}

/** One panel per entry, side by side; a series name keeps its colour across panels and appears once in the legend. */
export function panelChart(title: string, panels: Panel[], options: PanelChartOptions): PlotlyFigure {
  const names = [...new Set(panels.flatMap((p) => p.series.map((s) => s.name)))];
  const colour = (name: string) => PALETTE[Math.max(0, names.indexOf(name)) % PALETTE.length];
  const layout: Record<string, unknown> = {
    title: { text: title },
    template: "plotly_white",
    legend: { orientation: "h", y: -0.22 },
    margin: { l: 70, r: 20, t: 80, b: 90 },
    barmode: "group",
    annotations: [] as object[],
  };
  const data: object[] = [];
  const shown = new Set<string>();
  panels.forEach((panel, p) => {
    const { suffix, start, width, axes } = panelPlace(p, panels.length);
    const xaxis: Record<string, unknown> = {
      domain: [start, start + width],
      anchor: `y${suffix}`,
      title: { text: options.xTitle },
    };
    if (options.logX) {
      // label the x values themselves (k = 1, 2, 4, 8 …), not plotly's log-axis minor ticks
      xaxis.type = "log";
      xaxis.tickvals = [...new Set(panel.series.flatMap((s) => s.x))].sort((a, b) => a - b);
    }
    if (options.kind === "bars") xaxis.type = "category";
    const yaxis: Record<string, unknown> = { anchor: `x${suffix}`, title: { text: p === 0 ? options.yTitle : "" } };
    if (options.yRange) yaxis.range = options.yRange;
    layout[`xaxis${suffix}`] = xaxis;
    layout[`yaxis${suffix}`] = yaxis;
    (layout.annotations as object[]).push(panelTitle(panel.title, start, width));
    for (const s of panel.series) {
      const common = { name: s.name, legendgroup: s.name, showlegend: !shown.has(s.name), ...axes, text: s.text };
      shown.add(s.name);
      if (options.kind === "bars")
        data.push({ ...common, type: "bar", x: s.x.map(String), y: s.y, marker: { color: colour(s.name) } });
      else {
        data.push({
          ...common,
          type: "scatter",
          mode: options.kind === "lines" ? "lines+markers" : "markers",
          x: s.x,
          y: s.y,
          marker: {
            color: colour(s.name),
            size: options.kind === "lines" ? 7 : 6,
            opacity: options.kind === "lines" ? 1 : 0.65,
          },
          line: { color: colour(s.name) },
        });
      }
    }
    for (const ref of options.references ?? []) {
      const xs = panel.series.flatMap((s) => s.x);
      if (xs.length === 0) continue;
      const x = options.kind === "bars" ? [...new Set(xs.map(String))] : [Math.min(...xs), Math.max(...xs)];
      const key = `ref:${ref.name}`;
      data.push({
        type: "scatter",
        mode: "lines",
        name: ref.name,
        legendgroup: key,
        showlegend: !shown.has(key),
        ...axes,
        x,
        y: x.map(() => ref.y),
        line: { color: colour(ref.colourOf ?? ref.name), dash: "dash", width: 1.5 },
        hoverinfo: "name+y",
      });
      shown.add(key);
    }
  });
  return { data, layout };
}

export interface HeatmapPanel {
  title: string;
  /** z[row][column] */
  z: number[][];
  xLabels: string[];
  yLabels: string[];
}

/** Heatmaps side by side on one colour scale (values written in the cells), e.g. raw and partial correlations. */
export function heatmapPanelsChart(
  title: string,
  panels: HeatmapPanel[],
  options: { zmin: number; zmax: number; colorscale?: string; colorbarTitle?: string },
): PlotlyFigure {
  const colorscale = options.colorscale ?? "RdBu";
  const layout: Record<string, unknown> = {
    title: { text: title },
    template: "plotly_white",
    margin: { l: 160, r: 20, t: 80, b: 90 },
    annotations: [] as object[],
  };
  const data: object[] = [];
  panels.forEach((panel, p) => {
    const { suffix, start, width, axes } = panelPlace(p, panels.length);
    layout[`xaxis${suffix}`] = { domain: [start, start + width], anchor: `y${suffix}`, tickangle: -30 };
    layout[`yaxis${suffix}`] = { anchor: `x${suffix}`, autorange: "reversed", showticklabels: p === 0 };
    (layout.annotations as object[]).push(panelTitle(panel.title, start, width));
    data.push({
      type: "heatmap",
      z: panel.z,
      x: panel.xLabels,
      y: panel.yLabels,
      ...axes,
      zmin: options.zmin,
      zmax: options.zmax,
      colorscale,
      reversescale: colorscale === "RdBu",
      showscale: p === panels.length - 1,
      colorbar: options.colorbarTitle ? { title: { text: options.colorbarTitle } } : undefined,
      text: panel.z.map((r) => r.map((v) => (Number.isFinite(v) ? v.toFixed(2) : "n/a"))),
      texttemplate: "%{text}",
    });
  });
  return { data, layout };
}
