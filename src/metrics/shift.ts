/**
 * Semantic shift of one text from its sentence vectors e_1 … e_k (rows of a Matrix, in reading order):
 *   Local = Σ_{i<k} (1 − cos(e_i, e_{i+1}))   how far the text moves from sentence to sentence;
 *   Disp  = mean over pairs i<j of (1 − cos(e_i, e_j))   how spread its sentences are (= C_pair);
 *   Shift = Local · Disp.
 * Rows need not be unit length: they are L2-normalised here (cosines do not depend on length), and a zero row
 * has cosine 0 with everything, as in geometry.ts.
 *
 * A text has only a handful of sentences, so this runs in float64 JavaScript (metrics/vectors.ts) rather than on the tfjs backend:
 * no per-text tensor overhead, and Theorem 1 can be checked to 1e-12 rather than to float32 rounding.
 *
 * Theorem 1 (semantic dilution). For unit e_i with mean μ = (1/k) Σ e_i:
 *   ‖μ‖² = (1/k²) Σ_{i,j} e_i·e_j = (1/k²) (k + k(k − 1)(1 − C_pair)) = 1 − ((k − 1)/k) C_pair,
 *   mean_i cos(μ, e_i) = (1/k) Σ_i μ·e_i / ‖μ‖ = μ·μ / ‖μ‖ = ‖μ‖,
 * hence C_mean = mean_i (1 − cos(μ, e_i)) = 1 − ‖μ‖ = 1 − √(1 − ((k − 1)/k) C_pair).
 * (If μ = 0 the zero-vector convention gives C_mean = 1, which the formula also gives.)
 */
import type { Matrix } from "../matrix";
import { dot, meanCosineOfUnitSum, unitRows64 } from "./vectors";

export interface ShiftMeasures {
  /** number of sentences */
  k: number;
  /** Σ of the k − 1 adjacent cosine distances */
  local: number;
  /** local / (k − 1); 0 for k = 1 */
  localPerTransition: number;
  /** mean pairwise cosine distance C_pair; 0 for k = 1 */
  dispersion: number;
  /** local · dispersion */
  shift: number;
}

/** Σ_{i<k} (1 − cos(e_i, e_{i+1})). */
export function localShift(sentences: Matrix): number {
  const unit = unitRows64(sentences);
  let total = 0;
  for (let i = 1; i < unit.length; i++) total += 1 - dot(unit[i - 1], unit[i]);
  return total;
}

/** Mean adjacent cosine distance; 0 for a single sentence. */
export function localShiftPerTransition(sentences: Matrix): number {
  return sentences.rows < 2 ? 0 : localShift(sentences) / (sentences.rows - 1);
}

/** Mean pairwise cosine distance over i < j (C_pair); 0 for a single sentence. */
export function dispersion(sentences: Matrix): number {
  const last = windowedShift(sentences).at(-1);
  return last ? last.dispersion : 0;
}

/** All shift measures of the text at once. */
export function semanticShift(sentences: Matrix): ShiftMeasures {
  return windowedShift(sentences).at(-1) ?? { k: 0, local: 0, localPerTransition: 0, dispersion: 0, shift: 0 };
}

/**
 * The shift measures of the first m sentences, for m = 1 … k; the last entry is semanticShift of the whole text.
 * Incremental: a running sum of unit vectors gives each prefix's dispersion, since
 * Σ_{i≠j} cos(e_i, e_j) = ‖Σ e_i‖² − Σ ‖e_i‖² (‖e_i‖² is 1, or 0 for a zero row).
 */
export function windowedShift(sentences: Matrix): ShiftMeasures[] {
  const unit = unitRows64(sentences);
  const sum = new Float64Array(sentences.cols);
  let selfSimilarity = 0;
  let local = 0;
  const windows: ShiftMeasures[] = [];
  for (let m = 1; m <= unit.length; m++) {
    const current = unit[m - 1];
    if (m > 1) local += 1 - dot(unit[m - 2], current);
    for (let j = 0; j < sum.length; j++) sum[j] += current[j];
    selfSimilarity += dot(current, current);
    const meanCosine = m < 2 ? 1 : meanCosineOfUnitSum(sum, selfSimilarity, m);
    const spread = 1 - meanCosine;
    windows.push({
      k: m,
      local,
      localPerTransition: m > 1 ? local / (m - 1) : 0,
      dispersion: spread,
      shift: local * spread,
    });
  }
  return windows;
}

/**
 * C_mean: mean cosine distance from a pooled vector to each sentence, mean_i (1 − cos(pooled, e_i)).
 * Any pooled vector works (mean, CLS, max…); for the mean of unit sentences it equals theorem1Prediction.
 */
export function meanDistanceToPooled(sentences: Matrix, pooled: ArrayLike<number>): number {
  if (pooled.length !== sentences.cols) {
    throw new Error(`meanDistanceToPooled: pooled has ${pooled.length} values, sentences have ${sentences.cols}`);
  }
  if (sentences.rows === 0) return NaN;
  const pooledNorm = Math.sqrt(dot(pooled, pooled));
  let total = 0;
  for (const sentence of unitRows64(sentences)) {
    const cosine = pooledNorm === 0 ? 0 : dot(sentence, pooled) / pooledNorm;
    total += 1 - cosine;
  }
  return total / sentences.rows;
}

/** x = ((k − 1)/k) · C_pair, the "dilution coordinate": in it Theorem 1 reads C_mean = 1 − √(1 − x) for every k. */
export function dilutionCoordinate(cPair: number, k: number): number {
  return ((k - 1) / k) * cPair;
}

/** Theorem 1's curve C_mean = 1 − √(1 − x), x = dilutionCoordinate(C_pair, k). */
export function theorem1Curve(x: number): number {
  // rounding can push the radicand a hair below 0 when all vectors cancel
  return 1 - Math.sqrt(Math.max(0, 1 - x));
}

/** Theorem 1: C_mean = 1 − √(1 − ((k − 1)/k) · C_pair) for mean pooling of k unit vectors. */
export function theorem1Prediction(cPair: number, k: number): number {
  return theorem1Curve(dilutionCoordinate(cPair, k));
}
