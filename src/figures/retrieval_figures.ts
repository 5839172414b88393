/**
 * Figures of notebooks 06 and 07: retrieval quality against MPD per anisotropy source, and IsoScore against nDCG@10 over the
 * pooling ablation. Built on panel_charts.ts (colours from style.ts's PALETTE by series position).
 */
import type { AblationRow } from "../experiments/pooling_ablation";
import { ANISOTROPY_SOURCES, type SourceMeasurement } from "../experiments/retrieval_anisotropy";
import type { PlotlyFigure } from "./render";
import { panelChart } from "./panel_charts";

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Two panels (nDCG@10, Recall@10): one line per source through base and its levels, x = the collection's MPD. */
export function qualityVsMpdFigure(measurement: SourceMeasurement, title: string): PlotlyFigure {
  const base = measurement.levels.find((l) => l.source === "base")!;
  const panel = (metric: "ndcg_at_10" | "recall_at_10", name: string) => ({
    title: name,
    series: ANISOTROPY_SOURCES.map((source) => {
      const levels = [base, ...measurement.levels.filter((l) => l.source === source)].sort((a, b) => a.mpd - b.mpd);
      return {
        name: source,
        x: levels.map((l) => l.mpd),
        y: levels.map((l) => mean(l.perQuery[metric])),
        text: levels.map((l) => l.label),
      };
    }),
  });
  return panelChart(title, [panel("ndcg_at_10", "nDCG@10"), panel("recall_at_10", "Recall@10")], {
    kind: "lines",
    xTitle: "MPD of the documents (cosine)",
    yTitle: "mean over queries",
  });
}

/** Two panels: IsoScore and MPD against nDCG@10, one marker series per post-processing, hover = pooling / layer. */
export function isotropyVsRetrievalFigure(rows: readonly AblationRow[], title: string): PlotlyFigure {
  const posts = [...new Set(rows.map((r) => r.postprocess))];
  const panel = (x: (r: AblationRow) => number, name: string) => ({
    title: name,
    series: posts.map((p) => {
      const g = rows.filter((r) => r.postprocess === p);
      return { name: p, x: g.map(x), y: g.map((r) => r.ndcg_at_10), text: g.map((r) => `${r.pooling} / ${r.layer}`) };
    }),
  });
  return panelChart(title, [panel((r) => r.isoScore, "IsoScore"), panel((r) => r.mpd, "MPD")], {
    kind: "markers",
    xTitle: "isotropy of the documents",
    yTitle: "nDCG@10",
  });
}
