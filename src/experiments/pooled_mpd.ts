/**
 * Theorem 2 as an experiment: is the space of pooled texts more concentrated (smaller mean pairwise distance, MPD) than the
 * space of their sentences?
 *
 * Setting. N unit sentence vectors e_i, partitioned into m groups of k sentences (N = m·k); group means μ_g = (1/k) Σ_{i∈g} e_i.
 * Cosine MPD of the sentences D_s = 1 − S (S: mean cosine over sentence pairs) and of the pooled texts D_p = 1 − mean_{g<h} cos(μ_g, μ_h).
 *
 * Exact decomposition (any partition into equal groups; metrics/mpd_decomposition.ts `decomposeCosineMpd` computes every term):
 *   μ_g·μ_h = mean cosine of the k² sentence pairs across g and h, so mean_{g<h} μ_g·μ_h = B (mean cosine of all cross-group pairs);
 *   S = λ·W + (1 − λ)·B, with W the mean cosine of same-group pairs and λ = (k − 1)/(N − 1) the share of same-group pairs;
 *   D_p − D_s = λ·(W − B) − A,   A = mean_{g<h} [cos(μ_g, μ_h) − μ_g·μ_h] = mean_{g<h} μ_g·μ_h · (1/(‖μ_g‖‖μ_h‖) − 1).
 *   "cohesion" λ(W − B): groups more alike inside than across raise D_p (and vanish as N grows for fixed k);
 *   "amplification" A: ‖μ_g‖ < 1 (Theorem 1: ‖μ‖ = 1 − C_mean) inflates every positive cross-group inner product.
 * What follows, proved:
 *   (a) uniformly random equal partitions: E[W] = E[B] = S (each sentence pair is equally likely to fall in one group), so
 *       E[D_p] = D_s − E[A]; if every sentence cosine is ≥ 0 then every μ_g·μ_h ≥ 0, A ≥ 0, and E[D_p] < D_s strictly unless
 *       A = 0 for every partition (k = 1, or all sentences identical, or all cross-group inner products 0, e.g. orthonormal e_i).
 *       Without the sign condition nothing is guaranteed: for isotropic vectors A is symmetric about 0 and E[D_p] ≈ D_s.
 *   (b) unnormalised means, squared Euclidean distance, any grouping into equal groups: the spread (mean squared distance to the
 *       centroid) obeys total = within + between, so spread(means) = spread(sentences) − within-group spread ≤ spread(sentences),
 *       with equality iff every group holds identical vectors. For uniformly random partitions, moreover,
 *       E[mean squared pairwise distance of means] = (mean squared pairwise distance of sentences) / k exactly.
 *   Mean (not squared) Euclidean MPD and the contextual embedding are only measured.
 * Everything is float64 JavaScript, so the decomposition holds to ~1e-15 and nothing is left on the tfjs backend.
 */
import { normalizeRows } from "../matrix";
import {
  dot,
  meanPairwiseCosineDistance64,
  meanPairwiseEuclideanDistance64,
  spread,
  unitRows64,
} from "../metrics/vectors";
import { standardDeviation } from "../metrics/stats";
import { decomposeCosineMpd, groupMeans } from "../metrics/mpd_decomposition";
import type { EmbeddingModel } from "../embedding/model";
import { seededRandom, shuffle, type Random } from "../util/random";
import { joinSentences } from "../text/document_sentences";
import type { SentenceText } from "./sentence_units";

/** Group sizes the notebook measures. */
export const GROUP_SIZES: readonly number[] = [1, 2, 4, 8, 16];

/** Groups of k consecutive indices inside each of `blocks` consecutive blocks of `blockSize` rows (groups never span blocks). */
export function consecutiveGroups(blocks: number, blockSize: number, k: number): number[][] {
  if (!Number.isInteger(k) || k < 1 || blockSize % k !== 0)
    throw new Error(`consecutiveGroups: k = ${k} must divide the block size ${blockSize}`);
  const groups: number[][] = [];
  for (let b = 0; b < blocks; b++) {
    for (let start = 0; start < blockSize; start += k)
      groups.push(Array.from({ length: k }, (_, j) => b * blockSize + start + j));
  }
  return groups;
}

/** A uniformly random partition of 0 … n − 1 into groups of k (k must divide n). */
export function randomGroups(n: number, k: number, rng: Random): number[][] {
  if (!Number.isInteger(k) || k < 1 || n % k !== 0) throw new Error(`randomGroups: k = ${k} must divide n = ${n}`);
  const order = shuffle(
    Array.from({ length: n }, (_, i) => i),
    rng,
  );
  return Array.from({ length: n / k }, (_, g) => order.slice(g * k, (g + 1) * k));
}

