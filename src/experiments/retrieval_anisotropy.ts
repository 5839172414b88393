/**
 * Notebook 06: is anisotropy harmful to retrieval by itself, or only when semantic shift induced it?
 *
 * Collections whose anisotropy has different sources, built from one BEIR collection (every document, relevant or not, is
 * changed alike; queries never change):
 *   base               title + the first `baseSentences` sentences of each document
 *   semantic shift     base + m sentences, each from a random donor document relevant to no query of the collection
 *   coherent length    base + the next m sentences of the document's own text, wrapping round to its first sentences when it
 *                      runs out (its own sentences repeated): longer, no new topic
 *   common direction   the base vectors, each unit row plus w · (their mean direction), w chosen so that the collection's MPD
 *                      equals that of a semantic-shift level (matched MPD); no text changes at all
 * Levels are nested: level m's added sentences start with level m' < m's. Retrieval quality per query (nDCG@10, Recall@10)
 * at each level, against the collection's MPD; the slope of mean quality on MPD and the paired change from base to the top
 * level get percentile bootstrap intervals that resample queries (the independent unit).
 */
import { cachedEmbed } from "../embedding/cache";
import type { EmbeddingModel } from "../embedding/model";
import { normalizeRows, type Matrix } from "../matrix";
import { centreRows, injectCommonDirection, meanDirection, weightForAnisotropy } from "../metrics/common_direction";
import { meanPairwiseCosineDistance } from "../metrics/geometry";
import { bootstrapCI, type BootstrapInterval } from "../metrics/stats";
import { documentText, type BeirDataset, type BeirDocument } from "../retrieval/beir_dataset";
import { evaluateRun, perQueryMetrics } from "../retrieval/ir_metrics";
import { bm25Run, denseRun, runFromVectors } from "../retrieval/retrieve";
import { splitSentences } from "../text/sentences";
import { randomInt, seededRandom } from "../util/random";

export const ANISOTROPY_SOURCES = ["semantic shift", "coherent length", "common direction"] as const;
export type AnisotropySource = (typeof ANISOTROPY_SOURCES)[number];
export const RETRIEVAL_METRICS = ["ndcg_at_10", "recall_at_10"] as const;
export type RetrievalMetric = (typeof RETRIEVAL_METRICS)[number];

// ---- baselines ----------------------------------------------------------------------------------------------------------

export interface Retriever {
  name: string;
  /** absent: BM25 */
  model?: EmbeddingModel;
}

export interface BaselineRow {
  dataset: string;
  retriever: string;
  queries: number;
  documents: number;
  ndcg_at_10: number;
  recall_at_10: number;
  recall_at_100: number;
  [key: string]: string | number;
}

export async function retrievalBaselines(
  datasets: readonly BeirDataset[],
  retrievers: readonly Retriever[],
  topK = 100,
): Promise<BaselineRow[]> {
  const rows: BaselineRow[] = [];
  for (const dataset of datasets) {
    for (const r of retrievers) {
      const run = r.model === undefined ? bm25Run(dataset, topK) : await denseRun(r.model, dataset, { topK });
      const m = evaluateRun(dataset.qrels, run);
      rows.push({
        dataset: dataset.name,
        retriever: r.name,
        queries: m.queries,
        documents: dataset.corpus.length,
        ndcg_at_10: m.ndcg_at_10,
        recall_at_10: m.recall_at_10,
        recall_at_100: m.recall_at_100,
      });
    }
  }
  return rows;
}

// ---- construction ---------------------------------------------------------------------------------------------------------

export interface ExtensionDesign {
  baseSentences: number;
  /** sentences appended at each level (ascending, > 0) */
  levels: number[];
  seed: number;
}

export interface ExtendedCollections {
  base: BeirDataset;
  /** one dataset per level, in design.levels order */
  shift: BeirDataset[];
  coherent: BeirDataset[];
  design: ExtensionDesign;
}

const withTexts = (dataset: BeirDataset, texts: readonly string[], suffix: string): BeirDataset => ({
  ...dataset,
  name: `${dataset.name} (${suffix})`,
  corpus: dataset.corpus.map((d, i) => ({ id: d.id, title: "", text: texts[i] })),
});

