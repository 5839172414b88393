/**
 * Float64 vector helpers for small N: one text's sentences, one cell of texts, synthetic checks (up to a few thousand rows).
 * Plain JavaScript, no tensors, so identities hold to ~1e-15. For a whole corpus (tens of thousands of rows) use
 * metrics/geometry.ts instead: the same quantities on the tfjs backend, over row blocks.
 *
 * Names follow the README's glossary: anisotropy = mean cosine over pairs a < b; MPD = mean over pairs of 1 − cos
 * (= 1 − anisotropy); the "64" suffix marks the float64 twin of a geometry.ts function.
 * Zero rows have no direction: their cosine with everything is 0, as in geometry.ts.
 */
import { row, type Matrix } from "../matrix";

/** Inner product, accumulated in float64. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i] * b[i];
  return total;
}

/** A float64 copy of the values scaled to unit length (a zero vector stays zero). */
export function unitVector64(values: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(values);
  const norm = Math.sqrt(dot(out, out));
  return norm > 0 ? out.map((v) => v / norm) : out;
}

/** Rows of a matrix as float64 arrays, each scaled to unit length (a zero row stays zero). */
export function unitRows64(m: Matrix): Float64Array[] {
  return Array.from({ length: m.rows }, (_, i) => unitVector64(row(m, i)));
}

/** Mean of the rows after scaling each to unit length (zero rows count as zero). */
export function meanOfUnitRows(m: Matrix): Float64Array {
  const mean = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    const r = row(m, i);
    let squared = 0;
    for (let j = 0; j < m.cols; j++) squared += r[j] * r[j];
    if (squared === 0) continue;
    const scale = 1 / Math.sqrt(squared) / m.rows;
    for (let j = 0; j < m.cols; j++) mean[j] += r[j] * scale;
  }
  return mean;
}

/** Column means in float64. */
export function columnMeans64(m: Matrix): Float64Array {
  const means = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) means[j] += m.data[i * m.cols + j] / m.rows;
  return means;
}

/** Σ û over the rows and Σ ‖û‖² (1 per non-zero row, 0 per zero row). */
export function unitRowSum(m: Matrix): { sum: Float64Array; selfSimilarity: number } {
  const sum = new Float64Array(m.cols);
  let selfSimilarity = 0;
  for (let i = 0; i < m.rows; i++) {
    const unit = unitVector64(row(m, i));
    for (let j = 0; j < m.cols; j++) sum[j] += unit[j];
    selfSimilarity += dot(unit, unit);
  }
  return { sum, selfSimilarity };
}

/**
 * Mean cosine over the n(n − 1)/2 pairs of n rows, from the sum of their unit vectors: Σ_{a≠b} cos = ‖Σ û‖² − Σ ‖û‖².
 * One O(N·d) pass instead of N² cosines; geometry.ts and the running sums in shift.ts use it too.
 */
export function meanCosineOfUnitSum(sum: ArrayLike<number>, selfSimilarity: number, n: number): number {
  return (dot(sum, sum) - selfSimilarity) / (n * (n - 1));
}

/** Anisotropy: mean cosine over pairs a < b, in float64 (geometry.anisotropy on the backend). NaN for fewer than 2 rows. */
export function anisotropy64(m: Matrix): number {
  if (m.rows < 2) return NaN;
  const { sum, selfSimilarity } = unitRowSum(m);
  return meanCosineOfUnitSum(sum, selfSimilarity, m.rows);
}

/**
 * MPD, cosine form: mean of 1 − cos over pairs a < b, summed pair by pair (notebook 02's tables were computed in this order;
 * it equals 1 − anisotropy64 up to ~1e-15). NaN for fewer than 2 rows.
 */
export function meanPairwiseCosineDistance64(rows: readonly Float64Array[]): number {
  if (rows.length < 2) return NaN;
  const norms = rows.map((r) => Math.sqrt(dot(r, r)));
  return pairMean(rows, (a, b, i, j) => 1 - (norms[i] > 0 && norms[j] > 0 ? dot(a, b) / (norms[i] * norms[j]) : 0));
}

/** MPD, Euclidean form: mean of ‖x_a − x_b‖ over pairs a < b. NaN for fewer than 2 rows. */
export function meanPairwiseEuclideanDistance64(rows: readonly Float64Array[]): number {
  return pairMean(rows, (a, b) => Math.sqrt(squaredDistance(a, b)));
}

/** Mean of ‖x_a − x_b‖² over pairs a < b. NaN for fewer than 2 rows. */
export function meanSquaredPairwiseDistance(rows: readonly Float64Array[]): number {
  return pairMean(rows, squaredDistance);
}

/** Spread: mean squared distance to the centroid, (1/n) Σ ‖x_a − x̄‖² (= half the mean of ‖x_a − x_b‖² over all ordered pairs, a = b included). */
export function spread(rows: readonly Float64Array[]): number {
  if (rows.length === 0) return NaN;
  const centroid = new Float64Array(rows[0].length);
  for (const r of rows) for (let j = 0; j < centroid.length; j++) centroid[j] += r[j] / rows.length;
  return rows.reduce((total, r) => total + squaredDistance(r, centroid), 0) / rows.length;
}

function pairMean(
  rows: readonly Float64Array[],
  distance: (a: Float64Array, b: Float64Array, i: number, j: number) => number,
): number {
  if (rows.length < 2) return NaN;
  let total = 0;
  for (let a = 0; a < rows.length; a++)
    for (let b = a + 1; b < rows.length; b++) total += distance(rows[a], rows[b], a, b);
  return total / ((rows.length * (rows.length - 1)) / 2);
}

function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let total = 0;
  for (let j = 0; j < a.length; j++) total += (a[j] - b[j]) ** 2;
  return total;
}