/** Every partition of 0 … n − 1 into unordered groups of k (for exact expectations on tiny sets: n ≤ 10 or so). */
export function allEqualPartitions(n: number, k: number): number[][][] {
  if (!Number.isInteger(k) || k < 1 || n % k !== 0)
    throw new Error(`allEqualPartitions: k = ${k} must divide n = ${n}`);
  const partitions: number[][][] = [];
  const extend = (remaining: number[], groups: number[][]) => {
    if (remaining.length === 0) {
      partitions.push(groups);
      return;
    }
    // the smallest remaining index opens the next group: each unordered partition is produced once
    const [first, ...rest] = remaining;
    for (const companions of combinations(rest, k - 1)) {
      const taken = new Set(companions);
      extend(
        rest.filter((i) => !taken.has(i)),
        [...groups, [first, ...companions]],
      );
    }
  };
  extend(
    Array.from({ length: n }, (_, i) => i),
    [],
  );
  return partitions;
}

export interface PooledMpdRow {
  corpus: string;
  k: number;
  /** pooled texts (groups) at this k */
  groups: number;
  sentenceCosineMpd: number;
  /** mean of each block's consecutive groups of k sentences */
  consecutiveMeanCosineMpd: number;
  /** mean over `randomPartitions` uniformly random partitions of all sentences into groups of k */
  randomMeanCosineMpd: number;
  /** its standard error over the partitions (sd / √partitions; NaN with a single partition) */
  randomMeanCosineMpdStandardError: number;
  randomPartitions: number;
  /** share of sentence pairs with a negative cosine: Theorem 2's expectation proof needs 0 */
  sentenceNegativeCosineShare: number;
  /** the model's own embedding of the k consecutive sentences joined into one text */
  contextualCosineMpd: number;
  sentenceEuclideanMpd: number;
  /** unnormalised means */
  consecutiveMeanEuclideanMpd: number;
  randomMeanEuclideanMpd: number;
  /** means scaled to unit length */
  consecutiveNormalizedMeanEuclideanMpd: number;
  /** of the model's (unit) text vectors */
  contextualEuclideanMpd: number;
  sentenceSpread: number;
  consecutiveMeanSpread: number;
  /** decomposition terms of the consecutive mean: D_p − D_s = cohesion − amplification */
  cohesion: number;
  amplification: number;
}

export interface PooledMpdOptions {
  ks?: readonly number[];
  seed: number;
  /** random partitions averaged per k (default 5) */
  randomPartitions?: number;
}

/**
 * MPD of the sentence space and of pooled spaces for every k, on `blocks` of the same number of consecutive sentences (k must
 * divide it). Sentences and joined groups are embedded through `model` (wrap it in withEmbeddingCache): one embed call for
 * all sentences, one for the joined texts of every k > 1. At k = 1 every pooled space is the sentence space.
 */
export async function measurePooledMpd(
  model: EmbeddingModel,
  corpus: string,
  blocks: readonly SentenceText[],
  options: PooledMpdOptions,
): Promise<PooledMpdRow[]> {
  if (blocks.length < 2) throw new Error(`measurePooledMpd(${corpus}): need at least 2 blocks, got ${blocks.length}`);
  const blockSize = blocks[0].sentences.length;
  if (blocks.some((b) => b.sentences.length !== blockSize))
    throw new Error(`measurePooledMpd(${corpus}): blocks must have equal numbers of sentences`);
  const ks = options.ks ?? GROUP_SIZES;
  const sentences = blocks.flatMap((b) => b.sentences);
  const unitSentences = unitRows64(await model.embed(sentences));

  const joinedTexts = new Map<number, string[]>();
  for (const k of ks) {
    if (k > 1)
      joinedTexts.set(
        k,
        consecutiveGroups(blocks.length, blockSize, k).map((g) => joinSentences(g.map((i) => sentences[i]))),
      );
  }
  const allJoined = [...joinedTexts.values()].flat();
  const contextual = allJoined.length > 0 ? unitRows64(normalizeRows(await model.embed(allJoined))) : [];
  const contextualByK = new Map<number, Float64Array[]>();
  let offset = 0;
  for (const [k, texts] of joinedTexts) {
    contextualByK.set(k, contextual.slice(offset, offset + texts.length));
    offset += texts.length;
  }

  const sentenceCosineMpd = meanPairwiseCosineDistance64(unitSentences);
  const sentenceEuclideanMpd = meanPairwiseEuclideanDistance64(unitSentences);
  const sentenceSpread = spread(unitSentences);
  const sentenceNegativeCosineShare = negativeCosineShare(unitSentences);
  const randomPartitions = options.randomPartitions ?? 5;
  const rng = seededRandom(options.seed);
  return ks.map((k) => {
    const groups = consecutiveGroups(blocks.length, blockSize, k);
    const means = groupMeans(unitSentences, groups);
    const decomposition = decomposeCosineMpd(unitSentences, groups);
    const partitions = Array.from({ length: randomPartitions }, () =>
      groupMeans(unitSentences, randomGroups(sentences.length, k, rng)),
    );
    const averageOver = (f: (rows: Float64Array[]) => number) =>
      partitions.reduce((t, p) => t + f(p), 0) / partitions.length;
    const randomCosine = partitions.map(meanPairwiseCosineDistance64);
    const textVectors = k === 1 ? unitSentences : contextualByK.get(k)!;
    return {
      corpus,
      k,
      groups: groups.length,
      sentenceCosineMpd,
      consecutiveMeanCosineMpd: decomposition.pooledMpd,
      randomMeanCosineMpd: averageOver(meanPairwiseCosineDistance64),
      randomMeanCosineMpdStandardError:
        randomPartitions > 1 ? standardDeviation(randomCosine) / Math.sqrt(randomPartitions) : NaN,
      randomPartitions,
      sentenceNegativeCosineShare,
      contextualCosineMpd: meanPairwiseCosineDistance64(textVectors),
      sentenceEuclideanMpd,
      consecutiveMeanEuclideanMpd: meanPairwiseEuclideanDistance64(means),
      randomMeanEuclideanMpd: averageOver(meanPairwiseEuclideanDistance64),
      consecutiveNormalizedMeanEuclideanMpd: meanPairwiseEuclideanDistance64(
        groupMeans(unitSentences, groups, { normalize: true }),
      ),
      contextualEuclideanMpd: meanPairwiseEuclideanDistance64(textVectors),
      sentenceSpread,
      consecutiveMeanSpread: spread(means),
      cohesion: decomposition.cohesion,
      amplification: decomposition.amplification,
    };
  });
}

