/**
 * Notebook 08: TempScale (Zhou et al. 2024, "Length-Induced Embedding Collapse in Transformer-based Models") divides attention
 * logits by a temperature τ < 1 to counter the collapse of long texts. The paper under test (arXiv 2603.21437) says the cause
 * of collapse is semantic shift, not length. So: where does τ help retrieval — on long documents at equal shift (the foil's
 * story), or on high-shift documents at equal length (the paper's)?
 *
 *   documents   token length and Shift (Local · Disp of the abstract's sentence vectors, at τ = 1), each split at its median
 *   queries     each goes with its relevant documents: "long" when their mean length is above the median, "high shift" likewise
 *   per τ       documents and queries re-embedded with EmbedOptions.attentionTemperature = τ (cached per τ), exact cosine
 *               search over the whole collection, nDCG@10 per query, MPD of each document group
 *   effects     τ* = the τ < 1 with the best mean nDCG@10; per-query gain g = nDCG@10(τ*) − nDCG@10(1), then in the 2 × 2 of
 *               length × shift cells: length effect = ½[(g_long,high − g_short,high) + (g_long,low − g_short,low)] (at equal
 *               shift), shift effect = ½[(g_long,high − g_long,low) + (g_short,high − g_short,low)] (at equal length);
 *               percentile bootstrap over queries, resampled within their cell (queries are the independent unit)
 *   mechanism   ΔMPD = MPD(τ*) − MPD(1) of long minus of short documents, bootstrap over documents within each group
 */
import { cachedEmbed } from "../embedding/cache";
import type { EmbeddingModel } from "../embedding/model";
import { selectRows, sliceRows, type Matrix } from "../matrix";
import { meanPairwiseCosineDistance } from "../metrics/geometry";
import { semanticShift } from "../metrics/shift";
import { bootstrapCI, mean, quantile, type BootstrapInterval } from "../metrics/stats";
import { dot, unitRows64 } from "../metrics/vectors";
import { documentText, type BeirDataset } from "../retrieval/beir_dataset";
import { perQueryMetrics } from "../retrieval/ir_metrics";
import { runFromVectors } from "../retrieval/retrieve";
import { splitSentences } from "../text/sentences";
import { randomInt, type Random } from "../util/random";

/** τ = 1 first: the model as trained, the baseline every gain is measured from */
export const TEMPSCALE_TEMPERATURES: readonly number[] = [1, 0.9, 0.8, 0.7, 0.5];
export const DOCUMENT_GROUPS = ["all", "short", "long", "low shift", "high shift"] as const;
export type DocumentGroup = (typeof DOCUMENT_GROUPS)[number];

export interface DocumentProfile {
  id: string;
  tokens: number;
  sentences: number;
  shift: number;
  long: boolean;
  highShift: boolean;
}

export interface QueryProfile {
  id: string;
  long: boolean;
  highShift: boolean;
}

export interface CollectionProfile {
  documents: DocumentProfile[];
  /** queries with at least one relevant document in the collection, in dataset order */
  queries: QueryProfile[];
  medianTokens: number;
  medianShift: number;
}

function inGroup(group: DocumentGroup, p: { long: boolean; highShift: boolean }): boolean {
  if (group === "all") return true;
  if (group === "long" || group === "short") return p.long === (group === "long");
  return p.highShift === (group === "high shift");
}

/** Length and Shift of every document (Shift from its abstract's sentences, embedded at τ = 1), split at the medians. */
export async function profileCollection(model: EmbeddingModel, dataset: BeirDataset): Promise<CollectionProfile> {
  const sentences = dataset.corpus.map((d) => splitSentences(d.text));
  const vectors = await cachedEmbed(model, sentences.flat());
  const tokens = model.countTokens(dataset.corpus.map(documentText));
  let start = 0;
  const shifts = sentences.map((s) => semanticShift(sliceRows(vectors, start, (start += s.length))).shift);
  return splitAtMedians(
    dataset,
    tokens,
    shifts,
    sentences.map((s) => s.length),
  );
}

