/**
 * Chunked retrieval: does WHERE a document is cut change what a retriever finds in it?
 *
 * Each long document (long_documents.ts, its query sentences already removed) is cut by each chunker at the same target mean
 * chunk size; every chunk gets a vector, and a document's score for a query is its BEST chunk's cosine (max over its chunks).
 * The baseline gives each document one vector. A query's rank is 1 + the number of OTHER documents scoring at least as high
 * as its own (ties count against it, as in metrics/retrieval.ts); Recall@k is the share of queries with rank ≤ k.
 *
 * Chunk vectors (`vectors`):
 * - "pooled": the mean of the chunk's unit sentence vectors (the model embeds each sentence once); the one-vector baseline is
 *   the mean over all of the document's sentences. Only the unit that is pooled differs between methods, never the encoder
 *   input, so the comparison isolates where the cuts go (and costs no extra encoding).
 * - "encoded": the model embeds each chunk's text (sentences joined with spaces), as a RAG pipeline does; the baseline embeds
 *   the whole document's text, which the model truncates at its token limit.
 * Either way the chunkers that read embeddings (semantic, shift) cut on the sentence vectors, and each document's Shift
 * (Local · Disp of its sentence vectors) is kept for the by-shift breakdown.
 */
import type { EmbeddingModel } from "../embedding/model";
import { matrixFromRows, sliceRows, splitRows, type Matrix } from "../matrix";
import { cosineSimilarityMatrix } from "../metrics/geometry";
import { semanticShift } from "../metrics/shift";
import { bootstrapCI, mean, type BootstrapInterval } from "../metrics/stats";
import { meanOfUnitRows } from "../metrics/vectors";
import { joinSentences } from "../text/document_sentences";
import { chunkRanges, meanChunkSize } from "./boundaries";
import { chunkBoundaries, type ChunkMethod, type ChunkOptions } from "./chunkers";
import type { HeldOutDocument } from "./long_documents";

export const ONE_VECTOR = "one vector per document";
export type RetrievalUnit = ChunkMethod | typeof ONE_VECTOR;
export type ChunkVectorMode = "pooled" | "encoded";

export interface ChunkedRetrievalOptions {
  methods: readonly ChunkMethod[];
  /** the mean chunk size in sentences every chunker is fitted to */
  targetSize: number;
  vectors: ChunkVectorMode;
  /** other chunker options (window, minSentences, …) */
  chunking?: ChunkOptions;
}

export interface QueryRank {
  document: string;
  source: string;
  /** sentences of the document after its queries were removed */
  sentences: number;
  shift: number;
  unit: RetrievalUnit;
  query: string;
  rank: number;
}

export interface DocumentChunking {
  document: string;
  method: ChunkMethod;
  boundaries: number[];
  meanChunkSentences: number;
  chunkTexts: string[];
}

export interface ChunkedRetrieval {
  ranks: QueryRank[];
  chunkings: DocumentChunking[];
}

/** The text of each chunk: its sentences joined with spaces. */
export function chunkTexts(sentences: readonly string[], boundaries: readonly number[]): string[] {
  return chunkRanges(sentences.length, boundaries).map((c) => joinSentences(sentences.slice(c.start, c.end)));
}

/** One row per chunk: the mean of the chunk's unit sentence vectors. */
export function pooledChunkVectors(sentenceVectors: Matrix, boundaries: readonly number[]): Matrix {
  return matrixFromRows(
    chunkRanges(sentenceVectors.rows, boundaries).map((c) =>
      meanOfUnitRows(sliceRows(sentenceVectors, c.start, c.end)),
    ),
    sentenceVectors.cols,
  );
}

/**
 * Rank of each query's target document when a document scores its best chunk's cosine. chunkOwner[c] is the document of
 * chunk row c (0 … documents − 1); targets[q] the document of query q.
 */
export function bestChunkRanks(
  queries: Matrix,
  chunks: Matrix,
  chunkOwner: readonly number[],
  targets: readonly number[],
  documents: number,
): number[] {
  if (chunkOwner.length !== chunks.rows)
    throw new Error(`bestChunkRanks: ${chunkOwner.length} owners for ${chunks.rows} chunks`);
  if (targets.length !== queries.rows)
    throw new Error(`bestChunkRanks: ${targets.length} targets for ${queries.rows} queries`);
  const similarity = cosineSimilarityMatrix(queries, chunks);
  return targets.map((target, q) => {
    const score = new Array<number>(documents).fill(-Infinity);
    for (let c = 0; c < chunks.rows; c++)
      score[chunkOwner[c]] = Math.max(score[chunkOwner[c]], similarity.data[q * chunks.rows + c]);
    if (score[target] === -Infinity) throw new Error(`bestChunkRanks: document ${target} has no chunk`);
    return 1 + score.filter((s, d) => d !== target && s >= score[target]).length;
  });
}

