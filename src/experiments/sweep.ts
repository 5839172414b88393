/**
 * The length-vs-shift measurements of length_vs_shift.ts as a sweep over models × corpora (notebook 05).
 *
 * Models: the default encoder (SHIFTLAB_MODEL, else the mini encoder), every Transformer checkpoint in the assets' models/
 * folder (the mini encoder and its MLM-only and CLS variants in the shared assets), every reference in SHIFTLAB_MODELS
 * (comma-separated, anything loadModel accepts: a checkpoint folder, a folder name under $SHIFTLAB_ASSETS/models, a Hugging
 * Face id in the local cache), and the static GloVe average as a non-contextual baseline. Texts are constructed once per corpus, matched in the first encoder's
 * word pieces and capped at the smallest encoder maxLength, so every model sees the same texts; each model's own tokenizer
 * then measures the length that enters its regression (GloVe: words).
 *
 * Per (model, corpus) one row: the plain-corpus MPD (cosine MPD of plain passages of the corpus, see sentence_corpora.plainPassages), MPD and
 * Overlap@1 per mode at the compared k with the chance level, the raw correlations of concentration with Shift and length, and
 * the inference of length_vs_shift_inference.ts: the between-cell permutation p of Shift, the within-cell partial r of length
 * and Shift with seed-bootstrap bounds, and the lower bounds of the paired MPD and Overlap@1 differences.
 */
import type { EmbedOptions, EmbeddingModel } from "../embedding/model";
import { meanPairwiseCosineDistance } from "../metrics/geometry";
import { assetTransformerModels } from "../assets/model_ref";
import { loadModel } from "../embedding/load_model";
import { setting, type Environment } from "../settings";
import { DEFAULT_STATIC_MODEL, loadStaticWordModel } from "../encoders/static_word_model";
import { CONSTRUCTION_MODES, type ConstructionMode } from "./construct";
import {
  cellLevelShiftTest,
  pairedContrasts,
  smallCellNotes,
  withinCellAssociations,
  type InferenceOptions,
  type PairedContrasts,
} from "./length_vs_shift_inference";
import {
  distinctTexts,
  measureLengthVsShift,
  regressConcentration,
  textsToEmbed,
  TextVectors,
  type CellSummary,
  type CorpusConstruction,
  type TextMeasurement,
} from "./length_vs_shift";

export interface SweepModelSpec {
  /** the name shown in tables and figures */
  label: string;
  kind: "encoder" | "static";
  /** loadModel reference (encoders), or the static model's folder name */
  ref?: string;
}