/** The columns the notebook shows, with short readable names. */
export function pooledMpdTable(rows: readonly PooledMpdRow[]): Record<string, string | number>[] {
  // rounding residue (e.g. A ≈ 1e-17 at k = 1) would print as "-0.0000"
  const clean = (x: number) => (Math.abs(x) < 1e-12 ? 0 : x);
  return rows.map((r) => ({
    corpus: r.corpus,
    k: r.k,
    texts: r.groups,
    "cos MPD sentences": r.sentenceCosineMpd,
    "cos MPD mean (consecutive)": r.consecutiveMeanCosineMpd,
    "cos MPD mean (random)": r.randomMeanCosineMpd,
    "cos MPD contextual": r.contextualCosineMpd,
    "cohesion λ(W−B)": clean(r.cohesion),
    "amplification A": clean(r.amplification),
    "eucl MPD sentences": r.sentenceEuclideanMpd,
    "eucl MPD mean (consecutive)": r.consecutiveMeanEuclideanMpd,
    "eucl MPD mean (random)": r.randomMeanEuclideanMpd,
    "eucl MPD unit mean (consecutive)": r.consecutiveNormalizedMeanEuclideanMpd,
    "spread sentences": r.sentenceSpread,
    "spread mean (consecutive)": r.consecutiveMeanSpread,
  }));
}

export type PooledSeries = "consecutiveMeanCosineMpd" | "randomMeanCosineMpd" | "contextualCosineMpd";

/** How figures and summaries name each pooled series. */
export const POOLED_SERIES_LABELS: Record<PooledSeries, string> = {
  consecutiveMeanCosineMpd: "mean, consecutive",
  randomMeanCosineMpd: "mean, random groups",
  contextualCosineMpd: "contextual (model)",
};

/** One line per corpus: pooled minus sentence cosine MPD at each k ≥ 2, for the chosen pooling (negative = concentrated). */
export function describeMpdChanges(rows: readonly PooledMpdRow[], series: PooledSeries): string {
  const corpora = [...new Set(rows.map((r) => r.corpus))];
  return corpora
    .map((corpus) => {
      const changes = rows
        .filter((r) => r.corpus === corpus && r.k > 1)
        .map(
          (r) =>
            `k=${r.k}: ${r[series] - r.sentenceCosineMpd >= 0 ? "+" : ""}${(r[series] - r.sentenceCosineMpd).toFixed(3)}`,
        );
      return `${corpus} (${POOLED_SERIES_LABELS[series]}), pooled − sentences: ${changes.join(", ")}`;
    })
    .join("\n");
}

/** Share of pairs a < b of unit rows whose cosine is below 0. */
export function negativeCosineShare(unit: readonly Float64Array[]): number {
  let negative = 0;
  for (let a = 0; a < unit.length; a++)
    for (let b = a + 1; b < unit.length; b++) if (dot(unit[a], unit[b]) < 0) negative++;
  return unit.length < 2 ? NaN : negative / ((unit.length * (unit.length - 1)) / 2);
}

function combinations(items: readonly number[], size: number): number[][] {
  if (size === 0) return [[]];
  const result: number[][] = [];
  items.forEach((item, i) => {
    for (const rest of combinations(items.slice(i + 1), size - 1)) result.push([item, ...rest]);
  });
  return result;
}
