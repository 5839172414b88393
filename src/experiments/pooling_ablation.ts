/**
 * Notebook 07: pooling mode × layer × post-processing on a BEIR collection. For each setting: the geometry of the document
 * vectors as cosine search sees them (post-processed, then unit-normalised): MPD, IsoScore and effective rank; and retrieval
 * quality (nDCG@10, Recall@10). Post-processing (none, centring, BERT-whitening, all-but-the-top) is fitted on the corpus
 * only and applied to corpus and queries alike (../retrieval/postprocess.ts).
 *
 * Layers: last, middle (⌈L/2⌉) and the mean of the hidden states of the last four layers (the states are averaged, then
 * pooled). All modes × layer sets come from one forward pass per batch, cached on disk (../retrieval/layer_pooling_cache.ts).
 */
import type { PoolingMode } from "../embedding/pooling_modes";
import { normalizeRows, type Matrix } from "../matrix";
import { meanPairwiseCosineDistance } from "../metrics/geometry";
import { effectiveRank, isoScore } from "../metrics/isotropy";
import { spearman } from "../metrics/stats";
import { documentText, type BeirDataset } from "../retrieval/beir_dataset";
import { evaluateRun } from "../retrieval/ir_metrics";
import { cachedLayerSets, layerSetKey, type LayerSetEmbedder } from "../retrieval/layer_pooling_cache";
import { describePostprocess, fitPostprocess, type PostprocessSpec } from "../retrieval/postprocess";
import { denseSearch } from "../retrieval/dense_search";

export interface LayerChoice {
  name: string;
  layers: number[];
}

/** last, middle, mean of the last four (fewer when the model has fewer layers) */
export function ablationLayers(numLayers: number): LayerChoice[] {
  const lastFour = Array.from({ length: Math.min(4, numLayers) }, (_, i) => numLayers - Math.min(4, numLayers) + 1 + i);
  return [
    { name: "last", layers: [numLayers] },
    { name: "middle", layers: [Math.ceil(numLayers / 2)] },
    { name: "mean of last 4", layers: lastFour },
  ];
}

/** all-but-the-top's rule of thumb: D ≈ d / 100 (Mu & Viswanath 2018), at least 1 */
export const removeTopDirections = (dimensions: number) => Math.max(1, Math.round(dimensions / 100));

export function ablationPostprocessing(dimensions: number): PostprocessSpec[] {
  return [
    { kind: "none" },
    { kind: "center" },
    { kind: "whiten" },
    { kind: "remove-top", directions: removeTopDirections(dimensions) },
  ];
}

export interface AblationRow {
  pooling: PoolingMode;
  layer: string;
  postprocess: string;
  mpd: number;
  isoScore: number;
  effectiveRank: number;
  ndcg_at_10: number;
  recall_at_10: number;
}

export interface AblationVectors {
  documents: Map<string, Matrix>;
  queries: Map<string, Matrix>;
}

/** Raw pooled vectors of every document and query under every mode × layer set (one cached pass over both). */
export async function embedAblation(
  model: LayerSetEmbedder,
  dataset: BeirDataset,
  modes: PoolingMode[],
  layers: LayerChoice[],
): Promise<AblationVectors> {
  const docTexts = dataset.corpus.map(documentText);
  const texts = [...docTexts, ...dataset.queries.map((q) => q.text)];
  const all = await cachedLayerSets(
    model,
    texts,
    layers.map((l) => l.layers),
    modes,
  );
  const documents = new Map<string, Matrix>();
  const queries = new Map<string, Matrix>();
  for (const [key, m] of all) {
    const cut = docTexts.length * m.cols;
    documents.set(key, { rows: docTexts.length, cols: m.cols, data: m.data.subarray(0, cut) });
    queries.set(key, { rows: texts.length - docTexts.length, cols: m.cols, data: m.data.subarray(cut) });
  }
  return { documents, queries };
}

