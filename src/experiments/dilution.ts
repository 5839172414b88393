/**
 * Theorem 1 (semantic dilution) as an experiment.
 *
 * For unit sentence vectors e_1 … e_k with mean μ: C_mean = 1 − √(1 − x), where x = ((k − 1)/k) · C_pair is the
 * "dilution coordinate" (src/metrics/shift.ts has the proof). Two things are measured here:
 * - the identity itself, for mean pooling (`checkMeanPoolingIdentity`): exact up to rounding, on any vectors;
 * - contextual pooling (`measureContextualDilution`): the model embeds the whole text at once, which is not the mean of its
 *   sentence vectors, so the identity need not hold; the paper's claim is that dispersion still predicts C_mean
 *   (Spearman ρ = 0.8838 for bge-large on arXiv abstracts, as quoted to us: a secondary source).
 * The curve is also a lower bound for every pooled vector v (Cauchy–Schwarz): mean_i cos(v, e_i) = (v/‖v‖)·μ ≤ ‖μ‖, with
 * equality only when v points along μ, so C_mean(v) ≥ 1 − ‖μ‖ = 1 − √(1 − x). Any pooling is at least as diluted as the mean.
 * Everything here is float64 JavaScript (a text has a handful of sentences); only the embedding runs on the tfjs backend.
 */
import { matrixFromRows, normalizeRows, row, selectRows, type Matrix } from "../matrix";
import type { EmbeddingModel } from "../embedding/model";
import { dilutionCoordinate, dispersion, meanDistanceToPooled, theorem1Prediction } from "../metrics/shift";
import { meanOfUnitRows } from "../metrics/vectors";
import { bootstrapCI, clusterResample, spearman, type BootstrapInterval } from "../metrics/stats";
import { gaussian, seededRandom, type Random } from "../util/random";
import { joinSentences } from "../text/document_sentences";
import type { SentenceText } from "./sentence_units";

/**
 * The Spearman correlation the paper reports between Disp and C_mean (bge-large, arXiv abstracts). Quoted from the paper via
 * the issue that set up this lab, not read from the paper here: tables label it with PAPER_SECONDARY_SOURCE.
 */
export const PAPER_DISPERSION_CMEAN_SPEARMAN_ARXIV = 0.8838;
/** How tables label a paper number we have only from a secondary source. */
export const PAPER_SECONDARY_SOURCE = "paper (secondary source)";

export interface IdentityCheck {
  k: number;
  cPair: number;
  /** C_mean measured with the float64 mean of the unit rows as the pooled vector */
  cMeanMeasured: number;
  cMeanPredicted: number;
  /** |measured − predicted| */
  deviation: number;
}

/** Theorem 1 on one set of sentence vectors (rows need not be unit: they are normalised, as the theorem assumes). */
export function checkMeanPoolingIdentity(sentences: Matrix): IdentityCheck {
  const k = sentences.rows;
  const cPair = dispersion(sentences);
  const cMeanMeasured = meanDistanceToPooled(sentences, meanOfUnitRows(sentences));
  const cMeanPredicted = theorem1Prediction(cPair, k);
  return { k, cPair, cMeanMeasured, cMeanPredicted, deviation: Math.abs(cMeanMeasured - cMeanPredicted) };
}

/**
 * k Gaussian vectors plus `concentration` times a shared direction, as a k × dimension matrix (not normalised).
 * concentration 0 gives nearly orthogonal rows in high dimension (C_pair ≈ 1); larger values pull them together (C_pair → 0).
 */
export function randomSentenceVectors(rng: Random, k: number, dimension: number, concentration: number): Matrix {
  const shared = Array.from({ length: dimension }, () => gaussian(rng) / Math.sqrt(dimension));
  return matrixFromRows(
    Array.from({ length: k }, () =>
      Array.from({ length: dimension }, (_, j) => gaussian(rng) / Math.sqrt(dimension) + concentration * shared[j]),
    ),
  );
}

