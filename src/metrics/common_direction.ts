/**
 * Anisotropy that has nothing to do with content: a direction shared by every vector. Two controls for "does anisotropy itself
 * hurt retrieval?":
 * - injectCommonDirection adds w·d to every unit row (queries and candidates alike), which raises the mean cosine without
 *   touching what distinguishes one text from another;
 * - centreRows removes the shared mean, which lowers the mean cosine to about 0 without adding information.
 * If retrieval changes little under either, the anisotropy that goes with a retrieval loss (e.g. semantic shift) is a symptom,
 * not the cause. Plain float64 JavaScript (metrics/vectors.ts): the matrices here are one cell of texts (tens to hundreds of rows).
 */
import { row, type Matrix } from "../matrix";
import { anisotropy64, columnMeans64, unitRowSum, unitVector64 } from "./vectors";

/** Rows minus the given means (default: the column means of m). */
export function centreRows(m: Matrix, means: ArrayLike<number> = columnMeans64(m)): Matrix {
  if (means.length !== m.cols) throw new Error(`centreRows: ${means.length} means for ${m.cols} columns`);
  const data = new Float32Array(m.data.length);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) data[i * m.cols + j] = m.data[i * m.cols + j] - means[j];
  return { rows: m.rows, cols: m.cols, data };
}

/** The unit vector along the sum of the unit rows (the direction the rows share); zero if they cancel. */
export function meanDirection(m: Matrix): Float64Array {
  return unitVector64(unitRowSum(m).sum);
}

/** Every row scaled to unit length, plus weight · direction (the result is not renormalised; cosines do not care). */
export function injectCommonDirection(m: Matrix, direction: ArrayLike<number>, weight: number): Matrix {
  if (direction.length !== m.cols)
    throw new Error(`injectCommonDirection: direction has ${direction.length} values, rows have ${m.cols}`);
  const data = new Float32Array(m.data.length);
  for (let i = 0; i < m.rows; i++) {
    const unit = unitVector64(row(m, i));
    for (let j = 0; j < m.cols; j++) data[i * m.cols + j] = unit[j] + weight * direction[j];
  }
  return { rows: m.rows, cols: m.cols, data };
}

/**
 * The weight w ≥ 0 for which injectCommonDirection(m, direction, w) has anisotropy `target` (bisection; the mean cosine
 * grows with w towards 1 when direction is the rows' mean direction). 0 when m is already at or above the target.
 */
export function weightForAnisotropy(m: Matrix, direction: ArrayLike<number>, target: number, tolerance = 1e-6): number {
  if (!(target < 1)) throw new Error(`weightForAnisotropy: the target mean cosine must be below 1, got ${target}`);
  const at = (w: number) => anisotropy64(injectCommonDirection(m, direction, w));
  if (at(0) >= target) return 0;
  let high = 1;
  for (let tries = 0; at(high) < target; tries++) {
    if (tries > 60) throw new Error(`weightForAnisotropy: mean cosine ${target} is out of reach along this direction`);
    high *= 2;
  }
  let low = 0;
  while (high - low > tolerance * Math.max(1, high)) {
    const middle = (low + high) / 2;
    if (at(middle) < target) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
