/** Figures of notebook 01 (Theorem 1, semantic dilution), from measureContextualDilution's results. */
import type { PlotlyFigure } from "./render";
import { PALETTE } from "./style";
import { theorem1Curve } from "../metrics/shift";
import type { TextDilution } from "../experiments/dilution";

/**
 * Scatter of contextual C_mean against the dilution coordinate, one colour per corpus, with Theorem 1's curve (where every
 * mean-pooled text lies exactly, whatever its k). Hover text: the text id, k and its opening words.
 */
export function dilutionScatterFigure(
  title: string,
  corpora: { name: string; results: readonly TextDilution[] }[],
): PlotlyFigure {
  const xs = corpora.flatMap((c) => c.results.map((r) => r.dilutionCoordinate));
  const xMax = Math.min(1, Math.max(0.05, ...xs) * 1.08);
  const curveX = Array.from({ length: 101 }, (_, i) => (xMax * i) / 100);
  return {
    data: [
      ...corpora.map((c, i) => ({
        type: "scatter",
        mode: "markers",
        name: `${c.name}: contextual embedding of the whole text`,
        x: c.results.map((r) => r.dilutionCoordinate),
        y: c.results.map((r) => r.cMeanContextual),
        text: c.results.map((r) => `${r.id} (k=${r.k})<br>${wrap(r.preview)}`),
        marker: { size: 7, opacity: 0.7, color: PALETTE[i % PALETTE.length] },
      })),
      {
        type: "scatter",
        mode: "lines",
        name: "Theorem 1, mean pooling: 1 − √(1 − x)",
        x: curveX,
        y: curveX.map(theorem1Curve),
        line: { color: "black", dash: "dash", width: 2 },
      },
    ],
    layout: {
      title: { text: title },
      xaxis: { title: { text: "x = ((k − 1)/k) · C_pair  (sentence dispersion, k-adjusted)" }, range: [0, xMax] },
      yaxis: { title: { text: "C_mean: mean cosine distance, text vector → its sentences" }, rangemode: "tozero" },
      template: "plotly_white",
      legend: { orientation: "h", y: -0.22 },
      margin: { b: 130 },
    },
  };
}

/** Hover text on several lines: plotly does not wrap it. */
function wrap(text: string, width = 60): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join("<br>");
}