/** Every chunker (and the one-vector baseline) on the same documents and queries; see the header. */
export async function chunkedRetrieval(
  model: EmbeddingModel,
  documents: readonly HeldOutDocument[],
  options: ChunkedRetrievalOptions,
): Promise<ChunkedRetrieval> {
  const quiet = { onProgress: () => undefined };
  const sentenceBlocks = splitRows(
    await model.embed(
      documents.flatMap((d) => d.sentences),
      quiet,
    ),
    documents.map((d) => d.sentences.length),
  );
  const queries = await model.embed(
    documents.flatMap((d) => d.queries),
    quiet,
  );
  const targets = documents.flatMap((d, i) => d.queries.map(() => i));
  const shifts = sentenceBlocks.map((block) => semanticShift(block).shift);
  const chunkings: DocumentChunking[] = [];
  const ranks: QueryRank[] = [];
  const score = async (unit: RetrievalUnit, boundariesOf: (i: number) => number[]) => {
    const perDocument = documents.map((d, i) => boundariesOf(i));
    const owners = perDocument.flatMap((b, i) => new Array<number>(b.length + 1).fill(i));
    const vectors =
      options.vectors === "pooled"
        ? stack(perDocument.map((b, i) => pooledChunkVectors(sentenceBlocks[i], b)))
        : await model.embed(
            perDocument.flatMap((b, i) => chunkTexts(documents[i].sentences, b)),
            quiet,
          );
    const found = bestChunkRanks(queries, vectors, owners, targets, documents.length);
    targets.forEach((i, q) => {
      const d = documents[i];
      ranks.push({
        document: d.id,
        source: d.source,
        sentences: d.sentences.length,
        shift: shifts[i],
        unit,
        query: d.queries[q - targets.indexOf(i)],
        rank: found[q],
      });
    });
    return perDocument;
  };
  for (const method of options.methods) {
    const found = await score(method, (i) =>
      chunkBoundaries(
        method,
        { sentences: documents[i].sentences, embeddings: sentenceBlocks[i] },
        { ...options.chunking, targetSize: options.targetSize },
      ),
    );
    found.forEach((boundaries, i) => {
      const d = documents[i];
      chunkings.push({
        document: d.id,
        method,
        boundaries,
        meanChunkSentences: meanChunkSize(d.sentences.length, boundaries),
        chunkTexts: chunkTexts(d.sentences, boundaries),
      });
    });
  }
  await score(ONE_VECTOR, () => []);
  return { ranks, chunkings };
}

function stack(parts: Matrix[]): Matrix {
  return matrixFromRows(
    parts.flatMap((m) => Array.from({ length: m.rows }, (_, r) => m.data.subarray(r * m.cols, (r + 1) * m.cols))),
    parts[0]?.cols,
  );
}

const hit = (rank: number, k: number) => (rank <= k ? 1 : 0);

/** Per unit: queries, Recall@1, Recall@k and the mean reciprocal rank. */
export function retrievalSummary(ranks: readonly QueryRank[], k: number) {
  return [...new Set(ranks.map((r) => r.unit))].map((unit) => {
    const own = ranks.filter((r) => r.unit === unit);
    return {
      unit,
      queries: own.length,
      recallAt1: mean(own.map((r) => hit(r.rank, 1))),
      [`recallAt${k}`]: mean(own.map((r) => hit(r.rank, k))),
      mrr: mean(own.map((r) => 1 / r.rank)),
    };
  });
}

/**
 * Recall@k per unit within equal-count bins of the documents (terciles for bins = 3), ordered by their length or Shift:
 * documents are ranked by the value (ties in document order) and cut into `bins` groups of as equal a count as possible;
 * `range` gives the values the group spans.
 */
export function recallByBin(ranks: readonly QueryRank[], by: "sentences" | "shift", k: number, bins = 3) {
  const values = new Map(ranks.map((r) => [r.document, r[by]]));
  const ordered = [...values.keys()].sort((a, b) => values.get(a)! - values.get(b)!);
  const binOf = new Map(ordered.map((document, i) => [document, Math.floor((i * bins) / ordered.length)]));
  const fmt = (x: number) => (by === "sentences" ? x.toFixed(0) : x.toFixed(2));
  return [...new Set(ranks.map((r) => r.unit))].flatMap((unit) =>
    Array.from({ length: bins }, (_, b) => {
      const own = ranks.filter((r) => r.unit === unit && binOf.get(r.document) === b);
      const spanned = ordered.filter((d) => binOf.get(d) === b).map((d) => values.get(d)!);
      return {
        unit,
        bin: b,
        range: `${fmt(Math.min(...spanned))}–${fmt(Math.max(...spanned))}`,
        documents: new Set(own.map((r) => r.document)).size,
        recall: mean(own.map((r) => hit(r.rank, k))),
      };
    }),
  );
}

/**
 * Mean over documents of (hits@k of unit a − hits@k of unit b), each document's hits averaged over its queries, with a
 * percentile bootstrap interval that resamples documents (the independent unit; queries of one document share its chunks).
 */
export function pairedRecallDifference(
  ranks: readonly QueryRank[],
  a: RetrievalUnit,
  b: RetrievalUnit,
  k: number,
  options: { seed: number; resamples?: number },
): BootstrapInterval {
  const perDocument = (unit: RetrievalUnit) => {
    const byDocument = new Map<string, number[]>();
    for (const r of ranks.filter((r) => r.unit === unit))
      byDocument.set(r.document, [...(byDocument.get(r.document) ?? []), hit(r.rank, k)]);
    return new Map([...byDocument].map(([d, hits]) => [d, mean(hits)]));
  };
  const left = perDocument(a);
  const right = perDocument(b);
  if (left.size !== right.size || [...left.keys()].some((d) => !right.has(d)))
    throw new Error(`pairedRecallDifference: ${a} and ${b} cover different documents`);
  return bootstrapCI(
    [...left].map(([d, v]) => v - right.get(d)!),
    mean,
    { seed: options.seed, resamples: options.resamples ?? 2000 },
  );
}
