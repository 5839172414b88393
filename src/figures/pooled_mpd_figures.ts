/**
 * Figures of notebook 02 (Theorem 2): MPD of pooled texts against k, from measurePooledMpd's rows.
 * One colour per corpus (PALETTE), one dash per pooling.
 */
import type { PlotlyFigure } from "./render";
import { PALETTE } from "./style";
import { POOLED_SERIES_LABELS, type PooledMpdRow, type PooledSeries } from "../experiments/pooled_mpd";

const SERIES_DASH: Record<PooledSeries, string> = {
  consecutiveMeanCosineMpd: "solid",
  randomMeanCosineMpd: "dot",
  contextualCosineMpd: "dash",
};

const corpusColour = (index: number) => PALETTE[index % PALETTE.length];

const logKAxis = (title: string, ks: readonly number[]) => ({
  title: { text: title },
  type: "log",
  tickvals: ks,
  ticktext: ks.map(String),
});

const layout = (title: string, xaxis: object, yTitle: string, bottomMargin: number) => ({
  title: { text: title },
  xaxis,
  yaxis: { title: { text: yTitle }, rangemode: "tozero" },
  template: "plotly_white",
  legend: { orientation: "h", y: -0.25, font: { size: 10 } },
  margin: { b: bottomMargin },
});

/** Cosine MPD against k (log₂ axis): one colour per corpus, one dash per pooling; k = 1 is the sentence space. */
export function mpdVersusKFigure(
  title: string,
  rows: readonly PooledMpdRow[],
  series: readonly PooledSeries[] = ["consecutiveMeanCosineMpd", "randomMeanCosineMpd", "contextualCosineMpd"],
): PlotlyFigure {
  const corpora = [...new Set(rows.map((r) => r.corpus))];
  const data = corpora.flatMap((corpus, c) =>
    series.map((s) => {
      const own = rows.filter((r) => r.corpus === corpus);
      return {
        type: "scatter",
        mode: "lines+markers",
        name: `${corpus}: ${POOLED_SERIES_LABELS[s]}`,
        x: own.map((r) => r.k),
        y: own.map((r) => r[s]),
        line: { color: corpusColour(c), dash: SERIES_DASH[s] },
        marker: { size: 6 },
      };
    }),
  );
  const ks = [...new Set(rows.map((r) => r.k))];
  return {
    data,
    layout: layout(
      title,
      logKAxis("k: sentences pooled per text (k = 1: the sentences themselves)", ks),
      "cosine MPD of the space",
      150,
    ),
  };
}

/** Euclidean MPD of unnormalised means relative to the sentences', with the random-partition reference 1/√k. */
export function euclideanRatioFigure(title: string, rows: readonly PooledMpdRow[]): PlotlyFigure {
  const corpora = [...new Set(rows.map((r) => r.corpus))];
  const ks = [...new Set(rows.map((r) => r.k))].sort((a, b) => a - b);
  const data: object[] = corpora.flatMap((corpus, c) => {
    const own = rows.filter((r) => r.corpus === corpus);
    const line = (y: (r: PooledMpdRow) => number, label: string, dash: string) => ({
      type: "scatter",
      mode: "lines+markers",
      name: `${corpus}: ${label}`,
      x: own.map((r) => r.k),
      y: own.map(y),
      line: { color: corpusColour(c), dash },
    });
    return [
      line(
        (r) => r.consecutiveMeanEuclideanMpd / r.sentenceEuclideanMpd,
        POOLED_SERIES_LABELS.consecutiveMeanCosineMpd,
        SERIES_DASH.consecutiveMeanCosineMpd,
      ),
      line(
        (r) => r.randomMeanEuclideanMpd / r.sentenceEuclideanMpd,
        POOLED_SERIES_LABELS.randomMeanCosineMpd,
        SERIES_DASH.randomMeanCosineMpd,
      ),
    ];
  });
  data.push({
    type: "scatter",
    mode: "lines",
    name: "1/√k (random groups, root mean square)",
    x: ks,
    y: ks.map((k) => 1 / Math.sqrt(k)),
    line: { color: "black", dash: "dash" },
  });
  return {
    data,
    layout: layout(
      title,
      logKAxis("k: sentences pooled per text", ks),
      "Euclidean MPD of unnormalised means / of sentences",
      140,
    ),
  };
}
