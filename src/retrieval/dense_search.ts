/**
 * Exact dense retrieval: for every query, the k documents of highest cosine similarity, computed as blocked matrix products
 * on the active tfjs backend (the style of ../metrics/geometry.ts). The unit-normalised documents go to the backend once;
 * queries go in blocks sized so that one block's similarity rows (queries × documents, float32) stay within a fixed budget,
 * and each row's top k is taken on the CPU with ./ranking.ts (score descending, then document id ascending).
 * A zero vector has cosine 0 with everything (as in geometry.ts).
 */
import * as tf from "@tensorflow/tfjs";
import type { Matrix } from "../matrix";
import { rowBlock, unitRows } from "../metrics/geometry";
import { topK, type Hit } from "./ranking";

export interface DenseSearchOptions {
  /** similarity entries per query block (default 2^22, 16 MiB of float32) */
  blockEntries?: number;
}

const DEFAULT_BLOCK_ENTRIES = 1 << 22;

/** The top-k documents of each query row, in query order. */
export function denseSearch(
  queries: Matrix,
  documents: Matrix,
  documentIds: readonly string[],
  k: number,
  options: DenseSearchOptions = {},
): Hit[][] {
  if (queries.cols !== documents.cols)
    throw new Error(`denseSearch: query width ${queries.cols} differs from document width ${documents.cols}`);
  if (documentIds.length !== documents.rows)
    throw new Error(`denseSearch: ${documentIds.length} ids for ${documents.rows} documents`);
  if (documents.rows === 0) return Array.from({ length: queries.rows }, () => []);
  const budget = options.blockEntries ?? DEFAULT_BLOCK_ENTRIES;
  const queriesPerBlock = Math.max(1, Math.floor(budget / documents.rows));
  const kept = Math.min(k, documents.rows);
  const unitDocuments = tf.tidy(() => unitRows(rowBlock(documents, 0, documents.rows)));
  const results: Hit[][] = [];
  try {
    for (let start = 0; start < queries.rows; start += queriesPerBlock) {
      const end = Math.min(queries.rows, start + queriesPerBlock);
      const similarity = tf.tidy(
        () =>
          unitRows(rowBlock(queries, start, end))
            .matMul(unitDocuments, false, true)
            .dataSync() as Float32Array,
      );
      for (let q = 0; q < end - start; q++) {
        results.push(topK(similarity.subarray(q * documents.rows, (q + 1) * documents.rows), documentIds, kept));
      }
    }
  } finally {
    unitDocuments.dispose();
  }
  return results;
}
