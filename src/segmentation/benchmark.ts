/**
 * Scores chunkers on benchmark documents (benchmarks.ts): mean Pk, WindowDiff and boundary P/R/F1 over the documents, and
 * the spread of chunk sizes. By default every chunker is asked for each document's true mean segment size (`target:
 * "reference"`), so the comparison is at matched size and only WHERE the cuts go differs; a number asks for that mean size
 * everywhere, and `undefined` runs each chunker with its own defaults. Each document's sentences are embedded once and
 * shared by all chunkers.
 */
import type { EmbeddingModel } from "../embedding/model";
import { meanChunkSize } from "./boundaries";
import type { SegmentedDocument } from "./benchmarks";
import { chunkBoundaries, needs, type ChunkMethod, type ChunkOptions } from "./chunkers";
import { boundaryScores, chunkSizeStats, pk, windowDiff } from "./metrics";

export interface ChunkerScore {
  method: ChunkMethod;
  documents: number;
  pk: number;
  windowDiff: number;
  precision: number;
  recall: number;
  f1: number;
  /** mean over documents of the mean chunk size in sentences */
  meanChunkSentences: number;
  /** mean over documents of the variance of chunk sizes in sentences */
  chunkSizeVariance: number;
}

export interface BenchmarkOptions {
  target?: "reference" | number;
  /** boundary P/R/F1 tolerance in sentences (default 0) */
  tolerance?: number;
  /** method options besides the target size */
  chunking?: ChunkOptions;
}

export async function scoreChunkers(
  model: EmbeddingModel | undefined,
  documents: readonly SegmentedDocument[],
  methods: readonly ChunkMethod[],
  options: BenchmarkOptions = {},
): Promise<ChunkerScore[]> {
  const totals = methods.map((method) => ({
    method,
    documents: 0,
    pk: 0,
    windowDiff: 0,
    precision: 0,
    recall: 0,
    f1: 0,
    meanChunkSentences: 0,
    chunkSizeVariance: 0,
  }));
  const wantsEmbeddings = methods.some((m) => needs(m, options.chunking ?? {}).embeddings);
  for (const document of documents) {
    const n = document.sentences.length;
    const embeddings = wantsEmbeddings
      ? await model!.embed(document.sentences, { onProgress: () => undefined })
      : undefined;
    const targetSize = options.target === "reference" ? meanChunkSize(n, document.boundaries) : options.target;
    methods.forEach((method, i) => {
      const found = chunkBoundaries(
        method,
        { sentences: document.sentences, embeddings },
        { ...options.chunking, targetSize },
      );
      const scores = boundaryScores(document.boundaries, found, { tolerance: options.tolerance });
      const sizes = chunkSizeStats(n, found);
      const t = totals[i];
      t.documents++;
      t.pk += pk(n, document.boundaries, found);
      t.windowDiff += windowDiff(n, document.boundaries, found);
      t.precision += scores.precision;
      t.recall += scores.recall;
      t.f1 += scores.f1;
      t.meanChunkSentences += sizes.mean;
      t.chunkSizeVariance += sizes.variance;
    });
  }
  return totals.map((t) => {
    const d = Math.max(1, t.documents);
    return {
      method: t.method,
      documents: t.documents,
      pk: t.pk / d,
      windowDiff: t.windowDiff / d,
      precision: t.precision / d,
      recall: t.recall / d,
      f1: t.f1 / d,
      meanChunkSentences: t.meanChunkSentences / d,
      chunkSizeVariance: t.chunkSizeVariance / d,
    };
  });
}
