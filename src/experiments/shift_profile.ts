/**
 * Semantic shift of many passages at once: every sentence of every passage goes through ONE embed call (the model batches
 * by length, and a caching model computes each distinct sentence once), then each passage's rows are sliced back out and
 * measured with semanticShift (src/metrics/shift.ts). Plus the summaries and the small-n test the shift notebooks report.
 */
import { row, sliceRows, type Matrix } from "../matrix";
import type { EmbedOptions, EmbeddingModel } from "../embedding/model";
import { semanticShift, type ShiftMeasures } from "../metrics/shift";
import { averageRanks, bootstrapCI, mean, partialCorrelation, quantile, spearman, type BootstrapInterval } from "../metrics/stats";
import type { Passage } from "./sentence_units";

export interface PassageShift extends ShiftMeasures {
  passageId: string;
  documentId: string;
  /** word pieces of the passage text, special tokens included */
  tokens: number;
}

export interface ShiftProfile {
  /** one per passage, in input order */
  shifts: PassageShift[];
  /** all sentence vectors, passage after passage, in reading order */
  sentenceVectors: Matrix;
  /** passage p owns rows sentenceOffsets[p] … sentenceOffsets[p + 1] − 1 of sentenceVectors (length: passages + 1) */
  sentenceOffsets: number[];
}

/** Embed the sentences of all passages in one call and measure Local, Disp and Shift of each passage. */
export async function shiftProfile(model: EmbeddingModel, passages: readonly Passage[], options: EmbedOptions = {}): Promise<ShiftProfile> {
  const sentenceOffsets = [0];
  for (const passage of passages) sentenceOffsets.push(sentenceOffsets[sentenceOffsets.length - 1] + passage.sentences.length);
  const sentenceVectors = await model.embed(passages.flatMap((p) => p.sentences), options);
  const tokens = passages.length > 0 ? model.countTokens(passages.map((p) => p.text)) : [];
  const shifts = passages.map((passage, p) => ({
    passageId: passage.id,
    documentId: passage.documentId,
    tokens: tokens[p],
    ...semanticShift(sliceRows(sentenceVectors, sentenceOffsets[p], sentenceOffsets[p + 1])),
  }));
  return { shifts, sentenceVectors, sentenceOffsets };
}

/** Rows of passage p in the profile's sentence vectors. */
export function passageSentenceVectors(profile: ShiftProfile, p: number): Matrix {
  return sliceRows(profile.sentenceVectors, profile.sentenceOffsets[p], profile.sentenceOffsets[p + 1]);
}

/** The k − 1 cosine distances 1 − cos(e_i, e_{i+1}) between consecutive rows (their sum is Local). */
export function transitionDistances(sentences: Matrix): number[] {
  const distances: number[] = [];
  for (let i = 1; i < sentences.rows; i++) distances.push(1 - cosine(row(sentences, i - 1), row(sentences, i)));
  return distances;
}

/**
 * A passage as markdown: a heading with its measures, then its sentences numbered, each followed by the cosine distance of the
 * step to the next one, so a reader sees where the text moves.
 */
export function passageMarkdown(heading: string, passage: Passage, shift: ShiftMeasures, distances: readonly number[]): string {
  const measures = `Shift ${shift.shift.toFixed(3)} = Local ${shift.local.toFixed(3)} × Disp ${shift.dispersion.toFixed(3)}; k = ${shift.k}`;
  const lines = passage.sentences.map((sentence, i) => {
    const step = i < distances.length ? ` *(→ ${distances[i].toFixed(2)})*` : "";
    return `${i + 1}. ${escapeMarkdown(sentence)}${step}`;
  });
  return `#### ${heading}\n${measures}\n\n${lines.join("\n")}\n`;
}

export interface ConcentrationCorrelations {
  n: number;
  /** Spearman of Shift with the concentration measure, with a seeded percentile bootstrap interval over texts */
  shift: BootstrapInterval;
  /** Spearman of token length with the concentration measure */
  tokens: BootstrapInterval;
  /** Spearman of Shift with the concentration measure once token length is regressed out of both ranks */
  shiftGivenTokens: number;
}

/**
 * How Shift and token length each go with a per-text concentration measure (e.g. meanCosineToOthers): rank correlations with
 * bootstrap intervals (texts resampled with replacement), and the rank partial correlation of Shift given length.
 */
export function concentrationCorrelations(
  shifts: readonly PassageShift[],
  concentration: readonly number[],
  options: { resamples?: number; seed?: number } = {},
): ConcentrationCorrelations {
  if (shifts.length !== concentration.length) {
    throw new Error(`concentrationCorrelations: ${shifts.length} shifts but ${concentration.length} concentration values`);
  }
  const shift = shifts.map((s) => s.shift);
  const tokens = shifts.map((s) => s.tokens);
  const indices = shifts.map((_, i) => i);
  const correlationWith = (values: number[]) =>
    bootstrapCI(indices, (ix) => spearman(ix.map((i) => values[i]), ix.map((i) => concentration[i])), {
      resamples: options.resamples ?? 1000,
      seed: options.seed ?? 0,
    });
  const tokenRanks = averageRanks(tokens);
  const partial = new Set(tokens).size > 1
    ? partialCorrelation(averageRanks(shift), averageRanks(concentration), [tokenRanks])
    : spearman(shift, concentration);
  return { n: shifts.length, shift: correlationWith(shift), tokens: correlationWith(tokens), shiftGivenTokens: partial };
}

export interface Distribution {
  n: number;
  mean: number;
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}

export function describe(values: readonly number[]): Distribution {
  const sorted = values.slice().sort((a, b) => a - b);
  return {
    n: values.length,
    mean: mean(values),
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted.length ? sorted[0] : NaN,
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

export interface ShiftSummary {
  passages: number;
  meanSentences: number;
  meanTokens: number;
  local: Distribution;
  localPerTransition: Distribution;
  dispersion: Distribution;
  shift: Distribution;
}

export function summarizeShifts(shifts: readonly PassageShift[]): ShiftSummary {
  return {
    passages: shifts.length,
    meanSentences: mean(shifts.map((s) => s.k)),
    meanTokens: mean(shifts.map((s) => s.tokens)),
    local: describe(shifts.map((s) => s.local)),
    localPerTransition: describe(shifts.map((s) => s.localPerTransition)),
    dispersion: describe(shifts.map((s) => s.dispersion)),
    shift: describe(shifts.map((s) => s.shift)),
  };
}

/** The `count` items with the highest Shift (highest first) and the `count` with the lowest (lowest first), never overlapping. */
export function extremeShifts<T extends { shift: number }>(items: readonly T[], count: number): { highest: T[]; lowest: T[] } {
  const order = items.slice().sort((a, b) => b.shift - a.shift);
  return { highest: order.slice(0, count), lowest: order.slice(Math.max(count, order.length - count)).reverse() };
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  // a zero vector has cosine 0 with everything, as in src/metrics
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, "\\$1");
}