/** The collections of the file comment. `donors`: documents that may lend sentences (those relevant to a query are skipped). */
export function buildExtendedCollections(
  dataset: BeirDataset,
  donors: readonly BeirDocument[],
  design: ExtensionDesign,
): ExtendedCollections {
  const rng = seededRandom(design.seed);
  const relevant = new Set(
    [...dataset.qrels.values()].flatMap((j) => [...j].filter(([, r]) => r > 0).map(([id]) => id)),
  );
  const donorSentences = donors
    .filter((d) => !relevant.has(d.id))
    .map((d) => splitSentences(d.text))
    .filter((s) => s.length > 0);
  if (donorSentences.length === 0)
    throw new Error("buildExtendedCollections: no donor document that is relevant to no query");
  const top = Math.max(...design.levels);
  const sentences = dataset.corpus.map((d) => {
    const own = splitSentences(d.text);
    return own.length > 0 ? own : [d.title];
  });
  const baseOf = (d: BeirDocument, own: string[]) =>
    documentText({ ...d, text: own.slice(0, design.baseSentences).join(" ") });
  const baseTexts = dataset.corpus.map((d, i) => baseOf(d, sentences[i]));
  const foreign = dataset.corpus.map(() =>
    Array.from({ length: top }, () => {
      const donor = donorSentences[randomInt(rng, donorSentences.length)];
      return donor[randomInt(rng, donor.length)];
    }),
  );
  const ownNext = sentences.map((own) =>
    Array.from({ length: top }, (_, j) => own[(design.baseSentences + j) % own.length]),
  );
  const extend = (added: string[][], m: number) => baseTexts.map((t, i) => [t, ...added[i].slice(0, m)].join(" "));
  return {
    base: withTexts(dataset, baseTexts, "base"),
    shift: design.levels.map((m) => withTexts(dataset, extend(foreign, m), `semantic shift +${m}`)),
    coherent: design.levels.map((m) => withTexts(dataset, extend(ownNext, m), `coherent length +${m}`)),
    design,
  };
}

// ---- measurement ----------------------------------------------------------------------------------------------------------

export interface SourceLevel {
  source: AnisotropySource | "base";
  /** sentences appended, or the common-direction weight */
  level: number;
  label: string;
  mpd: number;
  meanTokens: number;
  /** per query, in the order of the base collection's qrels */
  perQuery: Record<RetrievalMetric, number[]>;
}

export interface SourceMeasurement {
  levels: SourceLevel[];
  /** common direction: per-query nDCG@10 with documents centred, injected vs base (identical up to float by construction) */
  centring: { injectedLabel: string; largestDifference: number }[];
  /** common direction: |MPD reached − MPD targeted| at each level */
  matchingErrors: number[];
}

function scoreRun(
  dataset: BeirDataset,
  queries: Matrix,
  documents: Matrix,
  topK: number,
): Record<RetrievalMetric, number[]> {
  const rows = perQueryMetrics(dataset.qrels, runFromVectors(dataset, queries, documents, topK));
  return { ndcg_at_10: rows.map((r) => r.ndcg_at_10), recall_at_10: rows.map((r) => r.recall_at_10) };
}

