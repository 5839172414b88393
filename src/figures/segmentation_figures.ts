/**
 * Figures of notebook 09 (chunkers, the Shift Splitter's parameters, chunked retrieval). Bars over named categories (a
 * benchmark, a chunker, a length tercile) side by side in panels, one colour per series across panels, and optional dashed
 * reference marks (the paper's numbers) drawn in the colour of the series they belong to. Plain plotly specs for saveFigure().
 */
import type { PlotlyFigure } from "./render";
import type { Panel } from "./panel_charts";
import { PALETTE, panelPlace, panelTitle } from "./style";

export interface CategoryPanel {
  title: string;
  categories: string[];
  /** one bar series per name; y[i] belongs to categories[i] */
  series: { name: string; y: number[]; text?: string[] }[];
  /** dashed marks across the panel, e.g. the paper's value for one series */
  references?: { name: string; y: number; colourOf: string }[];
}

/** Grouped bars per panel; a series keeps its colour in every panel and appears once in the legend. */
export function categoryBarPanels(
  title: string,
  panels: CategoryPanel[],
  options: { yTitle: string | string[]; yRange?: [number, number] },
): PlotlyFigure {
  const names = [...new Set(panels.flatMap((p) => p.series.map((s) => s.name)))];
  const colour = (name: string) => PALETTE[Math.max(0, names.indexOf(name)) % PALETTE.length];
  const layout: Record<string, unknown> = {
    title: { text: title },
    template: "plotly_white",
    barmode: "group",
    legend: { orientation: "h", y: -0.2 },
    margin: { l: 70, r: 20, t: 80, b: 90 },
    annotations: [] as object[],
  };
  const data: object[] = [];
  const shown = new Set<string>();
  panels.forEach((panel, p) => {
    const { suffix, start, width, axes } = panelPlace(p, panels.length);
    const yTitle = Array.isArray(options.yTitle) ? options.yTitle[p] : p === 0 ? options.yTitle : "";
    layout[`xaxis${suffix}`] = { domain: [start, start + width], anchor: `y${suffix}`, type: "category" };
    layout[`yaxis${suffix}`] = {
      anchor: `x${suffix}`,
      title: { text: yTitle },
      ...(options.yRange ? { range: options.yRange } : {}),
    };
    (layout.annotations as object[]).push(panelTitle(panel.title, start, width));
    for (const s of panel.series) {
      data.push({
        type: "bar",
        name: s.name,
        legendgroup: s.name,
        showlegend: !shown.has(s.name),
        ...axes,
        x: panel.categories,
        y: s.y,
        text: s.text,
        marker: { color: colour(s.name) },
      });
      shown.add(s.name);
    }
    for (const ref of panel.references ?? []) {
      const key = `ref:${ref.name}`;
      data.push({
        type: "scatter",
        mode: "lines",
        name: ref.name,
        legendgroup: key,
        showlegend: !shown.has(key),
        ...axes,
        x: [panel.categories[0], panel.categories[panel.categories.length - 1]],
        y: [ref.y, ref.y],
        line: { color: colour(ref.colourOf), dash: "dash", width: 1.5 },
        hoverinfo: "name+y",
      });
      shown.add(key);
    }
  });
  return { data, layout };
}

interface MeanScore {
  method: string;
  f1: number;
  pk: number;
  windowDiff: number;
}

/** Panels F1, Pk and WindowDiff; bars: chunkers per benchmark; dashed: the paper's F1 and Pk per chunker (secondary source). */
export function chunkerComparisonFigure(
  title: string,
  benchmarks: { benchmark: string; scores: readonly MeanScore[] }[],
  paper: Record<string, { f1: number; pk: number }>,
): PlotlyFigure {
  const methods = [...new Set(benchmarks.flatMap((b) => b.scores.map((s) => s.method)))];
  const panel = (measure: "f1" | "pk" | "windowDiff", label: string): CategoryPanel => ({
    title: label,
    categories: benchmarks.map((b) => b.benchmark),
    series: methods.map((method) => ({
      name: method,
      y: benchmarks.map((b) => b.scores.find((s) => s.method === method)?.[measure] ?? NaN),
    })),
    references:
      measure === "windowDiff"
        ? []
        : Object.entries(paper).map(([method, values]) => ({
            name: `paper: ${method}`,
            y: values[measure],
            colourOf: method,
          })),
  });
  return categoryBarPanels(
    title,
    [
      panel("f1", "boundary F1 (higher is better)"),
      panel("pk", "Pk (lower is better)"),
      panel("windowDiff", "WindowDiff (lower is better)"),
    ],
    { yTitle: ["F1", "Pk", "WindowDiff"], yRange: [0, 1] },
  );
}

/** One panel per benchmark, F1 and Pk against a parameter's value (rows from sweepShiftSplitter). */
export function sweepPanels(
  rows: readonly { benchmark: string; value: number; f1: number; pk: number; meanChunkSentences: number }[],
): Panel[] {
  return [...new Set(rows.map((r) => r.benchmark))].map((benchmark) => {
    const own = rows.filter((r) => r.benchmark === benchmark);
    const text = own.map((r) => `mean chunk ${r.meanChunkSentences.toFixed(1)} sentences`);
    return {
      title: benchmark,
      series: [
        { name: "boundary F1", x: own.map((r) => r.value), y: own.map((r) => r.f1), text },
        { name: "Pk", x: own.map((r) => r.value), y: own.map((r) => r.pk), text },
      ],
    };
  });
}

/** Recall@k per retrieval unit: over all queries, by document-length tercile and by document-Shift tercile. */
export function retrievalFigure(
  title: string,
  k: number,
  overall: readonly { unit: string; recall: number }[],
  byLength: readonly { unit: string; range: string; recall: number }[],
  byShift: readonly { unit: string; range: string; recall: number }[],
): PlotlyFigure {
  const units = overall.map((o) => o.unit);
  const binned = (rows: readonly { unit: string; range: string; recall: number }[], what: string): CategoryPanel => {
    const ranges = [...new Set(rows.map((r) => r.range))];
    return {
      title: `by ${what} tercile`,
      categories: ranges,
      series: units.map((unit) => ({
        name: unit,
        y: ranges.map((range) => rows.find((r) => r.unit === unit && r.range === range)?.recall ?? NaN),
      })),
    };
  };
  return categoryBarPanels(
    title,
    [
      { title: "all queries", categories: ["all"], series: overall.map((o) => ({ name: o.unit, y: [o.recall] })) },
      binned(byLength, "length (sentences)"),
      binned(byShift, "Shift (Local · Disp)"),
    ],
    { yTitle: `Recall@${k}`, yRange: [0, 1.05] },
  );
}
