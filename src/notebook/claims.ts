/**
 * The claim checks of the length-vs-shift experiment, in one place for notebook 04 (one model, per corpus) and notebook 05
 * (models × corpora): the thresholds are named constants here, so the two notebooks never restate one. Each function returns
 * the `ClaimCheck`s that `reportVerdicts` prints; none of them measures anything.
 */
import { PAPER_OVERLAP_AT_1 } from "../experiments/length_vs_shift";
import { PAPER_PLAIN_MPD } from "../experiments/sweep";
import type { ClaimCheck } from "./verdict";
import {
  PAPER_DISPERSION_CMEAN_SPEARMAN_ARXIV,
  type DilutionSummary,
  type RankCorrelation,
} from "../experiments/dilution";
import type { PooledMpdRow } from "../experiments/pooled_mpd";
import type { ExpectationCheck } from "../experiments/pooled_mpd_search";
import type { ConcentrationCorrelations } from "../experiments/shift_profile";
import { studentT975 } from "../metrics/stats";

/** Overlap@1 (and plain-corpus MPD) match the paper when within this of the paper's value. */
export const PAPER_TOLERANCE = 0.1;
/** Level of every test behind a verdict of notebooks 04 and 05 ... */
export const ALPHA = 0.05;
/** ... so their intervals are two-sided 1 − 2α: each bound is a one-sided test at α. */
export const CONFIDENCE = 1 - 2 * ALPHA;
/** Cells with fewer texts are reported and excluded from verdicts: below it one text moves Overlap@1 by more than PAPER_TOLERANCE. */
export const MIN_TEXTS_PER_CELL = Math.ceil(1 / PAPER_TOLERANCE);
/** Equivalence margin for "length does not predict concentration inside cells": |partial r| below it (under 9% of the variance). */
export const LENGTH_MAX_ABS_PARTIAL_R = 0.3;
/**
 * Non-inferiority margin for "length alone does not concentrate": repeat texts' MPD may fall at most this far below the single
 * sentences'. A quarter of the smallest gap between the paper's plain-corpus MPDs: a length effect inside it could not reorder
 * the models the paper compares.
 */
export const REPEAT_MPD_MARGIN =
  Math.round(
    (Math.min(
      ...PAPER_PLAIN_MPD.flatMap((a) => PAPER_PLAIN_MPD.filter((b) => b.mpd > a.mpd).map((b) => b.mpd - a.mpd)),
    ) /
      4) *
      1e6,
  ) / 1e6;
/** Equivalence margin of the anisotropy controls: half the paper's sequential − random Overlap@1 gap (the effect they explain). */
export const ANISOTROPY_OVERLAP_MARGIN = (PAPER_OVERLAP_AT_1.sequential - PAPER_OVERLAP_AT_1.random) / 2;
/** Token lengths are matched (a construction guarantee, checked as an identity): no residual above construct.ts's maxResidual ... */
export const RESIDUAL_MAX_WORD_PIECES = 4;
/** ... and a mean residual at most this. */
export const RESIDUAL_MEAN_MAX_WORD_PIECES = 2;
// The checks of notebooks 04 and 05 that use these: length_vs_shift_claims.ts.

const fmt = (x: number) => x.toFixed(3);

// ---------------------------------------------------------------------------------------------------------------------------
// Notebook 01: Theorem 1 (semantic dilution)

/** A proved identity "holds" numerically when no deviation exceeds this (float64 arithmetic on float32 embeddings). */
export const IDENTITY_MAX_DEVIATION = 1e-10;
/** The Cauchy–Schwarz floor holds when no contextual C_mean lies below the curve by more than this (float32 embeddings). */
export const FLOOR_TOLERANCE = 1e-6;
/** "Disp predicts C_mean": the whole 95% CI of Spearman ρ (documents resampled) lies above this. */
export const DISPERSION_PREDICTS_MIN_RHO = 0.5;

export interface DilutionEvidence {
  syntheticMaxDeviation: number;
  /** arXiv first: the paper's ρ is for arXiv abstracts */
  corpora: readonly { summary: DilutionSummary; rho: RankCorrelation }[];
}