export async function measureAnisotropySources(
  model: EmbeddingModel,
  collections: ExtendedCollections,
  topK = 100,
): Promise<SourceMeasurement> {
  const { base, shift, coherent, design } = collections;
  const queries = await cachedEmbed(
    model,
    base.queries.map((q) => q.text),
  );
  const levels: SourceLevel[] = [];
  const vectorsOf = async (dataset: BeirDataset) =>
    normalizeRows(await cachedEmbed(model, dataset.corpus.map(documentText)));
  const tokensOf = (dataset: BeirDataset) =>
    model.countTokens(dataset.corpus.map(documentText)).reduce((a, b) => a + b, 0) / dataset.corpus.length;
  const add = (
    source: SourceLevel["source"],
    level: number,
    label: string,
    dataset: BeirDataset,
    documents: Matrix,
    meanTokens: number,
  ) =>
    levels.push({
      source,
      level,
      label,
      mpd: meanPairwiseCosineDistance(documents),
      meanTokens,
      perQuery: scoreRun(dataset, queries, documents, topK),
    });
  const baseVectors = await vectorsOf(base);
  add("base", 0, "base", base, baseVectors, tokensOf(base));
  for (const [source, datasets] of [
    ["semantic shift", shift],
    ["coherent length", coherent],
  ] as const) {
    for (let i = 0; i < datasets.length; i++)
      add(
        source,
        design.levels[i],
        `${source} +${design.levels[i]}`,
        datasets[i],
        await vectorsOf(datasets[i]),
        tokensOf(datasets[i]),
      );
  }
  // common direction at the MPD of each semantic-shift level
  const direction = meanDirection(baseVectors);
  const centredBase = scoreRun(base, queries, centreRows(baseVectors), topK).ndcg_at_10;
  const centring: SourceMeasurement["centring"] = [];
  const matchingErrors: number[] = [];
  for (const target of levels.filter((l) => l.source === "semantic shift")) {
    const weight = weightForAnisotropy(baseVectors, direction, 1 - target.mpd);
    const injected = injectCommonDirection(baseVectors, direction, weight);
    const label = `common direction (MPD of ${target.label})`;
    add("common direction", weight, label, base, injected, tokensOf(base));
    matchingErrors.push(Math.abs(levels[levels.length - 1].mpd - target.mpd));
    const centred = scoreRun(base, queries, centreRows(injected), topK).ndcg_at_10;
    centring.push({
      injectedLabel: label,
      largestDifference: Math.max(...centred.map((v, i) => Math.abs(v - centredBase[i]))),
    });
  }
  return { levels, centring, matchingErrors };
}

// ---- inference --------------------------------------------------------------------------------------------------------------

/** OLS slope of y on x. */
export function olsSlope(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : NaN;
}

export interface SourceSlope {
  source: AnisotropySource;
  metric: RetrievalMetric;
  /** d(mean quality) / d(MPD) over base + the source's levels; positive = quality falls as anisotropy rises */
  slope: BootstrapInterval;
  /** mean quality at the source's top level − at base (paired by query) */
  change: BootstrapInterval;
  mpdBase: number;
  mpdTop: number;
}

export interface SlopeOptions {
  resamples?: number;
  confidence?: number;
  seed: number;
}

/** Slopes and paired changes per source and metric, with bootstrap intervals over queries (same resamples for both). */
export function sourceSlopes(measurement: SourceMeasurement, options: SlopeOptions): SourceSlope[] {
  const base = measurement.levels.find((l) => l.source === "base")!;
  const out: SourceSlope[] = [];
  for (const source of ANISOTROPY_SOURCES) {
    const levels = [base, ...measurement.levels.filter((l) => l.source === source)];
    if (levels.length < 2) continue;
    const top = levels[levels.length - 1];
    const x = levels.map((l) => l.mpd);
    const queries = base.perQuery.ndcg_at_10.map((_, i) => i);
    for (const metric of RETRIEVAL_METRICS) {
      const meanOf = (l: SourceLevel, ix: number[]) => ix.reduce((a, i) => a + l.perQuery[metric][i], 0) / ix.length;
      const ci = { resamples: options.resamples, confidence: options.confidence, seed: options.seed };
      out.push({
        source,
        metric,
        slope: bootstrapCI(
          queries,
          (ix) =>
            olsSlope(
              x,
              levels.map((l) => meanOf(l, ix)),
            ),
          ci,
        ),
        change: bootstrapCI(queries, (ix) => meanOf(top, ix) - meanOf(base, ix), ci),
        mpdBase: base.mpd,
        mpdTop: top.mpd,
      });
    }
  }
  return out;
}

const interval = (i: BootstrapInterval, digits = 3) =>
  `${i.estimate.toFixed(digits)} [${i.lower.toFixed(digits)}, ${i.upper.toFixed(digits)}]`;

export function sourceLevelRows(measurement: SourceMeasurement) {
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return measurement.levels.map((l) => ({
    collection: l.label,
    source: l.source,
    "mean tokens": l.meanTokens,
    MPD: l.mpd,
    "nDCG@10": mean(l.perQuery.ndcg_at_10),
    "Recall@10": mean(l.perQuery.recall_at_10),
  }));
}

export function sourceSlopeRows(slopes: readonly SourceSlope[]) {
  return slopes.map((s) => ({
    source: s.source,
    metric: s.metric,
    "MPD base → top": `${s.mpdBase.toFixed(3)} → ${s.mpdTop.toFixed(3)}`,
    "slope per unit MPD [CI]": interval(s.slope, 2),
    "change base → top [CI]": interval(s.change),
  }));
}
