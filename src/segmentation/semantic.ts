/**
 * Similarity-based "semantic chunking" as the popular RAG libraries do it (LangChain's SemanticChunker and LlamaIndex's
 * SemanticSplitterNodeParser, percentile mode): embed each sentence, take the cosine distance between adjacent sentences,
 * and start a new chunk after every gap whose distance is strictly above the given percentile of the document's own gap
 * distances (95th by default; numpy's linear-interpolation percentile). Those libraries can embed a small buffer of
 * neighbouring sentences with each one; here each sentence is embedded alone (buffer 0).
 * With a target mean size the percentile is chosen by fitTargetSize.
 */
import type { Matrix } from "../matrix";
import { quantile } from "../metrics/stats";
import { dot, unitRows64 } from "../metrics/vectors";
import { fitTargetSize } from "./target_size";

export const DEFAULT_SEMANTIC_PERCENTILE = 95;

/** 1 − cos(e_i, e_{i+1}) for each of the n − 1 gaps between adjacent sentence vectors (rows). */
export function adjacentDistances(sentences: Matrix): number[] {
  const unit = unitRows64(sentences);
  const out: number[] = [];
  for (let i = 1; i < unit.length; i++) out.push(1 - dot(unit[i - 1], unit[i]));
  return out;
}

/** Boundaries after the gaps whose value is strictly above the percentile (0 … 100) of all gap values. */
export function percentileBoundaries(gapValues: readonly number[], percentile: number): number[] {
  if (!(percentile >= 0 && percentile <= 100)) throw new Error(`percentile must be in 0 … 100, got ${percentile}`);
  if (gapValues.length === 0) return [];
  const threshold = quantile(
    [...gapValues].sort((a, b) => a - b),
    percentile / 100,
  );
  const boundaries: number[] = [];
  gapValues.forEach((v, gap) => {
    if (v > threshold) boundaries.push(gap + 1);
  });
  return boundaries;
}

export interface SemanticOptions {
  /** cut above this percentile of the gap distances (default 95) */
  percentile?: number;
  /** instead: the percentile that brings the mean chunk size closest to this many sentences */
  targetSize?: number;
}

/** Semantic chunking of a document from its sentence vectors (one row per sentence, in order). */
export function semanticBoundaries(sentences: Matrix, options: SemanticOptions = {}): number[] {
  const distances = adjacentDistances(sentences);
  if (options.targetSize === undefined)
    return percentileBoundaries(distances, options.percentile ?? DEFAULT_SEMANTIC_PERCENTILE);
  const fit = fitTargetSize(sentences.rows, options.targetSize, (p) => percentileBoundaries(distances, p), {
    low: 0,
    high: 100,
  });
  return fit.boundaries;
}