/** Median splits (a value equal to the median goes to the lower half) and each query's cell from its relevant documents. */
export function splitAtMedians(
  dataset: BeirDataset,
  tokens: readonly number[],
  shifts: readonly number[],
  sentences: readonly number[],
): CollectionProfile {
  const medianTokens = quantile(
    [...tokens].sort((a, b) => a - b),
    0.5,
  );
  const medianShift = quantile(
    [...shifts].sort((a, b) => a - b),
    0.5,
  );
  const documents = dataset.corpus.map((d, i) => ({
    id: d.id,
    tokens: tokens[i],
    sentences: sentences[i],
    shift: shifts[i],
    long: tokens[i] > medianTokens,
    highShift: shifts[i] > medianShift,
  }));
  const byId = new Map(documents.map((d) => [d.id, d]));
  const queries: QueryProfile[] = [];
  for (const q of dataset.queries) {
    const relevant = [...(dataset.qrels.get(q.id) ?? new Map<string, number>())]
      .filter(([id, r]) => r > 0 && byId.has(id))
      .map(([id]) => byId.get(id)!);
    if (relevant.length === 0) continue;
    queries.push({
      id: q.id,
      long: mean(relevant.map((d) => d.tokens)) > medianTokens,
      highShift: mean(relevant.map((d) => d.shift)) > medianShift,
    });
  }
  return { documents, queries, medianTokens, medianShift };
}

/** Documents and queries in each length × shift cell, one row per length group. */
export function cellTable(
  profile: CollectionProfile,
): { length: string; "high shift: documents / queries": string; "low shift: documents / queries": string }[] {
  const count = <T extends { long: boolean; highShift: boolean }>(items: readonly T[], long: boolean, high: boolean) =>
    items.filter((p) => p.long === long && p.highShift === high).length;
  const cell = (long: boolean, high: boolean) =>
    `${count(profile.documents, long, high)} / ${count(profile.queries, long, high)}`;
  return [true, false].map((long) => ({
    length: long ? "long" : "short",
    "high shift: documents / queries": cell(long, true),
    "low shift: documents / queries": cell(long, false),
  }));
}

export interface TempScaleMeasurement {
  temperatures: number[];
  /** [temperature][query] nDCG@10, queries in profile.queries order */
  ndcg: number[][];
  /** [temperature] document vectors, corpus order */
  documentVectors: Matrix[];
}

/** Re-embed documents and queries at every τ (through the cache: each τ has its own folder) and search the whole collection. */
export async function measureTempScale(
  model: EmbeddingModel,
  dataset: BeirDataset,
  profile: CollectionProfile,
  temperatures: readonly number[] = TEMPSCALE_TEMPERATURES,
): Promise<TempScaleMeasurement> {
  if (temperatures[0] !== 1)
    throw new Error(`measureTempScale: the first temperature must be 1 (the baseline), got ${temperatures[0]}`);
  const ndcg: number[][] = [];
  const documentVectors: Matrix[] = [];
  for (const tau of temperatures) {
    const options = { attentionTemperature: tau };
    const documents = await cachedEmbed(model, dataset.corpus.map(documentText), options);
    const queries = await cachedEmbed(
      model,
      dataset.queries.map((q) => q.text),
      options,
    );
    const perQuery = new Map(
      perQueryMetrics(dataset.qrels, runFromVectors(dataset, queries, documents, 100)).map((m) => [
        m.queryId,
        m.ndcg_at_10,
      ]),
    );
    ndcg.push(profile.queries.map((q) => perQuery.get(q.id) ?? 0));
    documentVectors.push(documents);
  }
  return { temperatures: [...temperatures], ndcg, documentVectors };
}

/** a type alias, not an interface, so that it is a table Row (showTable) */
export type TempScaleRow = {
  tau: number;
  group: DocumentGroup;
  documents: number;
  queries: number;
  mpd: number;
  ndcg_at_10: number;
};

/** MPD of each document group and mean nDCG@10 of each query group, per τ. */
export function tempScaleRows(m: TempScaleMeasurement, profile: CollectionProfile): TempScaleRow[] {
  return m.temperatures.flatMap((tau, t) =>
    DOCUMENT_GROUPS.map((group) => {
      const docs = profile.documents.flatMap((d, i) => (inGroup(group, d) ? [i] : []));
      const queries = profile.queries.flatMap((q, i) => (inGroup(group, q) ? [i] : []));
      return {
        tau,
        group,
        documents: docs.length,
        queries: queries.length,
        mpd: docs.length > 1 ? meanPairwiseCosineDistance(selectRows(m.documentVectors[t], docs)) : Number.NaN,
        ndcg_at_10: queries.length > 0 ? mean(queries.map((q) => m.ndcg[t][q])) : Number.NaN,
      };
    }),
  );
}

export interface TempScaleEffects {
  /** the τ < 1 with the best mean nDCG@10 over all queries */
  bestTemperature: number;
  /** mean nDCG@10 gain of τ* over τ = 1, all queries */
  overallGain: BootstrapInterval;
  /** queries per cell, keyed "long|high", "long|low", "short|high", "short|low" */
  cellSizes: Record<string, number>;
  /** gain larger for long than short documents, at equal shift */
  lengthEffect: BootstrapInterval;
  /** gain larger for high- than low-shift documents, at equal length */
  shiftEffect: BootstrapInterval;
  /** ΔMPD(τ* − 1) of long minus that of short documents */
  mpdLengthEffect: BootstrapInterval;
}

