/**
 * How close a hypothesised segmentation is to a reference one, both given as boundaries over the same n sentences
 * (boundaries.ts), and how even its chunks are.
 *
 * Window metrics slide a window of k sentences' width over the n − 1 gaps between sentences: window i covers gaps
 * i … i + k − 1, i.e. it asks about sentences i and i + k, for i = 0 … n − 1 − k (n − k windows).
 * - Pk (Beeferman, Berger & Lafferty 1999): the share of windows where the reference and the hypothesis disagree on
 *   whether sentences i and i + k lie in the same chunk (some boundary in the window or none).
 * - WindowDiff (Pevzner & Hearst 2002): the share of windows where the two put a different NUMBER of boundaries; the
 *   `weighted` variant (as NLTK's) sums |difference| instead of counting windows, so it can exceed 1.
 * Both are errors: 0 is perfect. k defaults to half the mean reference chunk length, round(n / (2 · chunks)), at least 1,
 * and is clamped to n − 1 so that a short document still has one window; a document of 0 or 1 sentence scores 0.
 *
 * Agreement with NLTK (nltk.metrics.segmentation, checked by segmentation_nltk.test.ts on random segmentations): with
 * NLTK strings of one character per gap (toBoundaryString), `pk(ref, hyp, k)` and `windowdiff(ref, hyp, k, weighted=…)`
 * equal ours for every k ≤ n − 1. Differences: NLTK's default k is round(gaps / (2 · boundaries)) with Python's
 * round-half-to-even and fails on a reference without boundaries, ours is round(sentences / (2 · chunks)); NLTK's
 * `boundary` argument (which character marks a boundary) has no counterpart because ours reads indices; NLTK rejects
 * k > len (windowdiff) or divides by zero (pk), ours clamps k.
 *
 * Boundary precision / recall / F1 match each hypothesised boundary to at most one reference boundary within
 * `tolerance` sentences (0 = exact). Matching in order, each hypothesis to the earliest free reference in reach, gives the
 * largest possible number of matches for points on a line. A ratio with nothing to count (no hypothesised boundary for
 * precision, no reference boundary for recall) is 1 when both segmentations have no boundary and 0 otherwise.
 */
import { checkBoundaries, chunkSizes } from "./boundaries";

export interface WindowOptions {
  /** window width in sentences (default: half the mean reference chunk length, see above) */
  k?: number;
}

/** round(n / (2 · reference chunks)), at least 1. */
export function defaultWindow(n: number, reference: readonly number[]): number {
  return Math.max(1, Math.round(n / (2 * (reference.length + 1))));
}

/** Pk: the share of windows where reference and hypothesis disagree on "same chunk or not". */
export function pk(
  n: number,
  reference: readonly number[],
  hypothesis: readonly number[],
  options: WindowOptions = {},
): number {
  return windowErrors(n, reference, hypothesis, options.k, (r, h) => (r > 0 !== h > 0 ? 1 : 0));
}

/** WindowDiff: the share of windows holding a different number of boundaries (weighted: the mean |difference|). */
export function windowDiff(
  n: number,
  reference: readonly number[],
  hypothesis: readonly number[],
  options: WindowOptions & { weighted?: boolean } = {},
): number {
  const weighted = options.weighted === true;
  return windowErrors(n, reference, hypothesis, options.k, (r, h) => (weighted ? Math.abs(r - h) : r === h ? 0 : 1));
}

/** The mean of error(reference count, hypothesis count) over the n − k windows of gaps. */
function windowErrors(
  n: number,
  reference: readonly number[],
  hypothesis: readonly number[],
  k: number | undefined,
  error: (referenceCount: number, hypothesisCount: number) => number,
): number {
  checkBoundaries(n, reference, "reference");
  checkBoundaries(n, hypothesis, "hypothesis");
  const gaps = n - 1;
  if (gaps < 1) return 0;
  const width = Math.min(gaps, k ?? defaultWindow(n, reference));
  if (!Number.isInteger(width) || width < 1) throw new Error(`window width k must be a whole number ≥ 1, got ${k}`);
  const referenceGaps = gapIndicators(gaps, reference);
  const hypothesisGaps = gapIndicators(gaps, hypothesis);
  let r = 0;
  let h = 0;
  for (let g = 0; g < width; g++) {
    r += referenceGaps[g];
    h += hypothesisGaps[g];
  }
  let total = error(r, h);
  for (let start = 1; start + width <= gaps; start++) {
    r += referenceGaps[start + width - 1] - referenceGaps[start - 1];
    h += hypothesisGaps[start + width - 1] - hypothesisGaps[start - 1];
    total += error(r, h);
  }
  return total / (gaps - width + 1);
}

/** 1 at gap b − 1 for each boundary b (the gap before the chunk that starts at b). */
function gapIndicators(gaps: number, boundaries: readonly number[]): Uint8Array {
  const out = new Uint8Array(gaps);
  for (const b of boundaries) out[b - 1] = 1;
  return out;
}

export interface BoundaryScores {
  precision: number;
  recall: number;
  f1: number;
  /** hypothesised boundaries matched to a reference boundary */
  matched: number;
}

/** Boundary precision, recall and F1, a hypothesis counting as right within `tolerance` sentences of a free reference. */
export function boundaryScores(
  reference: readonly number[],
  hypothesis: readonly number[],
  options: { tolerance?: number } = {},
): BoundaryScores {
  const tolerance = options.tolerance ?? 0;
  let matched = 0;
  let next = 0; // first reference boundary not yet matched or passed
  for (const h of hypothesis) {
    while (next < reference.length && reference[next] < h - tolerance) next++;
    if (next < reference.length && reference[next] <= h + tolerance) {
      matched++;
      next++;
    }
  }
  const neither = reference.length === 0 && hypothesis.length === 0;
  const precision = hypothesis.length > 0 ? matched / hypothesis.length : neither ? 1 : 0;
  const recall = reference.length > 0 ? matched / reference.length : neither ? 1 : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, matched };
}

export interface ChunkSizeStats {
  chunks: number;
  mean: number;
  /** population variance (divided by the number of chunks) */
  variance: number;
  min: number;
  max: number;
}

/** Mean, variance, min and max of chunk sizes in sentences, or in tokens when each sentence's token count is given. */
export function chunkSizeStats(
  n: number,
  boundaries: readonly number[],
  sentenceTokens?: readonly number[],
): ChunkSizeStats {
  if (sentenceTokens && sentenceTokens.length !== n)
    throw new Error(`chunkSizeStats: ${sentenceTokens.length} token counts for ${n} sentences`);
  const sizes = chunkSizes(n, boundaries);
  let start = 0;
  const measured = sizes.map((size) => {
    const end = start + size;
    let tokens = 0;
    if (sentenceTokens) for (let i = start; i < end; i++) tokens += sentenceTokens[i];
    start = end;
    return sentenceTokens ? tokens : size;
  });
  return sizeSummary(measured);
}

function sizeSummary(sizes: readonly number[]): ChunkSizeStats {
  if (sizes.length === 0) return { chunks: 0, mean: 0, variance: 0, min: 0, max: 0 };
  const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  const variance = sizes.reduce((a, s) => a + (s - mean) ** 2, 0) / sizes.length;
  return { chunks: sizes.length, mean, variance, min: Math.min(...sizes), max: Math.max(...sizes) };
}
