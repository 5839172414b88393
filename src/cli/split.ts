/**
 * `shiftlab split`: chunk documents with one of the chunkers of src/segmentation and, where the input gives the true
 * boundaries, score the chunks against them.
 *
 * Input (stdin, JSON lines, json_lines.ts): `{"id", "text"}` or `{"id", "sentences": [...]}`, optionally `"boundaries"`.
 * Output (stdout), one line per document, in input order:
 *   {"id", "boundaries": [sentence indices where each chunk after the first starts],
 *    "chunks": [{"start", "end", "text"}]}          (end exclusive: sentences start … end − 1, joined with spaces)
 * plus "metrics": {"pk", "windowDiff", "precision", "recall", "f1"} when the line had "boundaries"; the mean metrics
 * over those documents are printed on stderr at the end as one JSON object. Documents are read, embedded and written a
 * small batch at a time, so memory does not grow with the input.
 */
import { loadModel } from "../embedding/load_model";
import type { EmbeddingModel } from "../embedding/model";
import { parseEngineName, type EngineName } from "../encoders/states_engine";
import { sliceRows } from "../matrix";
import { chunkRanges } from "../segmentation/boundaries";
import {
  CHUNK_METHODS,
  chunkBoundaries,
  isChunkMethod,
  needs,
  type ChunkMethod,
  type ChunkOptions,
} from "../segmentation/chunkers";
import { boundaryScores, pk, windowDiff } from "../segmentation/metrics";
import { joinSentences } from "../text/document_sentences";
import { parseArgs, rejectUnknownFlags, stringFlag, type ParsedArgs } from "./args";
import { batchDocuments, progressReporter, readDocuments, writeLine, type DocumentLine } from "./json_lines";

/** A mistake in the command line: reported with exit status 2. */
export class UsageError extends Error {}

const SPLIT_FLAGS = [
  "model",
  "backend",
  "engine",
  "method",
  "target-size",
  "percentile",
  "window",
  "min-sentences",
  "size",
  "unit",
  "max-tokens",
  "pseudo-sentence-words",
  "block-size",
  "tolerance",
  "k",
  "batch-size",
  "no-progress",
];

export interface SplitSettings {
  method: ChunkMethod;
  chunking: ChunkOptions;
  /** boundary P/R/F1 tolerance in sentences (default 0) */
  tolerance: number;
  /** Pk / WindowDiff window (default: half the mean true chunk length) */
  k?: number;
  model?: string;
  backend?: string;
  engine?: EngineName;
  batchSize?: number;
  progress: boolean;
}

export interface DocumentMetrics {
  pk: number;
  windowDiff: number;
  precision: number;
  recall: number;
  f1: number;
}

export function parseSplitArgs(argv: string[]): SplitSettings {
  const args = usage(() => parseArgs(argv, ["no-progress"]));
  usage(() => rejectUnknownFlags(args, SPLIT_FLAGS, "split"));
  if (args.positional.length > 0)
    throw new UsageError(`shiftlab split: unexpected argument ${JSON.stringify(args.positional[0])}`);
  const method = usage(() => stringFlag(args, "method"));
  if (method === undefined || !isChunkMethod(method))
    throw new UsageError(`shiftlab split: --method must be one of ${CHUNK_METHODS.join(", ")}`);
  const unit = usage(() => stringFlag(args, "unit"));
  const chunkUnit: ChunkOptions["unit"] = unit === "tokens" ? "tokens" : unit === "sentences" ? "sentences" : undefined;
  if (unit !== undefined && chunkUnit === undefined)
    throw new UsageError(`shiftlab split: --unit must be sentences or tokens`);
  return {
    method,
    chunking: {
      targetSize: numberFlag(args, "target-size", { positive: true }),
      unit: chunkUnit,
      size: numberFlag(args, "size", { integer: true, min: 1 }),
      maxTokens: numberFlag(args, "max-tokens", { integer: true, min: 1 }),
      percentile: numberFlag(args, "percentile", { min: 0, max: 100 }),
      window: numberFlag(args, "window", { integer: true, min: 1 }),
      minSentences: numberFlag(args, "min-sentences", { integer: true, min: 1 }),
      pseudoSentenceWords: numberFlag(args, "pseudo-sentence-words", { integer: true, min: 1 }),
      blockSize: numberFlag(args, "block-size", { integer: true, min: 1 }),
    },
    tolerance: numberFlag(args, "tolerance", { integer: true, min: 0 }) ?? 0,
    k: numberFlag(args, "k", { integer: true, min: 1 }),
    model: usage(() => stringFlag(args, "model")),
    backend: usage(() => stringFlag(args, "backend")),
    engine: usage(() => parseEngineName(stringFlag(args, "engine"))),
    batchSize: numberFlag(args, "batch-size", { integer: true, min: 1 }),
    progress: !args.flags.has("no-progress"),
  };
}

