/**
 * Retrieval with one relevant candidate per query: query i should find candidate relevant[i] (by default candidate i), ranked by
 * cosine similarity among all candidates.
 *
 *   rank of query i = 1 + the number of other candidates whose cosine with the query is ≥ that of the relevant one
 *   (ties count against the query, so a candidate set of identical vectors never scores a hit by luck);
 *   overlapAtK = the fraction of queries whose relevant candidate has rank ≤ k.
 *
 * With one relevant item per query, Recall@k, Hit@k and "Overlap@k" are the same number; notebook 04 calls it Overlap@1 for
 * k = 1 (the seed sentence's own constructed text is its nearest text) and Recall@5 for k = 5.
 */
import type { Matrix } from "../matrix";
import { cosineSimilarityMatrix } from "./geometry";

/** queries per similarity block (the block's queries × candidates matrix is materialised) */
const QUERY_BLOCK = 256;

/** Rank (1 = nearest) of each query's relevant candidate among all candidates, by cosine similarity; ties count against. */
export function relevantRanks(queries: Matrix, candidates: Matrix, relevant?: readonly number[]): number[] {
  const targets = relevantIndices(queries, candidates, relevant, "relevantRanks");
  const ranks: number[] = [];
  for (let start = 0; start < queries.rows; start += QUERY_BLOCK) {
    const end = Math.min(queries.rows, start + QUERY_BLOCK);
    const block: Matrix = {
      rows: end - start,
      cols: queries.cols,
      data: queries.data.subarray(start * queries.cols, end * queries.cols),
    };
    const similarity = cosineSimilarityMatrix(block, candidates);
    for (let q = 0; q < block.rows; q++) {
      const scores = similarity.data.subarray(q * candidates.rows, (q + 1) * candidates.rows);
      const target = targets[start + q];
      const own = scores[target];
      let rank = 1;
      for (let c = 0; c < scores.length; c++) if (c !== target && scores[c] >= own) rank++;
      ranks.push(rank);
    }
  }
  return ranks;
}

/** Fraction of ranks ≤ k (NaN for no ranks). */
export function fractionWithinRank(ranks: readonly number[], k: number): number {
  if (ranks.length === 0) return NaN;
  return ranks.filter((r) => r <= k).length / ranks.length;
}

/** Fraction of queries whose relevant candidate is among the k most cosine-similar candidates (see the file comment). */
export function overlapAtK(queries: Matrix, candidates: Matrix, k: number, relevant?: readonly number[]): number {
  if (!Number.isInteger(k) || k < 1) throw new Error(`overlapAtK: k must be a positive integer, got ${k}`);
  return fractionWithinRank(relevantRanks(queries, candidates, relevant), k);
}

/** Mean of 1 / rank. */
export function meanReciprocalRank(ranks: readonly number[]): number {
  if (ranks.length === 0) return NaN;
  return ranks.reduce((s, r) => s + 1 / r, 0) / ranks.length;
}

function relevantIndices(
  queries: Matrix,
  candidates: Matrix,
  relevant: readonly number[] | undefined,
  caller: string,
): number[] {
  if (queries.cols !== candidates.cols)
    throw new Error(`${caller}: widths differ (${queries.cols} vs ${candidates.cols})`);
  if (relevant === undefined) {
    if (queries.rows > candidates.rows) {
      throw new Error(
        `${caller}: ${queries.rows} queries but ${candidates.rows} candidates; pass relevant[] to pair them`,
      );
    }
    return Array.from({ length: queries.rows }, (_, i) => i);
  }
  if (relevant.length !== queries.rows)
    throw new Error(`${caller}: ${relevant.length} relevant indices for ${queries.rows} queries`);
  relevant.forEach((r, i) => {
    if (!Number.isInteger(r) || r < 0 || r >= candidates.rows)
      throw new Error(`${caller}: relevant[${i}] = ${r} is not a candidate row`);
  });
  return relevant.slice();
}
