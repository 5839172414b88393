/**
 * Length or semantic shift: which one makes pooled text embeddings concentrate? (notebooks 04 and 05)
 *
 * Texts come from constructTexts (construct.ts): for each seed sentence and k, a repeat, a sequential and a random text of the
 * same word-piece length. A *cell* is all texts of one (corpus, mode, k); everything below is measured per cell:
 * - MPD: mean pairwise cosine distance of the cell's text embeddings; anisotropy: their mean pairwise cosine (= 1 − MPD);
 * - Shift of each text (shift.ts) from the embeddings of the text's own sentences (after matching, so a cut sentence counts as
 *   it was embedded);
 * - concentration of each text: its mean cosine to the other texts of its cell (geometry.meanCosineToOthers);
 * - retrieval: the seed sentence alone is the query, the cell's texts are the candidates; Overlap@1 is the fraction of seeds
 *   whose own constructed text is the query's nearest text in the cell, Recall@5 the fraction within the nearest 5
 *   (retrieval.ts; ties count against the seed).
 * At k = 1 the three modes give the same text (the seed sentence), so the three k = 1 cells are identical; regressions count
 * those texts once.
 *
 * Every text the measurements need (constructed texts, their sentences, the seed sentences) is embedded once, in one embed call
 * (TextVectors), so a notebook pays one length-bucketed pass per model.
 */
import { selectRows, type Matrix } from "../matrix";
import type { EmbedOptions, EmbeddingModel } from "../embedding/model";
import { anisotropy, meanCosineToOthers, meanPairwiseCosineDistance } from "../metrics/geometry";
import { fractionWithinRank, meanReciprocalRank, relevantRanks } from "../metrics/retrieval";
import { semanticShift } from "../metrics/shift";
import { mean, ols, partialCorrelation, pearson } from "../metrics/stats";
import {
  CONSTRUCTION_MODES,
  constructTexts,
  type ConstructedText,
  type Construction,
  type ConstructionMode,
  type ConstructionReport,
  type ConstructOptions,
  seedSentencesOf,
  type SentenceDocument,
} from "./construct";

/** Overlap@1 by construction mode as reported by the paper (secondary source; the paper's k is not given). */
export const PAPER_OVERLAP_AT_1: Record<ConstructionMode, number> = { repeat: 0.99, sequential: 0.72, random: 0.57 };

// ---------------------------------------------------------------------------------------------------------------------------
// Construction

export interface CorpusConstruction {
  corpus: string;
  texts: ConstructedText[];
  reports: ConstructionReport[];
  /** candidates tried and lost before any k (construct.ts) */
  seedLevel: Construction["seedLevel"];
  /** seedId → the whole seed sentence (the retrieval query) */
  seedSentences: Map<string, string>;
}

/** constructTexts on one corpus, plus the seed sentence of every seed (see construct.ts for the matching rule). */
export function constructCorpus(
  corpus: string,
  documents: SentenceDocument[],
  options: ConstructOptions,
): CorpusConstruction {
  const { texts, reports, seedLevel } = constructTexts(documents, options);
  return { corpus, texts, reports, seedLevel, seedSentences: seedSentencesOf(texts, documents) };
}

/** Every distinct text to embed: constructed texts, their sentences and the seed sentences (then any extra texts). */
export function textsToEmbed(constructions: readonly CorpusConstruction[], extra: readonly string[] = []): string[] {
  const texts = new Set<string>();
  for (const c of constructions) {
    for (const t of c.texts) {
      texts.add(t.text);
      for (const s of t.sentences) texts.add(s);
    }
    for (const s of c.seedSentences.values()) texts.add(s);
  }
  for (const t of extra) texts.add(t);
  return [...texts];
}

/** Embeddings of a set of distinct texts, looked up by text. */
export class TextVectors {
  private constructor(
    private readonly rowOf: Map<string, number>,
    readonly matrix: Matrix,
  ) {}

  /** One embed call for all distinct texts (batching is length-bucketed inside the model). */
  static async embed(model: EmbeddingModel, texts: Iterable<string>, options: EmbedOptions = {}): Promise<TextVectors> {
    const distinct = [...new Set(texts)];
    const matrix = await model.embed(distinct, options);
    return new TextVectors(new Map(distinct.map((t, i) => [t, i])), matrix);
  }

  /** From an already embedded list (row i of matrix is texts[i]). */
  static fromMatrix(texts: readonly string[], matrix: Matrix): TextVectors {
    if (texts.length !== matrix.rows) throw new Error(`TextVectors: ${texts.length} texts for ${matrix.rows} rows`);
    return new TextVectors(new Map(texts.map((t, i) => [t, i])), matrix);
  }

  has(text: string): boolean {
    return this.rowOf.has(text);
  }