/** A numeric flag within bounds, or a UsageError. */
export function numberFlag(
  args: ParsedArgs,
  name: string,
  bounds: { integer?: boolean; positive?: boolean; min?: number; max?: number } = {},
): number | undefined {
  const raw = usage(() => stringFlag(args, name));
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const ok = raw.trim() !== "" && Number.isFinite(value) && (!bounds.integer || Number.isInteger(value));
  if (!ok || value < (bounds.min ?? -Infinity) || value > (bounds.max ?? Infinity) || (bounds.positive && value <= 0)) {
    const limits = [
      bounds.positive ? "> 0" : "",
      bounds.min !== undefined ? `≥ ${bounds.min}` : "",
      bounds.max !== undefined ? `≤ ${bounds.max}` : "",
    ];
    const range = limits.filter((l) => l !== "").join(" and ");
    throw new UsageError(
      `--${name} must be ${bounds.integer ? "a whole number" : "a number"}${range ? " " + range : ""}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/** Runs a flag parser, turning its errors into UsageErrors. */
export function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The output line of one document, chunked at `boundaries`. */
export function splitRecord(
  document: DocumentLine,
  boundaries: number[],
  settings: Pick<SplitSettings, "tolerance" | "k">,
) {
  const chunks = chunkRanges(document.sentences.length, boundaries).map(({ start, end }) => ({
    start,
    end,
    text: joinSentences(document.sentences.slice(start, end)),
  }));
  const record: { id: string; boundaries: number[]; chunks: typeof chunks; metrics?: DocumentMetrics } = {
    id: document.id,
    boundaries,
    chunks,
  };
  if (document.boundaries)
    record.metrics = documentMetrics(document.sentences.length, document.boundaries, boundaries, settings);
  return record;
}

export function documentMetrics(
  n: number,
  truth: number[],
  found: number[],
  settings: Pick<SplitSettings, "tolerance" | "k">,
): DocumentMetrics {
  const { precision, recall, f1 } = boundaryScores(truth, found, { tolerance: settings.tolerance });
  return {
    pk: pk(n, truth, found, { k: settings.k }),
    windowDiff: windowDiff(n, truth, found, { k: settings.k }),
    precision,
    recall,
    f1,
  };
}

export async function splitCommand(argv: string[]): Promise<number> {
  let settings: SplitSettings;
  try {
    settings = parseSplitArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  const need = needs(settings.method, settings.chunking);
  const model =
    need.embeddings || need.tokens
      ? await loadModel(settings.model, { backend: settings.backend, engine: settings.engine })
      : undefined;
  const totals = {
    documents: 0,
    scored: 0,
    chunks: 0,
    sentences: 0,
    pk: 0,
    windowDiff: 0,
    precision: 0,
    recall: 0,
    f1: 0,
  };
  const progress = progressReporter("split", settings.progress);
  try {
    for await (const batch of batchDocuments(readDocuments(process.stdin), 16, 256)) {
      const embeddings = need.embeddings ? await embedBatch(model!, batch, settings.batchSize) : [];
      for (const [i, document] of batch.entries()) {
        const sentenceTokens = need.tokens ? contentTokens(model!, document.sentences) : undefined;
        const boundaries = chunkBoundaries(
          settings.method,
          { sentences: document.sentences, embeddings: embeddings[i], sentenceTokens },
          settings.chunking,
        );
        const record = splitRecord(document, boundaries, settings);
        await writeLine(process.stdout, JSON.stringify(record));
        totals.documents++;
        totals.chunks += record.chunks.length;
        totals.sentences += document.sentences.length;
        if (record.metrics) {
          totals.scored++;
          for (const key of ["pk", "windowDiff", "precision", "recall", "f1"] as const)
            totals[key] += record.metrics[key];
        }
      }
      progress(totals.documents);
    }
  } finally {
    model?.dispose();
  }
  const summary: Record<string, unknown> = {
    method: settings.method,
    documents: totals.documents,
    meanChunkSentences: totals.chunks > 0 ? totals.sentences / totals.chunks : 0,
  };
  if (totals.scored > 0) {
    summary.scored = totals.scored;
    for (const key of ["pk", "windowDiff", "precision", "recall", "f1"] as const)
      summary[key] = totals[key] / totals.scored;
  }
  console.error(JSON.stringify(summary));
  return 0;
}

/** Sentence vectors of a batch of documents, embedded in one call, as one matrix per document. */
export async function embedBatch(model: EmbeddingModel, batch: DocumentLine[], batchSize?: number) {
  const sentences = batch.flatMap((d) => d.sentences);
  const all =
    sentences.length > 0
      ? await model.embed(sentences, { batchSize, onProgress: () => undefined })
      : { rows: 0, cols: 0, data: new Float32Array(0) };
  let offset = 0;
  return batch.map((d) => sliceRows(all, offset, (offset += d.sentences.length)));
}

/** Word pieces of each sentence without the special tokens the tokenizer adds to every text. */
export function contentTokens(model: EmbeddingModel, sentences: readonly string[]): number[] {
  const special = model.countTokens([""])[0];
  return model.countTokens([...sentences]).map((n) => n - special);
}