export interface SyntheticIdentityOptions {
  ks: number[];
  drawsPerK: number;
  dimension: number;
  seed: number;
  /** the shared-direction weight of each draw is uniform in [0, maxConcentration] (default 4), so C_pair spans (0, 1] */
  maxConcentration?: number;
}

/** Theorem 1 on random unit vectors: one IdentityCheck per draw. */
export function syntheticIdentityChecks(options: SyntheticIdentityOptions): IdentityCheck[] {
  const rng = seededRandom(options.seed);
  const maxConcentration = options.maxConcentration ?? 4;
  const checks: IdentityCheck[] = [];
  for (const k of options.ks) {
    for (let draw = 0; draw < options.drawsPerK; draw++) {
      checks.push(checkMeanPoolingIdentity(randomSentenceVectors(rng, k, options.dimension, rng() * maxConcentration)));
    }
  }
  return checks;
}

export interface TextDilution {
  id: string;
  source: string;
  /** the document the text comes from (its id when it is a whole document): the unit the bootstrap resamples */
  documentId: string;
  /** sentences */
  k: number;
  /** Disp = C_pair of the sentence vectors */
  dispersion: number;
  /** ((k − 1)/k) · C_pair */
  dilutionCoordinate: number;
  /** C_mean of mean pooling, measured (equals Theorem 1's prediction up to rounding) */
  cMeanOfMean: number;
  /** Theorem 1's prediction from C_pair and k */
  cMeanPredicted: number;
  /** C_mean of the model's own embedding of the whole text (contextual pooling) */
  cMeanContextual: number;
  /** the text's opening words (up to 160 characters), for hover text in figures */
  preview: string;
}

/** The opening of a text of sentences, cut at a word boundary near `length` characters. */
export function textPreview(sentences: readonly string[], length = 160): string {
  const text = sentences.join(" ");
  if (text.length <= length) return text;
  const cut = text.lastIndexOf(" ", length);
  return `${text.slice(0, cut > length / 2 ? cut : length)}…`;
}

/** Dilution measures of one text from its sentence vectors (rows, reading order) and the model's vector of the whole text. */
export function textDilution(
  text: Pick<SentenceText, "id" | "source" | "documentId"> & { sentences?: readonly string[] },
  sentenceVectors: Matrix,
  contextualVector: ArrayLike<number>,
): TextDilution {
  const identity = checkMeanPoolingIdentity(sentenceVectors);
  return {
    id: text.id,
    source: text.source,
    documentId: text.documentId ?? text.id,
    k: identity.k,
    dispersion: identity.cPair,
    dilutionCoordinate: dilutionCoordinate(identity.cPair, identity.k),
    cMeanOfMean: identity.cMeanMeasured,
    cMeanPredicted: identity.cMeanPredicted,
    cMeanContextual: meanDistanceToPooled(sentenceVectors, contextualVector),
    preview: textPreview(text.sentences ?? []),
  };
}

/**
 * For every text: each sentence embedded alone (one embed call for all sentences of all texts), the whole text embedded
 * once (the model's own pooling: contextual), and the dilution measures. Pass a model wrapped in withEmbeddingCache to
 * make re-runs cheap. Sentence vectors are normalised here, whatever the model's setting.
 */
export async function measureContextualDilution(
  model: EmbeddingModel,
  texts: readonly SentenceText[],
): Promise<TextDilution[]> {
  const sentences = texts.flatMap((t) => t.sentences);
  const sentenceVectors = normalizeRows(await model.embed(sentences));
  const textVectors = await model.embed(texts.map((t) => joinSentences(t.sentences)));
  const results: TextDilution[] = [];
  let offset = 0;
  texts.forEach((text, i) => {
    const indices = text.sentences.map((_, j) => offset + j);
    offset += text.sentences.length;
    results.push(textDilution(text, selectRows(sentenceVectors, indices), row(textVectors, i)));
  });
  return results;
}