/** Comma-separated model references (SHIFTLAB_MODELS), trimmed, empty entries dropped, duplicates once. */
export function parseModelList(value: string | undefined): string[] {
  return [
    ...new Set(
      (value ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    ),
  ];
}

/**
 * The sweep's models: the default encoder (SHIFTLAB_MODEL, else the mini encoder), every Transformer in the assets' models/
 * folder, the SHIFTLAB_MODELS references, then the GloVe baseline. Each reference once; the first one defines "equal length".
 */
export function sweepModelSpecs(
  env: Environment = process.env,
  assetModels: string[] = assetTransformerModels(),
): SweepModelSpec[] {
  const defaultRef = setting("SHIFTLAB_MODEL", env) ?? "shiftlab-mini-encoder";
  const refs = parseModelList([defaultRef, ...assetModels, setting("SHIFTLAB_MODELS", env) ?? ""].join(","));
  return [
    ...refs.map((ref): SweepModelSpec => ({ label: labelOf(ref), kind: "encoder", ref })),
    { label: "GloVe average (static)", kind: "static", ref: DEFAULT_STATIC_MODEL },
  ];
}

/** A short label: the last path component of a folder or hub id. */
function labelOf(ref: string): string {
  const parts = ref.replace(/[\\/]+$/, "").split(/[\\/]/);
  return parts[parts.length - 1] || ref;
}

export async function loadSweepModel(spec: SweepModelSpec): Promise<EmbeddingModel> {
  return spec.kind === "static" ? loadStaticWordModel(spec.ref) : loadModel(spec.ref);
}

/** Plain-corpus MPD the paper reports for three production encoders (none of them is available here). */
export const PAPER_PLAIN_MPD = [
  { pattern: /bge-large/i, model: "bge-large", mpd: 0.6 },
  { pattern: /e5-large/i, model: "e5-large", mpd: 0.2 },
  { pattern: /all-mpnet/i, model: "all-mpnet", mpd: 0.8 },
] as const;

/** The paper's plain-corpus MPD for a model whose name matches one of PAPER_PLAIN_MPD, else undefined. */
export function paperPlainMpdFor(modelName: string): { model: string; mpd: number } | undefined {
  const hit = PAPER_PLAIN_MPD.find((p) => p.pattern.test(modelName));
  return hit ? { model: hit.model, mpd: hit.mpd } : undefined;
}

export interface SweepCorpus {
  construction: CorpusConstruction;
  /** plain passages of the corpus for the corpus-level MPD */
  passages: string[];
}

export interface SweepRow {
  [column: string]: string | number | null;
  model: string;
  corpus: string;
  /** distinct constructed texts in the regression (k = 1 once) */
  texts: number;
  plainMpd: number;
  /** the k at which MPD and Overlap@1 per mode are reported */
  compareK: number;
  mpdRepeat: number;
  mpdSequential: number;
  mpdRandom: number;
  overlapRepeat: number;
  overlapSequential: number;
  overlapRandom: number;
  /** Overlap@1 of a random ranking at compareK (1 / pool size) and the smallest cell's size there */
  chance: number;
  minCellTexts: number;
  /** Pearson of concentration with Shift and with length, all texts pooled (descriptive) */
  rShift: number;
  rLength: number;
  /** one-sided stratified permutation p of "concentration rises with Shift between the cells of each k" */
  shiftCellP: number;
  /** partial r of length (and of Shift) with concentration inside cells, with seed-bootstrap bounds */
  lengthWithin: number;
  lengthWithinLower: number;
  lengthWithinUpper: number;
  shiftWithin: number;
  shiftWithinLower: number;
  /** lower bounds of the paired differences at compareK */
  mpdRepeatMinusSequentialLower: number;
  mpdSequentialMinusRandomLower: number;
  overlapRepeatMinusSequentialLower: number;
  overlapSequentialMinusRandomLower: number;
  /** why something could not be measured */
  note: string;
}

export interface ModelSweepResult {
  model: string;
  rows: SweepRow[];
  cells: (CellSummary & { model: string })[];
  texts: (TextMeasurement & { model: string })[];
}

export interface SweepOptions {
  /** report per-mode MPD and Overlap@1 at this k (default 8), or the largest k below it that a corpus has */
  compareK?: number;
  embed?: EmbedOptions;
  /** inference settings (cells with fewer than minTexts texts are excluded: claims.MIN_TEXTS_PER_CELL) */
  inference: InferenceOptions;
}

/** All measurements of one model on every corpus, from one embed call (constructed texts, sentences, seeds and passages). */
export async function measureModelOnCorpora(
  label: string,
  model: EmbeddingModel,
  corpora: readonly SweepCorpus[],
  options: SweepOptions,
): Promise<ModelSweepResult> {
  const constructions = corpora.map((c) => c.construction);
  const vectors = await TextVectors.embed(
    model,
    textsToEmbed(
      constructions,
      corpora.flatMap((c) => c.passages),
    ),
    options.embed,
  );
  const measured = measureLengthVsShift(constructions, vectors, { countTokens: (texts) => model.countTokens(texts) });
  const rows = corpora.map((corpus) => {
    const name = corpus.construction.corpus;
    const texts = measured.texts.filter((t) => t.corpus === name);
    const plainMpd = corpus.passages.length > 1 ? meanPairwiseCosineDistance(vectors.rows(corpus.passages)) : NaN;
    const row = sweepRow(
      label,
      name,
      measured.cells.filter((c) => c.corpus === name),
      texts,
      plainMpd,
      options.compareK ?? 8,
      options.inference,
    );
    const contrasts = Number.isFinite(row.compareK)
      ? pairedContrasts(corpus.construction, vectors, texts, row.compareK, options.inference)
      : undefined;
    return withContrasts(row, contrasts);
  });
  return {
    model: label,
    rows,
    cells: measured.cells.map((c) => ({ model: label, ...c })),
    texts: measured.texts.map((t) => ({ model: label, ...t })),
  };
}

/** One table row from a corpus's cells and texts (see SweepRow); a degenerate corpus gets NaN and a note, never an error. */
export function sweepRow(
  model: string,
  corpus: string,
  cells: readonly CellSummary[],
  texts: readonly TextMeasurement[],
  plainMpd: number,
  wantedK: number,
  inference: InferenceOptions,
): SweepRow {
  const complete = [...new Set(cells.map((c) => c.k))].filter(
    (k) =>
      k <= wantedK &&
      ["repeat", "sequential", "random"].every((m) => cells.some((c) => c.k === k && c.mode === m && c.texts > 1)),
  );
  const compareK = complete.length > 0 ? Math.max(...complete) : NaN;
  const at = (mode: ConstructionMode) => cells.find((c) => c.k === compareK && c.mode === mode);
  const pooled = regressConcentration(texts, "none");
  const test = cellLevelShiftTest(texts, inference);
  const within = withinCellAssociations(texts, inference);
  const notes = [
    ...smallCellNotes(cells, inference.minTexts),
    pooled.note,
    within.note,
    Number.isFinite(test.pValue) ? undefined : "no between-cell test (no k with two usable cells)",
  ];
  const atK = CONSTRUCTION_MODES.map((m) => at(m)?.texts ?? 0);
  return {
    model,
    corpus,
    texts: distinctTexts(texts).length,
    plainMpd,
    compareK,
    mpdRepeat: at("repeat")?.mpd ?? NaN,
    mpdSequential: at("sequential")?.mpd ?? NaN,
    mpdRandom: at("random")?.mpd ?? NaN,
    overlapRepeat: at("repeat")?.overlapAt1 ?? NaN,
    overlapSequential: at("sequential")?.overlapAt1 ?? NaN,
    overlapRandom: at("random")?.overlapAt1 ?? NaN,
    chance: at("repeat") ? 1 / at("repeat")!.texts : NaN,
    minCellTexts: Math.min(...atK),
    rShift: pooled.correlationShift,
    rLength: pooled.correlationLength,
    shiftCellP: test.pValue,
    lengthWithin: within.lengthGivenShift?.estimate ?? NaN,
    lengthWithinLower: within.lengthGivenShift?.lower ?? NaN,
    lengthWithinUpper: within.lengthGivenShift?.upper ?? NaN,
    shiftWithin: within.shiftGivenLength?.estimate ?? NaN,
    shiftWithinLower: within.shiftGivenLength?.lower ?? NaN,
    mpdRepeatMinusSequentialLower: NaN,
    mpdSequentialMinusRandomLower: NaN,
    overlapRepeatMinusSequentialLower: NaN,
    overlapSequentialMinusRandomLower: NaN,
    note: notes.filter((n) => n !== undefined).join("; "),
  };
}

function withContrasts(row: SweepRow, c: PairedContrasts | undefined): SweepRow {
  if (!c) return row;
  return {
    ...row,
    mpdRepeatMinusSequentialLower: c.mpdRepeatMinusSequential?.lower ?? NaN,
    mpdSequentialMinusRandomLower: c.mpdSequentialMinusRandom?.lower ?? NaN,
    overlapRepeatMinusSequentialLower: c.overlapRepeatMinusSequential?.lower ?? NaN,
    overlapSequentialMinusRandomLower: c.overlapSequentialMinusRandom?.lower ?? NaN,
    note: [row.note, c.note].filter((n) => n).join("; "),
  };
}

/** rows → z[model][corpus] of one numeric column, for heatmaps (NaN where a pair is missing). */
export function modelByCorpus(
  rows: readonly SweepRow[],
  column: keyof SweepRow & string,
): { z: number[][]; models: string[]; corpora: string[] } {
  const models = [...new Set(rows.map((r) => r.model))];
  const corpora = [...new Set(rows.map((r) => r.corpus))];
  const z = models.map((m) =>
    corpora.map((c) => {
      const value = rows.find((r) => r.model === m && r.corpus === c)?.[column];
      return typeof value === "number" ? value : NaN;
    }),
  );
  return { z, models, corpora };
}
