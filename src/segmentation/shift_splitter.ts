/**
 * The Shift Splitter: grow a chunk sentence by sentence and cut when adding the next sentence would raise the chunk's
 * windowed semantic Shift (Local · Disp, src/metrics/shift.ts) by more than the document itself usually does.
 *
 * The rule, for sentence vectors e_0 … e_{n−1} and a window of W sentences (`window`, default 3):
 * - Reference increments (what "usual" means for this document): for every m = 1 … n − 1,
 *     r_m = Shift(e_{a..m}) − Shift(e_{a..m−1}),  a = max(0, m − W),
 *   the Shift gained by adding sentence m to the W sentences before it.
 * - Threshold τ = the p-th percentile of the r_m (`percentile`, default 90; numpy's linear interpolation). It adapts to
 *   the document: a document that wanders everywhere needs a bigger jump to be cut than one that stays on topic.
 * - Growing: the current chunk starts at s. For m = s + 1, s + 2, …, the increment is computed the same way but with the
 *   window kept inside the chunk, a = max(s, m − W):
 *     δ_m = Shift(e_{a..m}) − Shift(e_{a..m−1}),
 *   and a new chunk starts at m when δ_m > τ and the chunk has at least `minSentences` sentences (default 1).
 * Why a window: the Shift of a whole growing chunk rises with every sentence (Local is a sum), so a whole-chunk rule would
 * cut by length, not meaning; the window keeps increments comparable along the document. Why inside the chunk: right after
 * a cut the window holds few sentences and increments are small (one sentence gives δ = d², d the adjacent distance), so a
 * new chunk needs a real jump before it is cut again, without a hard minimum length.
 * With W = 1 every δ_m is the squared adjacent distance, and the splitter cuts at the same gaps as semantic chunking
 * (semantic.ts) at the same number of cuts. With a target mean size, the percentile is chosen by fitTargetSize.
 */
import { sliceRows, type Matrix } from "../matrix";
import { semanticShift } from "../metrics/shift";
import { quantile } from "../metrics/stats";
import { fitTargetSize } from "./target_size";

export const DEFAULT_SHIFT_WINDOW = 3;
export const DEFAULT_SHIFT_PERCENTILE = 90;

export interface ShiftSplitterOptions {
  /** W: sentences before the new one that the increment looks at (default 3) */
  window?: number;
  /** p: cut when the increment is above this percentile of the document's reference increments (default 90) */
  percentile?: number;
  /** a chunk is never cut before it has this many sentences (default 1) */
  minSentences?: number;
  /** instead of `percentile`: the percentile that brings the mean chunk size closest to this many sentences */
  targetSize?: number;
}

/** Shift Splitter boundaries of a document from its sentence vectors (one row per sentence, in order). */
export function shiftSplitterBoundaries(sentences: Matrix, options: ShiftSplitterOptions = {}): number[] {
  const window = options.window ?? DEFAULT_SHIFT_WINDOW;
  if (!Number.isInteger(window) || window < 1)
    throw new Error(`shift window must be a whole number ≥ 1, got ${window}`);
  const increments = incrementTable(sentences, window);
  const sorted = referenceFromTable(increments, window).sort((a, b) => a - b);
  const cutAt = (percentile: number) =>
    growChunks(increments, window, quantile(sorted, percentile / 100), options.minSentences ?? 1);
  if (options.targetSize === undefined) {
    const percentile = options.percentile ?? DEFAULT_SHIFT_PERCENTILE;
    if (!(percentile >= 0 && percentile <= 100)) throw new Error(`percentile must be in 0 … 100, got ${percentile}`);
    return cutAt(percentile);
  }
  return fitTargetSize(sentences.rows, options.targetSize, cutAt, { low: 0, high: 100 }).boundaries;
}

/** r_m for m = 1 … n − 1: the Shift gained by adding sentence m to the `window` sentences before it. */
export function referenceIncrements(sentences: Matrix, window: number): number[] {
  return referenceFromTable(incrementTable(sentences, window), window);
}

/**
 * increments[m][j] = Shift(rows m − j … m) − Shift(rows m − j … m − 1) for j = 1 … min(W, m): every increment the rule can
 * ask for (inside a chunk started at s the window holds j = min(W, m − s) sentences), computed once per document, so that
 * trying many thresholds (fitTargetSize) costs no Shift computation.
 */
function incrementTable(sentences: Matrix, window: number): number[][] {
  return Array.from({ length: sentences.rows }, (_, m) => {
    const row = [NaN];
    for (let j = 1; j <= Math.min(window, m); j++) row.push(shiftIncrement(sentences, m - j, m));
    return row;
  });
}

function referenceFromTable(increments: readonly number[][], window: number): number[] {
  return increments.slice(1).map((row, i) => row[Math.min(window, i + 1)]);
}

/** The cuts made by growing chunks against a fixed threshold (see the header). */
function growChunks(
  increments: readonly number[][],
  window: number,
  threshold: number,
  minSentences: number,
): number[] {
  const boundaries: number[] = [];
  let start = 0;
  for (let m = 1; m < increments.length; m++) {
    if (m - start < minSentences) continue;
    if (increments[m][Math.min(window, m - start)] > threshold) {
      boundaries.push(m);
      start = m;
    }
  }
  return boundaries;
}

/** Shift(rows first … m) − Shift(rows first … m − 1). */
function shiftIncrement(sentences: Matrix, first: number, m: number): number {
  return semanticShift(sliceRows(sentences, first, m + 1)).shift - semanticShift(sliceRows(sentences, first, m)).shift;
}