export interface RankCorrelation {
  n: number;
  /** independent units resampled: documents with `clusters`, else texts */
  clusters: number;
  /** Spearman ρ with its seeded percentile-bootstrap interval (documents, or texts, resampled with replacement) */
  interval: BootstrapInterval;
}

export interface RankCorrelationOptions {
  seed: number;
  resamples?: number;
  confidence?: number;
  /** a cluster label per pair (its document): the bootstrap draws whole clusters, since pairs of one document are not independent */
  clusters?: readonly (string | number)[];
}

/** Spearman ρ between Disp and contextual C_mean with a bootstrap CI over documents (each text's documentId). */
export function dispersionContextualCorrelation(
  results: readonly TextDilution[],
  options: Omit<RankCorrelationOptions, "clusters">,
): RankCorrelation {
  return rankCorrelation(
    results.map((r) => r.dispersion),
    results.map((r) => r.cMeanContextual),
    { ...options, clusters: results.map((r) => r.documentId) },
  );
}

/** Spearman ρ of paired values with a seeded bootstrap CI (pairs, or with `clusters` whole clusters, resampled with replacement). */
export function rankCorrelation(
  x: readonly number[],
  y: readonly number[],
  options: RankCorrelationOptions,
): RankCorrelation {
  const clusters = options.clusters;
  if (clusters && clusters.length !== x.length)
    throw new Error(`rankCorrelation: ${clusters.length} cluster labels for ${x.length} pairs`);
  const indices = x.map((_, i) => i);
  const interval = bootstrapCI(
    indices,
    (sample) =>
      spearman(
        sample.map((i) => x[i]),
        sample.map((i) => y[i]),
      ),
    {
      seed: options.seed,
      resamples: options.resamples ?? 1000,
      confidence: options.confidence ?? 0.95,
      resample: clusters ? clusterResample((i: number) => clusters[i]) : undefined,
    },
  );
  return { n: x.length, clusters: clusters ? new Set(clusters).size : x.length, interval };
}

export function describeCorrelation(name: string, correlation: RankCorrelation): string {
  const { estimate, lower, upper, confidence } = correlation.interval;
  const units =
    correlation.clusters === correlation.n
      ? `n = ${correlation.n} texts`
      : `n = ${correlation.n} texts from ${correlation.clusters} documents, resampled by document`;
  return `${name}: Spearman ρ = ${estimate.toFixed(4)}, ${Math.round(confidence * 100)}% CI [${lower.toFixed(4)}, ${upper.toFixed(4)}] (${units})`;
}

export interface DilutionSummary {
  source: string;
  texts: number;
  meanSentences: number;
  meanDispersion: number;
  meanCMeanOfMean: number;
  meanCMeanContextual: number;
  /** mean of (contextual − Theorem 1): how far the model's own embedding sits from the mean's C_mean */
  meanContextualMinusTheorem: number;
  /** smallest (contextual − Theorem 1): ≥ 0 up to float32 rounding, since the curve is a lower bound for any pooled vector */
  minContextualMinusTheorem: number;
  /** largest |C_mean of the mean − Theorem 1| over the texts */
  maxIdentityDeviation: number;
}

export function summarizeDilution(source: string, results: readonly TextDilution[]): DilutionSummary {
  const average = (f: (r: TextDilution) => number) => results.reduce((s, r) => s + f(r), 0) / results.length;
  return {
    source,
    texts: results.length,
    meanSentences: average((r) => r.k),
    meanDispersion: average((r) => r.dispersion),
    meanCMeanOfMean: average((r) => r.cMeanOfMean),
    meanCMeanContextual: average((r) => r.cMeanContextual),
    meanContextualMinusTheorem: average((r) => r.cMeanContextual - r.cMeanPredicted),
    minContextualMinusTheorem: results.reduce((m, r) => Math.min(m, r.cMeanContextual - r.cMeanPredicted), Infinity),
    maxIdentityDeviation: results.reduce((m, r) => Math.max(m, Math.abs(r.cMeanOfMean - r.cMeanPredicted)), 0),
  };
}