export function dilutionChecks(e: DilutionEvidence): ClaimCheck[] {
  const ci = (rho: RankCorrelation) =>
    `${rho.interval.estimate.toFixed(4)} [${rho.interval.lower.toFixed(3)}, ${rho.interval.upper.toFixed(3)}], n=${rho.n} (${rho.clusters} documents)`;
  const realMaxDeviation = Math.max(...e.corpora.map((c) => c.summary.maxIdentityDeviation));
  const floor = Math.min(...e.corpora.map((c) => c.summary.minContextualMinusTheorem));
  const arxiv = e.corpora[0].rho.interval;
  const paper = `${PAPER_DISPERSION_CMEAN_SPEARMAN_ARXIV} (bge-large; secondary source)`;
  return [
    {
      kind: "identity",
      claim: "Theorem 1 identity, random unit vectors (k = 2…64)",
      measured: `max |dev| ${e.syntheticMaxDeviation.toExponential(1)}`,
      paper: "exact",
      criterion: `max |deviation| < ${IDENTITY_MAX_DEVIATION}`,
      held: e.syntheticMaxDeviation < IDENTITY_MAX_DEVIATION,
    },
    {
      kind: "identity",
      claim: "Theorem 1 identity, real sentence vectors (mean pooling)",
      measured: `max |dev| ${realMaxDeviation.toExponential(1)}`,
      paper: "exact",
      criterion: `max |deviation| < ${IDENTITY_MAX_DEVIATION}`,
      held: realMaxDeviation < IDENTITY_MAX_DEVIATION,
    },
    {
      kind: "identity",
      claim: "Contextual C_mean on or above Theorem 1's curve (Cauchy–Schwarz floor for any pooling)",
      measured: `min (contextual − curve) ${floor.toFixed(4)}`,
      criterion: `min ≥ −${FLOOR_TOLERANCE.toExponential(0)}`,
      held: floor >= -FLOOR_TOLERANCE,
    },
    ...e.corpora.map(({ summary, rho }, i) => ({
      claim: `Disp predicts contextual C_mean, ${summary.source} (Spearman ρ, 95% CI by document)`,
      measured: ci(rho),
      paper: i === 0 ? paper : undefined,
      criterion: `CI lower bound > ${DISPERSION_PREDICTS_MIN_RHO}`,
      held: rho.interval.lower > DISPERSION_PREDICTS_MIN_RHO,
    })),
    {
      claim: `ρ on ${e.corpora[0].summary.source} matches the paper's magnitude`,
      measured: ci(e.corpora[0].rho),
      paper,
      criterion: `${PAPER_DISPERSION_CMEAN_SPEARMAN_ARXIV} inside the 95% CI`,
      held:
        arxiv.lower <= PAPER_DISPERSION_CMEAN_SPEARMAN_ARXIV && PAPER_DISPERSION_CMEAN_SPEARMAN_ARXIV <= arxiv.upper,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------------------
// Notebook 02: Theorem 2 (pooling reduces MPD)

/** A proved inequality is "violated" only beyond float64 rounding. */
export const PROOF_ROUNDING = 1e-12;

export interface PooledMpdEvidence {
  rows: readonly PooledMpdRow[];
  /** exact enumeration of partitions, positive cone (all cosines ≥ 0) and isotropic configurations */
  positiveExpectation: ExpectationCheck;
  isotropicExpectation: ExpectationCheck;
  /** largest spread increase over the synthetic cases */
  worstSyntheticSpreadIncrease: number;
}

/** Upper end of a one-sided 97.5% Student-t bound on E_partitions[pooled] − sentences for one row (random groups). */
export const randomGroupsUpperBound = (r: PooledMpdRow) =>
  r.randomMeanCosineMpd -
  r.sentenceCosineMpd +
  studentT975(r.randomPartitions - 1) * r.randomMeanCosineMpdStandardError;

export function pooledMpdChecks(e: PooledMpdEvidence): ClaimCheck[] {
  const pooled = e.rows.filter((r) => r.k >= 2);
  const corpora = [...new Set(e.rows.map((r) => r.corpus))];
  const scope = `${corpora.join(", ")}; k = 2…${Math.max(...pooled.map((r) => r.k))}`;
  const largest = (gap: (r: PooledMpdRow) => number) => Math.max(...pooled.map(gap));
  const everywhere = (name: string, gap: (r: PooledMpdRow) => number): ClaimCheck => ({
    claim: `Pooling reduces ${name} (${scope})`,
    measured: `max (pooled − sentences) = ${largest(gap).toFixed(4)}`,
    paper: "pooled < sentences",
    criterion: "pooled < sentences for every corpus and k ≥ 2",
    held: largest(gap) < 0,
  });
  const negativeShares = corpora
    .map((c) => `${c} ${(100 * e.rows.find((r) => r.corpus === c)!.sentenceNegativeCosineShare).toFixed(1)}%`)
    .join(", ");
  const bound = largest(randomGroupsUpperBound);
  const expectationGap = (x: ExpectationCheck) => x.worstSquaredDistanceIdentityError;
  return [
    {
      kind: "identity",
      claim: "Random groups, all cosines ≥ 0: E_partitions[pooled cos MPD] < sentences' (proved; exact enumeration)",
      measured: `${e.positiveExpectation.cosineExpectationViolations}/${e.positiveExpectation.configurations} violations, largest gap ${e.positiveExpectation.worstCosineExpectationGap.toFixed(4)}`,
      criterion: "no configuration with E[pooled] ≥ sentences",
      held: e.positiveExpectation.worstCosineExpectationGap < 0,
    },
    {
      kind: "identity",
      claim: "Random groups: E[mean squared distance of means] = (sentences')/k (proved; exact enumeration)",
      measured: `largest relative error ${Math.max(expectationGap(e.positiveExpectation), expectationGap(e.isotropicExpectation)).toExponential(1)}`,
      criterion: `error < ${PROOF_ROUNDING}`,
      held: Math.max(expectationGap(e.positiveExpectation), expectationGap(e.isotropicExpectation)) < PROOF_ROUNDING,
    },
    {
      kind: "identity",
      claim: "Spread of unnormalised means ≤ spread of sentences, any grouping (proved)",
      measured: `largest increase ${e.worstSyntheticSpreadIncrease.toExponential(1)}`,
      criterion: `no increase above ${PROOF_ROUNDING}`,
      held:
        e.worstSyntheticSpreadIncrease <= PROOF_ROUNDING &&
        e.rows.every((r) => r.consecutiveMeanSpread <= r.sentenceSpread + PROOF_ROUNDING),
    },
    {
      claim: `Theorem 2 in its provable form: mean-pooling random equal-size groups lowers cosine MPD in expectation over groupings (${scope})`,
      measured: `max upper bound of E[pooled] − sentences = ${bound.toFixed(4)}; sentence pairs with cos < 0: ${negativeShares}`,
      paper: "pooled < sentences",
      criterion: "one-sided 97.5% t bound over the random partitions < 0 for every corpus and k ≥ 2",
      held: bound < 0,
    },
    everywhere("cosine MPD, mean of consecutive sentences", (r) => r.consecutiveMeanCosineMpd - r.sentenceCosineMpd),
    everywhere(
      "cosine MPD, contextual embedding of consecutive sentences",
      (r) => r.contextualCosineMpd - r.sentenceCosineMpd,
    ),
    everywhere(
      "Euclidean MPD, unnormalised mean of consecutive sentences",
      (r) => r.consecutiveMeanEuclideanMpd - r.sentenceEuclideanMpd,
    ),
  ];
}

// ---------------------------------------------------------------------------------------------------------------------------
// Notebook 03: semantic shift

/** The per-text claims hold when their test passes in at least this many corpora ... */
export const SHIFT_MIN_CORPORA = 3;
/** ... and the corpus-level claim when Spearman(mean Shift, MPD) is at most this (exact permutation p < 0.1 for 5 corpora). */
export const CORPUS_LEVEL_MAX_RHO = -0.9;

export function semanticShiftChecks(
  perText: readonly (ConcentrationCorrelations & { label: string })[],
  corpusLevel: { rho: number; pValue: number },
): ClaimCheck[] {
  const where = (test: (r: (typeof perText)[number]) => boolean) => perText.filter(test).map((r) => r.label);
  const list = (pick: (r: (typeof perText)[number]) => number) =>
    perText.map((r) => `${r.label} ${pick(r).toFixed(2)}`).join(", ");
  const tracks = where((r) => r.shift.lower > 0);
  const beats = where((r) => r.shiftOverTokens.lower > 0);
  const of = `of ${perText.length} corpora`;
  return [
    {
      claim: "A text's Shift tracks its concentration (mean cosine to the other documents of its corpus)",
      measured: `${tracks.length} ${of} (ρ: ${list((r) => r.shift.estimate)}; CI lower: ${list((r) => r.shift.lower)})`,
      criterion: `95% CI of ρ (documents resampled) above 0 in ≥ ${SHIFT_MIN_CORPORA} ${of}`,
      held: tracks.length >= SHIFT_MIN_CORPORA,
    },
    {
      claim: "Shift correlates with concentration more than token length does",
      measured: `${beats.length} ${of} (ρ Shift − |ρ tokens|: ${list((r) => r.shiftOverTokens.estimate)}; CI lower: ${list((r) => r.shiftOverTokens.lower)})`,
      criterion: `95% CI of ρ(Shift, meancos) − |ρ(tokens, meancos)| above 0 in ≥ ${SHIFT_MIN_CORPORA} ${of}`,
      held: beats.length >= SHIFT_MIN_CORPORA,
    },
    {
      claim: "Corpora with higher mean Shift have lower MPD",
      measured: `Spearman ${corpusLevel.rho.toFixed(2)} over ${perText.length} corpora (exact p = ${corpusLevel.pValue.toFixed(3)})`,
      criterion: `Spearman(mean Shift, MPD) ≤ ${CORPUS_LEVEL_MAX_RHO}`,
      held: corpusLevel.rho <= CORPUS_LEVEL_MAX_RHO,
    },
  ];
}
