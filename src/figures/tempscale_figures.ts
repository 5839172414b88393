/** Notebook 08's figure: nDCG@10 and MPD against the attention temperature τ, one line per document group. */
import type { TempScaleRow } from "../experiments/tempscale";
import { panelChart } from "./panel_charts";
import type { PlotlyFigure } from "./render";

export function tempScaleFigure(rows: readonly TempScaleRow[], title: string): PlotlyFigure {
  const groups = [...new Set(rows.map((r) => r.group))];
  const series = (value: (r: TempScaleRow) => number) =>
    groups.map((group) => {
      const own = rows.filter((r) => r.group === group).sort((a, b) => a.tau - b.tau);
      return {
        name: group,
        x: own.map((r) => r.tau),
        y: own.map(value),
        text: own.map((r) => `${r.documents} documents, ${r.queries} queries`),
      };
    });
  return panelChart(
    title,
    [
      { title: "nDCG@10 of the group's queries", series: series((r) => r.ndcg_at_10) },
      { title: "MPD of the group's documents", series: series((r) => r.mpd) },
    ],
    { kind: "lines", xTitle: "attention temperature τ", yTitle: "value" },
  );
}
