/**
 * Per-document scores of chunkers on benchmark documents, for paired comparisons: two chunkers are compared on the SAME
 * documents, and the document is the independent unit a bootstrap resamples (`pairedDifference`). benchmark.ts's
 * `scoreChunkers` reports only means; `meanScores` of these rows gives the same numbers (checked in per_document.test.ts).
 *
 * Sentences are embedded once (`embedDocuments`, one embed call for all documents) and reused by every chunker and every
 * setting of a parameter sweep. Each row also records the mean chunk size the chunker was asked for (`targetSize`, NaN when it
 * ran with its own knob) and the mean size it reached, so a notebook can check that sizes are matched.
 */
import type { EmbeddingModel } from "../embedding/model";
import { splitRows, type Matrix } from "../matrix";
import { bootstrapCI, mean, type BootstrapInterval } from "../metrics/stats";
import type { BenchmarkOptions, ChunkerScore } from "./benchmark";
import type { SegmentedDocument } from "./benchmarks";
import { meanChunkSize } from "./boundaries";
import { chunkBoundaries, needs, type ChunkMethod } from "./chunkers";
import { boundaryScores, chunkSizeStats, pk, windowDiff } from "./metrics";

/** A benchmark document with one embedding row per sentence (undefined when no chunker needs them). */
export interface EmbeddedDocument extends SegmentedDocument {
  embeddings?: Matrix;
}

export interface DocumentScore {
  benchmark: string;
  document: string;
  method: ChunkMethod;
  /** the setting's label in a sweep ("" otherwise) */
  setting: string;
  sentences: number;
  pk: number;
  windowDiff: number;
  precision: number;
  recall: number;
  f1: number;
  /** the mean chunk size asked for (NaN: the chunker's own knob decided) */
  targetSize: number;
  meanChunkSentences: number;
  chunkSizeVariance: number;
  boundaries: number[];
}

/** Embeds every document's sentences in one call and attaches each document's rows. */
export async function embedDocuments(
  model: EmbeddingModel,
  documents: readonly SegmentedDocument[],
): Promise<EmbeddedDocument[]> {
  const vectors = await model.embed(
    documents.flatMap((d) => d.sentences),
    { onProgress: () => undefined },
  );
  const blocks = splitRows(
    vectors,
    documents.map((d) => d.sentences.length),
  );
  return documents.map((d, i) => ({ ...d, embeddings: blocks[i] }));
}

/** One row per (document, method): the chunker's boundaries scored against the document's true ones. */
export function scoreDocuments(
  benchmark: string,
  documents: readonly EmbeddedDocument[],
  methods: readonly ChunkMethod[],
  options: BenchmarkOptions & { setting?: string } = {},
): DocumentScore[] {
  return documents.flatMap((document) => {
    const n = document.sentences.length;
    const targetSize = options.target === "reference" ? meanChunkSize(n, document.boundaries) : options.target;
    return methods.map((method) => {
      if (needs(method, options.chunking ?? {}).embeddings && document.embeddings === undefined)
        throw new Error(`${document.id}: "${method}" needs embeddings (embedDocuments)`);
      const found = chunkBoundaries(
        method,
        { sentences: document.sentences, embeddings: document.embeddings },
        { ...options.chunking, targetSize },
      );
      const scores = boundaryScores(document.boundaries, found, { tolerance: options.tolerance });
      const sizes = chunkSizeStats(n, found);
      return {
        benchmark,
        document: document.id,
        method,
        setting: options.setting ?? "",
        sentences: n,
        pk: pk(n, document.boundaries, found),
        windowDiff: windowDiff(n, document.boundaries, found),
        precision: scores.precision,
        recall: scores.recall,
        f1: scores.f1,
        targetSize: targetSize ?? NaN,
        meanChunkSentences: sizes.mean,
        chunkSizeVariance: sizes.variance,
        boundaries: found,
      };
    });
  });
}

/** benchmark.ts's summary (means over documents) per method, in the order the methods first appear. */
export function meanScores(rows: readonly DocumentScore[]): ChunkerScore[] {
  const methods = [...new Set(rows.map((r) => r.method))];
  return methods.map((method) => {
    const own = rows.filter((r) => r.method === method);
    const m = (pick: (r: DocumentScore) => number) => mean(own.map(pick));
    return {
      method,
      documents: own.length,
      pk: m((r) => r.pk),
      windowDiff: m((r) => r.windowDiff),
      precision: m((r) => r.precision),
      recall: m((r) => r.recall),
      f1: m((r) => r.f1),
      meanChunkSentences: m((r) => r.meanChunkSentences),
      chunkSizeVariance: m((r) => r.chunkSizeVariance),
    };
  });
}

export type ScoreMeasure = "pk" | "windowDiff" | "f1" | "chunkSizeVariance";

/**
 * Mean over documents of (a − b) for one measure, with a percentile bootstrap interval that resamples documents. Rows of
 * both methods must cover the same documents (paired); one row per document and method.
 */
export function pairedDifference(
  rows: readonly DocumentScore[],
  a: ChunkMethod,
  b: ChunkMethod,
  measure: ScoreMeasure,
  options: { seed: number; resamples?: number },
): BootstrapInterval {
  const of = (method: ChunkMethod) =>
    new Map(rows.filter((r) => r.method === method).map((r) => [r.document, r[measure]]));
  const left = of(a);
  const right = of(b);
  if (left.size !== right.size || [...left.keys()].some((d) => !right.has(d)))
    throw new Error(`pairedDifference: ${a} and ${b} were not scored on the same documents`);
  const differences = [...left].map(([document, value]) => value - right.get(document)!);
  return bootstrapCI(differences, mean, { seed: options.seed, resamples: options.resamples ?? 2000 });
}

/** a type, not an interface, so rows pass as table rows (an index signature) */
export type SweepPoint = {
  benchmark: string;
  parameter: "window" | "percentile" | "minSentences";
  value: number;
  f1: number;
  pk: number;
  meanChunkSentences: number;
};

/**
 * The Shift Splitter with one parameter set to each value, the others at their defaults: at the documents' true mean
 * segment size for "window" and "minSentences" (so only where the cuts go changes), with its own threshold for "percentile"
 * (which sets how many cuts there are).
 */
export function sweepShiftSplitter(
  benchmark: string,
  documents: readonly EmbeddedDocument[],
  parameter: SweepPoint["parameter"],
  values: readonly number[],
): SweepPoint[] {
  return values.map((value) => {
    const target = parameter === "percentile" ? undefined : "reference";
    const [mean] = meanScores(
      scoreDocuments(benchmark, documents, ["shift"], { target, chunking: { [parameter]: value } }),
    );
    return { benchmark, parameter, value, f1: mean.f1, pk: mean.pk, meanChunkSentences: mean.meanChunkSentences };
  });
}