/** One row per mode × layer × post-processing. */
export function runAblation(
  dataset: BeirDataset,
  vectors: AblationVectors,
  modes: PoolingMode[],
  layers: LayerChoice[],
  topK = 100,
): AblationRow[] {
  const rows: AblationRow[] = [];
  const ids = dataset.corpus.map((d) => d.id);
  for (const pooling of modes) {
    for (const layer of layers) {
      const key = layerSetKey(pooling, layer.layers);
      const documents = vectors.documents.get(key)!;
      const queries = vectors.queries.get(key)!;
      for (const spec of ablationPostprocessing(documents.cols)) {
        const post = fitPostprocess(documents, spec);
        const docs = normalizeRows(post.apply(documents));
        const hits = denseSearch(post.apply(queries), docs, ids, topK);
        const metrics = evaluateRun(dataset.qrels, new Map(dataset.queries.map((q, i) => [q.id, hits[i]])));
        rows.push({
          pooling,
          layer: layer.name,
          postprocess: describePostprocess(spec),
          mpd: meanPairwiseCosineDistance(docs),
          isoScore: isoScore(docs),
          effectiveRank: effectiveRank(docs),
          ndcg_at_10: metrics.ndcg_at_10,
          recall_at_10: metrics.recall_at_10,
        });
      }
    }
  }
  return rows;
}

export interface IsotropyAssociation {
  /** which rows: "all", or one post-processing */
  group: string;
  settings: number;
  /** Spearman ρ of IsoScore with nDCG@10 */
  rhoIsoScore: number;
  /** Spearman ρ of MPD with nDCG@10 */
  rhoMpd: number;
}

/** Does more isotropy go with better retrieval? Over all settings, and within each post-processing. */
export function isotropyAssociations(rows: readonly AblationRow[]): IsotropyAssociation[] {
  const groups = ["all", ...new Set(rows.map((r) => r.postprocess))];
  return groups.map((group) => {
    const g = group === "all" ? rows : rows.filter((r) => r.postprocess === group);
    const ndcg = g.map((r) => r.ndcg_at_10);
    return {
      group,
      settings: g.length,
      rhoIsoScore: spearman(
        g.map((r) => r.isoScore),
        ndcg,
      ),
      rhoMpd: spearman(
        g.map((r) => r.mpd),
        ndcg,
      ),
    };
  });
}

/** For each pooling × layer: nDCG@10 and IsoScore change from "none" to each post-processing (positive = gain). */
export function postprocessingGains(rows: readonly AblationRow[]) {
  const out: { pooling: string; layer: string; postprocess: string; isoScoreGain: number; ndcgGain: number }[] = [];
  for (const r of rows) {
    if (r.postprocess === "none") continue;
    const none = rows.find((x) => x.pooling === r.pooling && x.layer === r.layer && x.postprocess === "none")!;
    out.push({
      pooling: r.pooling,
      layer: r.layer,
      postprocess: r.postprocess,
      isoScoreGain: r.isoScore - none.isoScore,
      ndcgGain: r.ndcg_at_10 - none.ndcg_at_10,
    });
  }
  return out;
}

/** Smallest cosine between matching rows of a and b (parity of two ways to compute the same vectors). */
export function smallestRowCosine(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols)
    throw new Error(`smallestRowCosine: ${a.rows}×${a.cols} vs ${b.rows}×${b.cols}`);
  const [ua, ub] = [normalizeRows(a), normalizeRows(b)];
  let smallest = Infinity;
  for (let i = 0; i < a.rows; i++) {
    let dot = 0;
    for (let j = 0; j < a.cols; j++) dot += ua.data[i * a.cols + j] * ub.data[i * a.cols + j];
    smallest = Math.min(smallest, dot);
  }
  return smallest;
}

export function ablationRows(rows: readonly AblationRow[]) {
  return rows.map((r) => ({
    pooling: r.pooling,
    layer: r.layer,
    "post-processing": r.postprocess,
    MPD: r.mpd,
    IsoScore: r.isoScore,
    "effective rank": r.effectiveRank,
    "nDCG@10": r.ndcg_at_10,
    "Recall@10": r.recall_at_10,
  }));
}

export function associationRows(associations: readonly IsotropyAssociation[]) {
  return associations.map((a) => ({
    settings: a.group,
    n: a.settings,
    "Spearman ρ (IsoScore, nDCG@10)": a.rhoIsoScore,
    "Spearman ρ (MPD, nDCG@10)": a.rhoMpd,
  }));
}