const CELLS = ["long|high", "long|low", "short|high", "short|low"] as const;
const cellOf = (p: { long: boolean; highShift: boolean }) =>
  `${p.long ? "long" : "short"}|${p.highShift ? "high" : "low"}`;

/** Draws each stratum's items with replacement, as many as it has (a stratified bootstrap). */
export function stratifiedResample(
  strata: readonly (readonly number[])[],
): (data: readonly number[], rng: Random) => number[] {
  return (_data, rng) => strata.flatMap((s) => s.map(() => s[randomInt(rng, s.length)]));
}

/** The 2 × 2 effects of τ* on nDCG@10 with query bootstraps, and the MPD mechanism with a document bootstrap. */
export function tempScaleEffects(
  m: TempScaleMeasurement,
  profile: CollectionProfile,
  options: { seed: number; resamples: number },
): TempScaleEffects {
  const overall = m.ndcg.map((row) => mean(row));
  let best = 1;
  for (let t = 2; t < m.temperatures.length; t++) if (overall[t] > overall[best]) best = t;
  const gain = m.ndcg[best].map((v, q) => v - m.ndcg[0][q]);
  const cells = CELLS.map((c) => profile.queries.flatMap((q, i) => (cellOf(q) === c ? [i] : [])));
  const cellGain = (sample: number[]) => {
    const sums = new Map<string, [number, number]>();
    for (const i of sample) {
      const s = sums.get(cellOf(profile.queries[i])) ?? [0, 0];
      sums.set(cellOf(profile.queries[i]), [s[0] + gain[i], s[1] + 1]);
    }
    const g = (c: string) => (sums.has(c) ? sums.get(c)![0] / sums.get(c)![1] : Number.NaN);
    return { lh: g("long|high"), ll: g("long|low"), sh: g("short|high"), sl: g("short|low") };
  };
  const bootstrap = { seed: options.seed, resamples: options.resamples, resample: stratifiedResample(cells) };
  const indices = profile.queries.map((_, i) => i);
  return {
    bestTemperature: m.temperatures[best],
    overallGain: bootstrapCI(indices, (s) => mean(s.map((i) => gain[i])), {
      seed: options.seed,
      resamples: options.resamples,
    }),
    cellSizes: Object.fromEntries(CELLS.map((c, k) => [c, cells[k].length])),
    lengthEffect: bootstrapCI(indices, (s) => ((g) => (g.lh - g.sh + (g.ll - g.sl)) / 2)(cellGain(s)), bootstrap),
    shiftEffect: bootstrapCI(indices, (s) => ((g) => (g.lh - g.ll + (g.sh - g.sl)) / 2)(cellGain(s)), bootstrap),
    mpdLengthEffect: mpdLengthEffect(m.documentVectors[0], m.documentVectors[best], profile, options),
  };
}

/** [ΔMPD of long] − [ΔMPD of short], ΔMPD = MPD at τ* − MPD at 1; resampling documents within each group (self-pairs skipped). */
function mpdLengthEffect(
  base: Matrix,
  scaled: Matrix,
  profile: CollectionProfile,
  options: { seed: number; resamples: number },
): BootstrapInterval {
  const cosines = (m: Matrix) => {
    const unit = unitRows64(m);
    return unit.map((a) => unit.map((b) => dot(a, b)));
  };
  const [c0, c1] = [cosines(base), cosines(scaled)];
  const mpdChange = (docs: readonly number[]) => {
    let total = 0;
    let pairs = 0;
    for (let a = 0; a < docs.length; a++) {
      for (let b = a + 1; b < docs.length; b++) {
        if (docs[a] === docs[b]) continue;
        total += c0[docs[a]][docs[b]] - c1[docs[a]][docs[b]]; // (1 − c1) − (1 − c0)
        pairs++;
      }
    }
    return pairs > 0 ? total / pairs : Number.NaN;
  };
  const long = profile.documents.flatMap((d, i) => (d.long ? [i] : []));
  const short = profile.documents.flatMap((d, i) => (d.long ? [] : [i]));
  const longSet = new Set(long);
  const statistic = (sample: number[]) =>
    mpdChange(sample.filter((i) => longSet.has(i))) - mpdChange(sample.filter((i) => !longSet.has(i)));
  return bootstrapCI([...long, ...short], statistic, {
    seed: options.seed,
    resamples: options.resamples,
    resample: stratifiedResample([long, short]),
  });
}
