/**
 * Matched-size comparisons: every chunker has one knob that trades more chunks for fewer (a percentile, a cutoff, a
 * chunk size), and `fitTargetSize` turns the knob until the document's mean chunk size in sentences, n / chunks, is as
 * close as it can get to a target. The knob must not ADD boundaries when it grows (the count is non-increasing in it);
 * bisection then homes in on the step where the count crosses n / target − 1, and the closest setting seen is kept (ties
 * go to the setting seen first, the one nearer the middle of the range).
 */
import { meanChunkSize } from "./boundaries";

export interface TargetFit {
  boundaries: number[];
  /** the knob's value that gave them */
  parameter: number;
}

export interface TargetSearch {
  /** the knob's range: `low` gives the most boundaries, `high` the fewest */
  low: number;
  high: number;
  /** search whole numbers only (chunk sizes, token budgets) */
  integer?: boolean;
  /** bisection steps for a real-valued knob (default 50) */
  steps?: number;
}

/** The boundaries, over the knob's range, whose mean chunk size is closest to `targetSize` sentences. */
export function fitTargetSize(
  n: number,
  targetSize: number,
  boundariesAt: (parameter: number) => number[],
  search: TargetSearch,
): TargetFit {
  if (!(targetSize > 0)) throw new Error(`target chunk size must be > 0 sentences, got ${targetSize}`);
  const wantedBoundaries = n / targetSize - 1;
  let best: (TargetFit & { miss: number }) | undefined;
  const tryAt = (parameter: number): number => {
    const boundaries = boundariesAt(parameter);
    const miss = Math.abs(meanChunkSize(n, boundaries) - targetSize);
    if (best === undefined || miss < best.miss) best = { boundaries, parameter, miss };
    return boundaries.length;
  };
  let { low, high } = search;
  const steps = search.integer ? Math.ceil(Math.log2(Math.max(2, high - low + 1))) + 2 : (search.steps ?? 50);
  for (let step = 0; step < steps && low <= high; step++) {
    const middle = search.integer ? Math.floor((low + high) / 2) : (low + high) / 2;
    const count = tryAt(middle);
    if (count > wantedBoundaries) low = search.integer ? middle + 1 : middle;
    else high = search.integer ? middle - 1 : middle;
  }
  tryAt(search.low);
  tryAt(search.high);
  const { boundaries, parameter } = best!;
  return { boundaries, parameter };
}
