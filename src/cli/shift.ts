/**
 * `shiftlab shift`: the semantic shift of each document, and which documents a single pooled embedding serves worst.
 *
 * Input (stdin): JSON lines `{"id", "text"}` or `{"id", "sentences": [...]}` (json_lines.ts). Output (stdout), one line per
 * document: {"id", "sentences": k, "local", "disp", "shift", "cMean", "tokens"} where local, disp and shift are those of
 * src/metrics/shift.ts over the sentence vectors, cMean is the mean cosine distance from the model's embedding of the
 * whole text (the sentences joined with spaces) to its sentence vectors (the contextual C_mean of notebook 01; null for a
 * document without sentences), and tokens are the word pieces of the whole text, special tokens included.
 *
 * At the end a corpus summary goes to stderr as one JSON object: quantiles of every measure, and the documents most at
 * risk of dilution (highest cMean) with the reasons: length, dispersion, drift (at or above the corpus's 90th percentile),
 * truncation (more tokens than the model reads), and Theorem 1's floor 1 − √(1 − ((k − 1)/k)·Disp), below which no pooled
 * vector of these sentences can come. Quantiles come from a seeded reservoir of 10,000 documents (exact below that), so
 * memory stays constant however long the input.
 */
import { loadModel } from "../embedding/load_model";
import type { EmbeddingModel } from "../embedding/model";
import { parseEngineName, type EngineName } from "../encoders/states_engine";
import { row } from "../matrix";
import { meanDistanceToPooled, semanticShift, theorem1Prediction } from "../metrics/shift";
import { quantile } from "../metrics/stats";
import { joinSentences } from "../text/document_sentences";
import { randomInt, seededRandom } from "../util/random";
import { parseArgs, rejectUnknownFlags, stringFlag } from "./args";
import { batchDocuments, progressReporter, readDocuments, writeLine, type DocumentLine } from "./json_lines";
import { embedBatch, numberFlag, usage, UsageError } from "./split";

export interface DocumentShift {
  id: string;
  sentences: number;
  local: number;
  disp: number;
  shift: number;
  cMean: number | null;
  tokens: number;
}

const MEASURES = ["sentences", "tokens", "local", "disp", "shift", "cMean"] as const;
type Measure = (typeof MEASURES)[number];
const RESERVOIR_SIZE = 10_000;
const AT_RISK = 5;

/** The shift record of each document of a batch. */
export async function shiftRecords(
  model: EmbeddingModel,
  batch: DocumentLine[],
  batchSize?: number,
): Promise<DocumentShift[]> {
  const sentenceVectors = await embedBatch(model, batch, batchSize);
  const texts = batch.map((d) => joinSentences(d.sentences));
  const textVectors = await model.embed(texts, { batchSize, onProgress: () => undefined });
  const tokens = model.countTokens(texts);
  return batch.map((document, i) => {
    const measures = semanticShift(sentenceVectors[i]);
    const cMean = document.sentences.length > 0 ? meanDistanceToPooled(sentenceVectors[i], row(textVectors, i)) : null;
    return {
      id: document.id,
      sentences: document.sentences.length,
      local: measures.local,
      disp: measures.dispersion,
      shift: measures.shift,
      cMean,
      tokens: tokens[i],
    };
  });
}

/** Quantiles and the most diluted documents of a corpus, in memory that does not grow with it. */
export class CorpusShiftSummary {
  private seen = 0;
  private readonly reservoir: DocumentShift[] = [];
  private readonly atRisk: DocumentShift[] = [];
  private readonly random = seededRandom(0);

  constructor(private readonly maxTokens: number) {}

  get documents(): number {
    return this.seen;
  }

  add(record: DocumentShift): void {
    this.seen++;
    if (this.reservoir.length < RESERVOIR_SIZE) this.reservoir.push(record);
    else {
      const slot = randomInt(this.random, this.seen);
      if (slot < RESERVOIR_SIZE) this.reservoir[slot] = record;
    }
    if (record.cMean === null) return;
    this.atRisk.push(record);
    this.atRisk.sort((a, b) => b.cMean! - a.cMean!);
    if (this.atRisk.length > AT_RISK) this.atRisk.pop();
  }

