/**
 * Semantic shift of many passages at once: every sentence of every passage goes through ONE embed call (the model batches
 * by length, and a caching model computes each distinct sentence once), then each passage's rows are sliced back out and
 * measured with semanticShift (src/metrics/shift.ts). Plus the summaries and the small-n test the shift notebooks report.
 */
import { row, sliceRows, type Matrix } from "../matrix";
import type { EmbedOptions, EmbeddingModel } from "../embedding/model";
import { semanticShift, type ShiftMeasures } from "../metrics/shift";
import { meanPairwiseCosineDistance } from "../metrics/geometry";
import {
  averageRanks,
  bootstrapCI,
  clusterResample,
  mean,
  partialCorrelation,
  quantile,
  spearman,
  spearmanPermutationPValue,
  standardDeviation,
  type BootstrapInterval,
} from "../metrics/stats";
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
export async function shiftProfile(
  model: EmbeddingModel,
  passages: readonly Passage[],
  options: EmbedOptions = {},
): Promise<ShiftProfile> {
  const sentenceOffsets = [0];
  for (const passage of passages)
    sentenceOffsets.push(sentenceOffsets[sentenceOffsets.length - 1] + passage.sentences.length);
  const sentenceVectors = await model.embed(
    passages.flatMap((p) => p.sentences),
    options,
  );
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
export function passageMarkdown(
  heading: string,
  passage: Passage,
  shift: ShiftMeasures,
  distances: readonly number[],
): string {
  const measures = `Shift ${shift.shift.toFixed(3)} = Local ${shift.local.toFixed(3)} × Disp ${shift.dispersion.toFixed(3)}; k = ${shift.k}`;
  const lines = passage.sentences.map((sentence, i) => {
    const step = i < distances.length ? ` *(→ ${distances[i].toFixed(2)})*` : "";
    return `${i + 1}. ${escapeMarkdown(sentence)}${step}`;
  });
  return `#### ${heading}\n${measures}\n\n${lines.join("\n")}\n`;
}

export interface ConcentrationCorrelations {
  n: number;
  /** documents the texts come from: the unit the bootstrap resamples */
  documents: number;
  /** Spearman of Shift with the concentration measure, with a seeded percentile bootstrap interval over documents */
  shift: BootstrapInterval;
  /** Spearman of token length with the concentration measure */
  tokens: BootstrapInterval;
  /** ρ(Shift, concentration) − |ρ(tokens, concentration)|, with its interval from the same resamples */
  shiftOverTokens: BootstrapInterval;
  /** Spearman of Shift with the concentration measure once token length is regressed out of both ranks */
  shiftGivenTokens: number;
}

/**
 * How Shift and token length each go with a per-text concentration measure (e.g. meanCosineToOthers): rank correlations with
 * bootstrap intervals, and the rank partial correlation of Shift given length. The bootstrap draws documents with replacement
 * (each with all its passages): passages of one document are not independent. With one passage per document this is the
 * ordinary bootstrap over texts.
 */
export function concentrationCorrelations(
  shifts: readonly PassageShift[],
  concentration: readonly number[],
  options: { resamples?: number; seed?: number } = {},
): ConcentrationCorrelations {
  if (shifts.length !== concentration.length) {
    throw new Error(
      `concentrationCorrelations: ${shifts.length} shifts but ${concentration.length} concentration values`,
    );
  }
  const shift = shifts.map((s) => s.shift);
  const tokens = shifts.map((s) => s.tokens);
  const indices = shifts.map((_, i) => i);
  const bootstrap = {
    resamples: options.resamples ?? 1000,
    seed: options.seed ?? 0,
    resample: clusterResample((i: number) => shifts[i].documentId),
  };
  const rho = (values: number[], ix: number[]) =>
    spearman(
      ix.map((i) => values[i]),
      ix.map((i) => concentration[i]),
    );
  const correlationWith = (values: number[]) => bootstrapCI(indices, (ix) => rho(values, ix), bootstrap);
  const tokenRanks = averageRanks(tokens);
  const partial =
    new Set(tokens).size > 1
      ? partialCorrelation(averageRanks(shift), averageRanks(concentration), [tokenRanks])
      : spearman(shift, concentration);
  return {
    n: shifts.length,
    documents: new Set(shifts.map((s) => s.documentId)).size,
    shift: correlationWith(shift),
    tokens: correlationWith(tokens),
    shiftOverTokens: bootstrapCI(indices, (ix) => rho(shift, ix) - Math.abs(rho(tokens, ix)), bootstrap),
    shiftGivenTokens: partial,
  };
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
export function extremeShifts<T extends { shift: number }>(
  items: readonly T[],
  count: number,
): { highest: T[]; lowest: T[] } {
  const order = items.slice().sort((a, b) => b.shift - a.shift);
  return { highest: order.slice(0, count), lowest: order.slice(Math.max(count, order.length - count)).reverse() };
}

/** One series per corpus (name, x, y, hover text = passage id), for the notebook's scatter and box charts. */
export function seriesByCorpus(
  shiftsByCorpus: ReadonlyMap<string, readonly PassageShift[]>,
  x: (s: PassageShift, i: number) => number,
  y: (s: PassageShift, i: number, corpus: string) => number,
) {
  return [...shiftsByCorpus].map(([name, shifts]) => ({
    name,
    x: shifts.map(x),
    y: shifts.map((s, i) => y(s, i, name)),
    text: shifts.map((s) => s.passageId),
  }));
}

/**
 * Per corpus: Spearman of token length with Shift, Local and Disp, and of Shift with the number of sentences where k varies
 * (whole documents); passages of a fixed k say so instead.
 */
export function lengthCorrelationRows(shiftsByCorpus: ReadonlyMap<string, readonly PassageShift[]>) {
  return [...shiftsByCorpus].map(([corpus, shifts]) => {
    const tokens = shifts.map((s) => s.tokens);
    const withTokens = (pick: (s: PassageShift) => number) => spearman(shifts.map(pick), tokens);
    return {
      corpus,
      rho_shift_tokens: withTokens((s) => s.shift),
      rho_local_tokens: withTokens((s) => s.local),
      rho_disp_tokens: withTokens((s) => s.dispersion),
      rho_shift_sentences:
        new Set(shifts.map((s) => s.k)).size > 1
          ? spearman(
              shifts.map((s) => s.shift),
              shifts.map((s) => s.k),
            ).toFixed(3)
          : `k = ${shifts[0].k} for all`,
    };
  });
}

export interface CorpusShiftRow {
  [column: string]: string | number;
  corpus: string;
  mean_shift: number;
  /** standard error of mean_shift with documents as the units: the spread of the documents' mean Shift / √documents */
  shift_standard_error: number;
  documents: number;
  mean_tokens: number;
  /**
   * cosine MPD of the corpus's passage embeddings over pairs of passages from different documents (lower = more concentrated):
   * passages of one document are alike through topic and author, and a corpus sampled with more passages per document would
   * otherwise look more concentrated for that reason alone
   */
  mpd_cosine: number;
}

/** Per corpus: its mean Shift (± standard error over documents), mean token length and the cross-document MPD of its passages. */
export function corpusShiftRows(
  shiftsByCorpus: ReadonlyMap<string, readonly PassageShift[]>,
  passageVectorsByCorpus: ReadonlyMap<string, Matrix>,
): CorpusShiftRow[] {
  return [...shiftsByCorpus].map(([corpus, shifts]) => {
    const byDocument = new Map<string, number[]>();
    for (const s of shifts) byDocument.set(s.documentId, [...(byDocument.get(s.documentId) ?? []), s.shift]);
    const documentMeans = [...byDocument.values()].map(mean);
    return {
      corpus,
      mean_shift: mean(shifts.map((s) => s.shift)),
      shift_standard_error: standardDeviation(documentMeans) / Math.sqrt(documentMeans.length),
      documents: documentMeans.length,
      mean_tokens: mean(shifts.map((s) => s.tokens)),
      mpd_cosine: meanPairwiseCosineDistance(passageVectorsByCorpus.get(corpus)!, {
        groups: shifts.map((s) => s.documentId),
      }),
    };
  });
}

/** Exact permutation tests over the corpora: mean Shift vs MPD, and mean token length vs MPD (the rival explanation). */
export function corpusLevelTests(rows: readonly CorpusShiftRow[]) {
  const mpd = rows.map((r) => r.mpd_cosine);
  return {
    shift: spearmanPermutationPValue(
      rows.map((r) => r.mean_shift),
      mpd,
    ),
    tokens: spearmanPermutationPValue(
      rows.map((r) => r.mean_tokens),
      mpd,
    ),
  };
}

/** What n points can say: the exact permutation p of a perfect rank agreement (ρ = ±1) and of one adjacent swap from it. */
export function permutationResolution(n: number): {
  orderings: number;
  perfect: number;
  oneSwap: { rho: number; pValue: number };
} {
  const ranks = Array.from({ length: n }, (_, i) => i);
  const swapped = ranks.slice();
  [swapped[0], swapped[1]] = [swapped[1], swapped[0]];
  const perfect = spearmanPermutationPValue(ranks, ranks);
  const oneSwap = spearmanPermutationPValue(ranks, swapped);
  return {
    orderings: perfect.orderings,
    perfect: perfect.pValue,
    oneSwap: { rho: oneSwap.rho, pValue: oneSwap.pValue },
  };
}

/** Per corpus (in order of appearance), its highest- and lowest-Shift text as table rows, the full text included (for the CSV). */
export function extremeTextRows(
  items: readonly (PassageShift & { index: number; corpus: string })[],
  passages: readonly Passage[],
) {
  const corpora = [...new Set(items.map((item) => item.corpus))];
  return corpora.flatMap((corpus) => {
    const { highest, lowest } = extremeShifts(
      items.filter((item) => item.corpus === corpus),
      1,
    );
    return [
      ...highest.map((item) => ({ item, which: "highest" })),
      ...lowest.map((item) => ({ item, which: "lowest" })),
    ].map(({ item, which }) => ({
      corpus,
      which,
      passage: item.passageId,
      shift: item.shift,
      local: item.local,
      disp: item.dispersion,
      k: item.k,
      text: passages[item.index].text,
    }));
  });
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
