/**
 * The tables of notebook 09: chunker scores per benchmark beside the paper's row (secondary source), and the retrieval
 * summary. Shaping only; the numbers come from src/segmentation/.
 */
import type { Row } from "../figures/table";
import type { ChunkerScore } from "../segmentation/benchmark";
import type { SegmentedDocument } from "../segmentation/benchmarks";
import { chunkSizeStats } from "../segmentation/metrics";
import { PAPER_CHUNKER_TABLE } from "./shift_splitter_claims";

/** One row per benchmark: documents, mean sentences, mean true segments and their size variance per document. */
export function benchmarkRows(
  benchmarks: readonly { benchmark: string; documents: readonly SegmentedDocument[] }[],
): Row[] {
  return benchmarks.map(({ benchmark, documents }) => ({
    benchmark,
    documents: documents.length,
    "mean sentences": documents.reduce((s, d) => s + d.sentences.length, 0) / documents.length,
    "mean segments": documents.reduce((s, d) => s + d.boundaries.length + 1, 0) / documents.length,
    // the true segments' own size variance, the yardstick for the chunkers' (mean over documents, sentences)
    "true size variance":
      documents.reduce((s, d) => s + chunkSizeStats(d.sentences.length, d.boundaries).variance, 0) / documents.length,
  }));
}

/** One row per (benchmark, chunker), then the paper's three rows (its benchmark unstated; secondary source). */
export function chunkerTableRows(
  perBenchmark: readonly { benchmark: string; scores: readonly ChunkerScore[] }[],
): Row[] {
  const measured = perBenchmark.flatMap(({ benchmark, scores }) =>
    scores.map((s) => ({
      benchmark,
      chunker: s.method,
      F1: s.f1,
      Pk: s.pk,
      WindowDiff: s.windowDiff,
      "size variance": s.chunkSizeVariance,
      "mean chunk": s.meanChunkSentences,
    })),
  );
  const paper = Object.entries(PAPER_CHUNKER_TABLE).map(([method, p]) => ({
    benchmark: "paper (secondary source)",
    chunker: method,
    F1: p.f1,
    Pk: p.pk,
    WindowDiff: "—",
    "size variance": p.sizeVariance,
    "mean chunk": "—",
  }));
  return [...measured, ...paper];
}