  summary() {
    const quantiles = {} as Record<Measure, Record<string, number>>;
    const p90 = {} as Record<Measure, number>;
    for (const measure of MEASURES) {
      const values = this.reservoir
        .map((r) => r[measure])
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b);
      const at = (q: number) => quantile(values, q);
      quantiles[measure] = {
        min: at(0),
        p10: at(0.1),
        p25: at(0.25),
        median: at(0.5),
        p75: at(0.75),
        p90: at(0.9),
        max: at(1),
      };
      p90[measure] = at(0.9);
    }
    return {
      documents: this.seen,
      quantilesFrom: this.reservoir.length,
      quantiles,
      mostAtRisk: this.atRisk.map((r) => ({ id: r.id, cMean: r.cMean, reasons: riskReasons(r, p90, this.maxTokens) })),
    };
  }
}

/** Why a document's pooled embedding is far from its sentences, judged against the corpus's 90th percentiles. */
export function riskReasons(r: DocumentShift, p90: Record<Measure, number>, maxTokens: number): string[] {
  const reasons: string[] = [];
  const fixed = (v: number) => v.toFixed(3);
  if (r.tokens > maxTokens)
    reasons.push(
      `truncated: ${r.tokens} tokens, the model reads ${maxTokens}, so the text embedding never saw the end`,
    );
  if (r.sentences >= p90.sentences)
    reasons.push(`long: ${r.sentences} sentences (corpus 90th percentile ${fixed(p90.sentences)})`);
  if (r.disp >= p90.disp)
    reasons.push(
      `dispersed: Disp ${fixed(r.disp)} (corpus 90th percentile ${fixed(p90.disp)}), its sentences point different ways`,
    );
  if (r.local >= p90.local)
    reasons.push(
      `drifting: Local ${fixed(r.local)} (corpus 90th percentile ${fixed(p90.local)}), it moves far from sentence to sentence`,
    );
  reasons.push(
    `Theorem 1 floor: no pooled vector of these sentences has C_mean below ${fixed(theorem1Prediction(r.disp, r.sentences))}`,
  );
  if (reasons.length === 1)
    reasons.unshift("no single measure stands out: the model's whole-text embedding is far from each sentence");
  return reasons;
}

export async function shiftCommand(argv: string[]): Promise<number> {
  let settings: { model?: string; backend?: string; engine?: EngineName; batchSize?: number; progress: boolean };
  try {
    const args = usage(() => parseArgs(argv, ["no-progress"]));
    usage(() => rejectUnknownFlags(args, ["model", "backend", "engine", "batch-size", "no-progress"], "shift"));
    if (args.positional.length > 0)
      throw new UsageError(`shiftlab shift: unexpected argument ${JSON.stringify(args.positional[0])}`);
    settings = {
      model: usage(() => stringFlag(args, "model")),
      backend: usage(() => stringFlag(args, "backend")),
      engine: usage(() => parseEngineName(stringFlag(args, "engine"))),
      batchSize: numberFlag(args, "batch-size", { integer: true, min: 1 }),
      progress: !args.flags.has("no-progress"),
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  const model = await loadModel(settings.model, { backend: settings.backend, engine: settings.engine });
  const summary = new CorpusShiftSummary(model.info.maxLength);
  const progress = progressReporter("shift", settings.progress);
  try {
    for await (const batch of batchDocuments(readDocuments(process.stdin), 16, 256)) {
      for (const record of await shiftRecords(model, batch, settings.batchSize)) {
        await writeLine(process.stdout, JSON.stringify(record));
        summary.add(record);
      }
      progress(summary.documents);
    }
  } finally {
    model.dispose();
  }
  console.error(JSON.stringify(summary.summary()));
  return 0;
}
