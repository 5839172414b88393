/**
 * Theorem 2's exact decomposition of how pooling changes cosine MPD (the derivation is in experiments/pooled_mpd.ts).
 * N unit sentence vectors in m groups of k; group means μ_g:
 *   D_p − D_s = λ·(W − B) − A,   λ = (k − 1)/(N − 1),
 * W, B: mean cosine of same-group and cross-group sentence pairs; A = mean_{g<h} [cos(μ_g, μ_h) − μ_g·μ_h].
 * Float64 JavaScript (small N), so the identity holds to ~1e-15.
 */
import { dot, unitVector64 } from "./vectors";

/** Mean of the given rows of each group, in float64; optionally scaled to unit length. */
export function groupMeans(
  rows: readonly Float64Array[],
  groups: readonly number[][],
  options: { normalize?: boolean } = {},
): Float64Array[] {
  return groups.map((group) => {
    const mean = new Float64Array(rows[group[0]].length);
    for (const i of group) for (let j = 0; j < mean.length; j++) mean[j] += rows[i][j] / group.length;
    return options.normalize ? unitVector64(mean) : mean;
  });
}

export interface CosineMpdDecomposition {
  k: number;
  sentences: number;
  groups: number;
  /** D_s: cosine MPD of the sentences */
  sentenceMpd: number;
  /** D_p: cosine MPD of the group means */
  pooledMpd: number;
  /** W: mean cosine of sentence pairs in the same group (NaN for k = 1) */
  withinCosine: number;
  /** B: mean cosine of sentence pairs in different groups = mean inner product of two groups' means */
  crossCosine: number;
  /** λ = (k − 1)/(N − 1): the share of sentence pairs that fall in one group */
  withinPairShare: number;
  /** λ·(W − B) (0 for k = 1) */
  cohesion: number;
  /** A = mean over group pairs of cos(μ_g, μ_h) − μ_g·μ_h */
  amplification: number;
}

/** D_p − D_s = cohesion − amplification, every term computed separately (rows must be unit vectors, groups of equal size). */
export function decomposeCosineMpd(
  unitSentences: readonly Float64Array[],
  groups: readonly number[][],
): CosineMpdDecomposition {
  const k = groups[0]?.length ?? 0;
  if (groups.some((g) => g.length !== k)) throw new Error("decomposeCosineMpd: groups must have equal sizes");
  const n = groups.length * k;
  const means = groupMeans(unitSentences, groups);
  const sums = means.map((mean) => mean.map((v) => v * k));
  const total = new Float64Array(unitSentences[0].length);
  for (const s of sums) for (let j = 0; j < total.length; j++) total[j] += s[j];
  const self = groups.reduce((t, g) => t + g.reduce((u, i) => u + dot(unitSentences[i], unitSentences[i]), 0), 0);
  const allPairs = (dot(total, total) - self) / 2;
  const withinPairs = sums.reduce((t, s) => t + dot(s, s), 0);
  const withinSum = (withinPairs - self) / 2;
  const crossSum = allPairs - withinSum;
  const withinCount = (groups.length * k * (k - 1)) / 2;
  const crossCount = (n * (n - 1)) / 2 - withinCount;
  const withinCosine = withinCount > 0 ? withinSum / withinCount : NaN;
  const crossCosine = crossSum / crossCount;
  const withinPairShare = (k - 1) / (n - 1);

  const norms = means.map((m) => Math.sqrt(dot(m, m)));
  let amplificationTotal = 0;
  let cosineTotal = 0;
  for (let g = 0; g < means.length; g++) {
    for (let h = g + 1; h < means.length; h++) {
      const inner = dot(means[g], means[h]);
      const cosine = norms[g] > 0 && norms[h] > 0 ? inner / (norms[g] * norms[h]) : 0;
      cosineTotal += cosine;
      amplificationTotal += cosine - inner;
    }
  }
  const groupPairs = (means.length * (means.length - 1)) / 2;
  return {
    k,
    sentences: n,
    groups: groups.length,
    sentenceMpd: 1 - allPairs / ((n * (n - 1)) / 2),
    pooledMpd: 1 - cosineTotal / groupPairs,
    withinCosine,
    crossCosine,
    withinPairShare,
    cohesion: k > 1 ? withinPairShare * (withinCosine - crossCosine) : 0,
    amplification: amplificationTotal / groupPairs,
  };
}
