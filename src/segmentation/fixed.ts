/**
 * Fixed-size chunking, the baseline every RAG pipeline starts from: cut every `size` sentences, or pack whole
 * sentences greedily into chunks of at most `maxTokens` tokens (a sentence longer than the budget is a chunk of its own).
 * Neither looks at meaning. With a target mean size the size or budget is chosen by fitTargetSize.
 */
import { fitTargetSize } from "./target_size";

/** A chunk starts every `size` sentences. */
export function fixedSentenceBoundaries(n: number, size: number): number[] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`fixed chunk size must be a whole number ≥ 1, got ${size}`);
  const boundaries: number[] = [];
  for (let b = size; b < n; b += size) boundaries.push(b);
  return boundaries;
}

/** Sentences packed in order into chunks of at most maxTokens tokens (sentenceTokens[i] = tokens of sentence i). */
export function fixedTokenBoundaries(sentenceTokens: readonly number[], maxTokens: number): number[] {
  if (!(maxTokens >= 1)) throw new Error(`token budget must be ≥ 1, got ${maxTokens}`);
  const boundaries: number[] = [];
  let used = sentenceTokens.length > 0 ? sentenceTokens[0] : 0;
  for (let i = 1; i < sentenceTokens.length; i++) {
    if (used + sentenceTokens[i] > maxTokens) {
      boundaries.push(i);
      used = 0;
    }
    used += sentenceTokens[i];
  }
  return boundaries;
}

/** Fixed sentence chunks whose mean size is closest to targetSize. */
export function fixedSentenceBoundariesForTarget(n: number, targetSize: number): number[] {
  if (n === 0) return [];
  return fitTargetSize(n, targetSize, (size) => fixedSentenceBoundaries(n, size), { low: 1, high: n, integer: true })
    .boundaries;
}

/** Token-budget chunks whose mean size in sentences is closest to targetSize. */
export function fixedTokenBoundariesForTarget(sentenceTokens: readonly number[], targetSize: number): number[] {
  const total = sentenceTokens.reduce((a, b) => a + b, 0);
  if (sentenceTokens.length === 0) return [];
  const search = { low: 1, high: Math.max(1, total), integer: true };
  return fitTargetSize(
    sentenceTokens.length,
    targetSize,
    (budget) => fixedTokenBoundaries(sentenceTokens, budget),
    search,
  ).boundaries;
}
