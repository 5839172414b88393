/**
 * One look for every figure: the palette, the series shape the chart builders take, and where side-by-side panels sit.
 * charts.ts and panel_charts.ts build figures from these; experiment code never picks colours.
 */

/** plotly's default qualitative palette; a series keeps its colour by its position in a figure's list of names */
export const PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

export interface Series {
  name: string;
  x: number[];
  y: number[];
  /** hover text per point */
  text?: string[];
}

const GAP = 0.06;

export interface PanelPlace {
  /** plotly's axis suffix: "" for the first panel, then "2", "3", … */
  suffix: string;
  /** the panel's x domain on the paper, [start, start + width] */
  start: number;
  width: number;
  /** the axes a trace of this panel is drawn on */
  axes: { xaxis: string; yaxis: string };
}

/** Where panel `index` of `count` panels side by side sits (equal widths, `gap` between them). */
export function panelPlace(index: number, count: number, gap = GAP): PanelPlace {
  const width = (1 - gap * (count - 1)) / count;
  const suffix = index === 0 ? "" : String(index + 1);
  return { suffix, start: index * (width + gap), width, axes: { xaxis: `x${suffix}`, yaxis: `y${suffix}` } };
}

/** A panel's title, bold and centred above it (plotly has no per-subplot title: a paper-anchored annotation). */
export function panelTitle(title: string, start: number, width: number): object {
  const place = { x: start + width / 2, y: 1, xref: "paper", yref: "paper", xanchor: "center", yanchor: "bottom" };
  return { text: `<b>${title}</b>`, ...place, showarrow: false };
}