  /** The rows of these texts, in the given order. */
  rows(texts: readonly string[]): Matrix {
    return selectRows(
      this.matrix,
      texts.map((t) => {
        const r = this.rowOf.get(t);
        if (r === undefined) throw new Error(`TextVectors: not embedded: ${JSON.stringify(t.slice(0, 80))}`);
        return r;
      }),
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------------------
// Measurements

export interface TextMeasurement {
  corpus: string;
  mode: ConstructionMode;
  k: number;
  seedId: string;
  /** word pieces of the text (the measuring model's own count when measureLengthVsShift got countTokens) */
  tokens: number;
  shift: number;
  local: number;
  dispersion: number;
  /** mean cosine of the text to the other texts of its cell */
  concentration: number;
  /** rank of this text among the cell's texts for its seed sentence as the query (1 = nearest) */
  rank: number;
}

export interface CellSummary {
  corpus: string;
  mode: ConstructionMode;
  k: number;
  texts: number;
  meanTokens: number;
  /** mean pairwise cosine distance of the cell's text embeddings */
  mpd: number;
  /** mean pairwise cosine of the cell's text embeddings (= 1 − mpd) */
  anisotropy: number;
  meanShift: number;
  meanConcentration: number;
  overlapAt1: number;
  recallAt5: number;
  meanReciprocalRank: number;
}

export interface LengthVsShiftMeasurements {
  texts: TextMeasurement[];
  cells: CellSummary[];
}

export interface MeasureOptions {
  /** re-count each text's length with this tokenizer (e.g. another model's countTokens); default: the construction's count */
  countTokens?: (texts: string[]) => number[];
}

interface Cell {
  corpus: string;
  mode: ConstructionMode;
  k: number;
  texts: ConstructedText[];
  queries: string[];
}

/** The cells of the constructions, ordered by corpus, k, then mode (repeat, sequential, random). */
function cellsOf(constructions: readonly CorpusConstruction[]): Cell[] {
  const cells: Cell[] = [];
  for (const c of constructions) {
    const ks = [...new Set(c.texts.map((t) => t.k))].sort((a, b) => a - b);
    for (const k of ks) {
      for (const mode of CONSTRUCTION_MODES) {
        const texts = c.texts.filter((t) => t.k === k && t.mode === mode);
        if (texts.length === 0) continue;
        cells.push({ corpus: c.corpus, mode, k, texts, queries: texts.map((t) => c.seedSentences.get(t.seedId)!) });
      }
    }
  }
  return cells;
}

/** Per-text and per-cell measurements (see the file comment); every text must be in `vectors`. */
export function measureLengthVsShift(
  constructions: readonly CorpusConstruction[],
  vectors: TextVectors,
  options: MeasureOptions = {},
): LengthVsShiftMeasurements {
  const texts: TextMeasurement[] = [];
  const cells: CellSummary[] = [];
  for (const cell of cellsOf(constructions)) {
    const textRows = vectors.rows(cell.texts.map((t) => t.text));
    const tokens = options.countTokens
      ? options.countTokens(cell.texts.map((t) => t.text))
      : cell.texts.map((t) => t.tokens);
    const concentration = meanCosineToOthers(textRows);
    const ranks = cell.texts.length > 1 ? relevantRanks(vectors.rows(cell.queries), textRows) : cell.texts.map(() => 1);
    const measured = cell.texts.map((t, i): TextMeasurement => {
      const shift = semanticShift(vectors.rows(t.sentences));
      return {
        corpus: cell.corpus,
        mode: cell.mode,
        k: cell.k,
        seedId: t.seedId,
        tokens: tokens[i],
        shift: shift.shift,
        local: shift.local,
        dispersion: shift.dispersion,
        concentration: concentration[i],
        rank: ranks[i],
      };
    });
    texts.push(...measured);
    const mpd = meanPairwiseCosineDistance(textRows);
    cells.push({
      corpus: cell.corpus,
      mode: cell.mode,
      k: cell.k,
      texts: measured.length,
      meanTokens: mean(measured.map((m) => m.tokens)),
      mpd,
      anisotropy: anisotropy(textRows),
      meanShift: mean(measured.map((m) => m.shift)),
      meanConcentration: mean(measured.map((m) => m.concentration)),
      overlapAt1: fractionWithinRank(ranks, 1),
      recallAt5: fractionWithinRank(ranks, 5),
      meanReciprocalRank: meanReciprocalRank(ranks),
    });
  }
  return { texts, cells };
}

// ---------------------------------------------------------------------------------------------------------------------------
// Regression of concentration on length and shift

/**
 * What is held fixed:
 * - "none": all texts pooled; k and mode vary freely (k raises both length and, for sequential/random, shift);
 * - "k": indicators for k as extra predictors, so length and shift compete only within each k (where the three modes have the
 *   same lengths and differ in shift, and lengths differ between seeds);
 * - "cell": every variable centred within its (corpus, mode, k) cell, so only differences between texts of one cell count.
 */
export type RegressionControl = "none" | "k" | "cell";
export const REGRESSION_CONTROLS: readonly RegressionControl[] = ["none", "k", "cell"];

export interface Coefficient {
  /** standardised: change of concentration, in its sds, per sd of the predictor */
  beta: number;
  standardError: number;
  t: number;
}

export interface ConcentrationRegression {
  control: RegressionControl;
  n: number;
  shift: Coefficient;
  length: Coefficient;
  rSquared: number;
  /** Pearson of concentration with each predictor (after the control is removed, for "cell") */
  correlationShift: number;
  correlationLength: number;
  /** correlation of concentration with Shift once length (and the control) is regressed out of both, and vice versa */
  partialShiftGivenLength: number;
  partialLengthGivenShift: number;
  /** set when no fit could be made (the numbers are then NaN) */
  note?: string;
}

/**
 * OLS of concentration on standardised token length and Shift (stats.ols with standardize), with the chosen control, over
 * distinct texts (k = 1 texts once). Standard errors treat texts as independent, which they are not quite (a text's
 * concentration is measured against the rest of its cell), and with "cell" they ignore the degrees of freedom the cell means
 * use: read them as rough.
 */
export function regressConcentration(
  measurements: readonly TextMeasurement[],
  control: RegressionControl = "none",
): ConcentrationRegression {
  const texts = distinctTexts(measurements);
  let y = texts.map((t) => t.concentration);
  let length = texts.map((t) => t.tokens);
  let shift = texts.map((t) => t.shift);
  let controls: number[][] = [];
  if (control === "k") controls = indicatorColumns(texts.map((t) => String(t.k)));
  if (control === "cell") {
    const cell = texts.map((t) => `${t.corpus}|${t.mode}|${t.k}`);
    [y, length, shift] = [y, length, shift].map((v) => centreWithinGroups(v, cell));
  }
  const degenerate = [y, length, shift].some((v) => v.length < 3 || v.every((x) => Math.abs(x - v[0]) < 1e-12));
  if (degenerate || texts.length <= 2 + controls.length + 1) return degenerateRegression(control, texts.length);
  let fit: ReturnType<typeof ols>;
  try {
    fit = ols(y, [length, shift, ...controls], { standardize: true });
  } catch (error) {
    return degenerateRegression(control, texts.length, (error as Error).message);
  }
  const coefficient = (j: number): Coefficient => ({
    beta: fit.coefficients[j],
    standardError: fit.standardErrors[j],
    t: fit.tValues[j],
  });
  return {
    control,
    n: texts.length,
    length: coefficient(0),
    shift: coefficient(1),
    rSquared: fit.rSquared,
    correlationShift: pearson(shift, y),
    correlationLength: pearson(length, y),
    partialShiftGivenLength: partialCorrelation(shift, y, [length, ...controls]),
    partialLengthGivenShift: partialCorrelation(length, y, [shift, ...controls]),
  };
}

/** A fit that could not be made (a constant variable, too few texts): NaN everywhere and a note saying why. */
function degenerateRegression(
  control: RegressionControl,
  n: number,
  why = "a constant variable or too few texts",
): ConcentrationRegression {
  const none: Coefficient = { beta: NaN, standardError: NaN, t: NaN };
  const nan = {
    rSquared: NaN,
    correlationShift: NaN,
    correlationLength: NaN,
    partialShiftGivenLength: NaN,
    partialLengthGivenShift: NaN,
  };
  return { control, n, shift: none, length: none, ...nan, note: `no fit (${control}): ${why}` };
}

/** The texts with the k = 1 duplicates dropped (the three modes give the same text at k = 1; the repeat copy is kept). */
export function distinctTexts<T extends { k: number; mode: ConstructionMode }>(texts: readonly T[]): T[] {
  return texts.filter((t) => t.k > 1 || t.mode === "repeat");
}

/** One 0/1 column per group value except the first (the reference); none for a single group. */
function indicatorColumns(groups: string[]): number[][] {
  const values = [...new Set(groups)];
  return values.slice(1).map((v) => groups.map((g) => (g === v ? 1 : 0)));
}

function centreWithinGroups(values: number[], groups: string[]): number[] {
  const sums = new Map<string, { total: number; count: number }>();
  values.forEach((v, i) => {
    const s = sums.get(groups[i]) ?? { total: 0, count: 0 };
    s.total += v;
    s.count++;
    sums.set(groups[i], s);
  });
  return values.map((v, i) => {
    const s = sums.get(groups[i])!;
    return v - s.total / s.count;
  });
}
