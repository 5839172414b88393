/**
 * The claim checks of the length-vs-shift experiment, for notebook 04 (one model, per corpus) and notebook 05 (models ×
 * corpora), with the thresholds and margins of claims.ts. Each verdict rests on a test at the level its effect varies
 * (length_vs_shift_inference.ts): cells for Shift between cells, seeds for everything paired. Construction guarantees are
 * numerical checks (kind "identity"), apart from the claims.
 */
import { CONSTRUCTION_MODES, type ConstructionMode } from "../experiments/construct";
import type { AnisotropyControls } from "../experiments/anisotropy_control";
import { leakFree, type LeakageAudit } from "../experiments/construction_audit";
import { PAPER_OVERLAP_AT_1, type CellSummary } from "../experiments/length_vs_shift";
import type { Interval, PairedContrasts, WithinCellAssociations } from "../experiments/length_vs_shift_inference";
import { paperPlainMpdFor, type SweepRow } from "../experiments/sweep";
import type { PermutationTest } from "../metrics/design_tests";
import { mean } from "../metrics/stats";
import {
  ALPHA,
  ANISOTROPY_OVERLAP_MARGIN,
  CONFIDENCE,
  LENGTH_MAX_ABS_PARTIAL_R,
  MIN_TEXTS_PER_CELL,
  PAPER_TOLERANCE,
  REPEAT_MPD_MARGIN,
  RESIDUAL_MAX_WORD_PIECES,
  RESIDUAL_MEAN_MAX_WORD_PIECES,
} from "./claims";
import type { ClaimCheck } from "./verdict";

const fmt = (x: number) => x.toFixed(3);
const ci = (i: Interval | undefined) => (i ? `${fmt(i.estimate)} [${fmt(i.lower)}, ${fmt(i.upper)}]` : "no estimate");
const ciLevel = `${Math.round(CONFIDENCE * 100)}% CI`;
/** The paper's Overlap@1 values, labelled as what they are. */
export const paperOverlapLabel = (mode: ConstructionMode) => `${PAPER_OVERLAP_AT_1[mode]} (secondary source)`;
const paperOverlapTriple = `${CONSTRUCTION_MODES.map((m) => PAPER_OVERLAP_AT_1[m]).join(" / ")} (secondary source)`;

/** Shift raises concentration between cells: the stratified permutation test rejects at ALPHA. */
export const shiftPredictsBetweenCells = (t: PermutationTest | undefined) => t !== undefined && t.pValue < ALPHA;
/** Length does not predict concentration inside cells: the interval of its partial r lies inside ±LENGTH_MAX_ABS_PARTIAL_R. */
export const lengthEquivalentToNone = (i: Interval | undefined) =>
  i !== undefined && i.lower > -LENGTH_MAX_ABS_PARTIAL_R && i.upper < LENGTH_MAX_ABS_PARTIAL_R;
/** A positive difference: the lower bound above 0. */
export const positive = (i: Interval | undefined) => i !== undefined && i.lower > 0;
/** Length alone does not lower MPD by more than the margin. */
export const lengthAloneWithinMargin = (i: Interval | undefined) => i !== undefined && i.lower > -REPEAT_MPD_MARGIN;
const pTest = (t: PermutationTest | undefined) =>
  t && Number.isFinite(t.pValue)
    ? `p ${t.pValue.toFixed(3)} (${t.strata} k, smallest possible ${t.smallestPossiblePValue.toFixed(3)})`
    : "no test";

// ---------------------------------------------------------------------------------------------------------------------------
// Notebook 04: one model, per corpus

export interface LengthVsShiftEvidence {
  corpora: readonly string[];
  compareK: number;
  cells: readonly CellSummary[];
  cellTests: readonly { corpus: string; test: PermutationTest }[];
  withinCell: readonly (WithinCellAssociations & { corpus: string })[];
  contrasts: readonly PairedContrasts[];
  controls: AnisotropyControls;
  residuals: readonly { residualMax: number; residualMean: number }[];
  leakage: readonly LeakageAudit[];
}

export function lengthVsShiftChecks(e: LengthVsShiftEvidence): ClaimCheck[] {
  const { corpora, compareK } = e;
  const perCorpus = (f: (corpus: string) => string) => corpora.map((c) => `${c}: ${f(c)}`).join("; ");
  const every = (test: (corpus: string) => boolean) => corpora.length > 0 && corpora.every(test);
  const contrast = (c: string) => e.contrasts.find((x) => x.corpus === c);
  const within = (c: string) => e.withinCell.find((x) => x.corpus === c);
  const cellTest = (c: string) => e.cellTests.find((x) => x.corpus === c)?.test;
  const control = (c: string) => e.controls.contrasts.find((x) => x.corpus === c);
  const residualMean = mean(e.residuals.map((r) => r.residualMean));
  const checks: ClaimCheck[] = CONSTRUCTION_MODES.map((mode) => {
    const cell = e.cells.find((c) => c.corpus === "arxiv" && c.mode === mode && c.k === compareK);
    const usable = cell !== undefined && cell.texts >= MIN_TEXTS_PER_CELL;
    return {
      claim: `Overlap@1 of ${mode} texts (arXiv, k = ${compareK})`,
      measured: cell
        ? `${fmt(cell.overlapAt1)} (chance ${fmt(1 / cell.texts)}, ${cell.texts} texts${usable ? "" : ", too few: excluded"})`
        : "no cell",
      paper: paperOverlapLabel(mode),
      criterion: `within ${PAPER_TOLERANCE.toFixed(2)} of the paper's value, cell of ≥ ${MIN_TEXTS_PER_CELL} texts`,
      held: usable && Math.abs(cell!.overlapAt1 - PAPER_OVERLAP_AT_1[mode]) <= PAPER_TOLERANCE,
    };
  });
  checks.push(
    {
      claim: `Retrieval falls with shift: Overlap@1 repeat > sequential > random at k = ${compareK} (paired by seed)`,
      measured: perCorpus(
        (c) =>
          `rep − seq ${ci(contrast(c)?.overlapRepeatMinusSequential)}, seq − rand ${ci(contrast(c)?.overlapSequentialMinusRandom)}`,
      ),
      paper: paperOverlapTriple,
      criterion: `both ${ciLevel} lower bounds > 0 in every corpus`,
      held: every(
        (c) =>
          positive(contrast(c)?.overlapRepeatMinusSequential) && positive(contrast(c)?.overlapSequentialMinusRandom),
      ),
    },
    {
      claim: `At equal length, concentration rises with shift: MPD repeat > sequential > random at k = ${compareK} (paired by seed)`,
      measured: perCorpus(
        (c) =>
          `rep − seq ${ci(contrast(c)?.mpdRepeatMinusSequential)}, seq − rand ${ci(contrast(c)?.mpdSequentialMinusRandom)}`,
      ),
      criterion: `both ${ciLevel} lower bounds > 0 in every corpus`,
      held: every(
        (c) => positive(contrast(c)?.mpdRepeatMinusSequential) && positive(contrast(c)?.mpdSequentialMinusRandom),
      ),
    },
    {
      claim: `Length alone does not concentrate: repeat texts at k = ${compareK} are not less dispersed than their own seed sentences`,
      measured: perCorpus((c) => `MPD(k = ${compareK}) − MPD(k = 1) ${ci(contrast(c)?.lengthAlone)}`),
      criterion: `${ciLevel} lower bound > −${REPEAT_MPD_MARGIN} (non-inferiority margin) in every corpus`,
      held: every((c) => lengthAloneWithinMargin(contrast(c)?.lengthAlone)),
    },
    {
      claim:
        "Shift predicts concentration at fixed length: between the cells of each k, concentration rises with the cells' Shift",
      measured: perCorpus((c) => pTest(cellTest(c))),
      criterion: `one-sided stratified permutation test over cells (modes permuted within k), p < ${ALPHA} in every corpus`,
      held: every((c) => shiftPredictsBetweenCells(cellTest(c))),
    },
    {
      claim:
        "Length does not predict concentration once Shift is known (inside cells: partial r of length given Shift)",
      measured: perCorpus((c) => ci(within(c)?.lengthGivenShift)),
      criterion: `${ciLevel} (seeds resampled) inside ±${LENGTH_MAX_ABS_PARTIAL_R} (equivalence margin) in every corpus`,
      held: every((c) => lengthEquivalentToNone(within(c)?.lengthGivenShift)),
    },
    {
      claim: "(not a paper claim) Inside one cell, Shift still orders texts by concentration (partial r given length)",
      measured: perCorpus((c) => ci(within(c)?.shiftGivenLength)),
      criterion: `${ciLevel} (seeds resampled) lower bound > 0 in every corpus`,
      held: every((c) => positive(within(c)?.shiftGivenLength)),
    },
    {
      claim: `Anisotropy hurts retrieval only when shift induced it (k = ${compareK}; Overlap@1 differences paired by seed)`,
      measured: perCorpus((c) => {
        const x = control(c);
        return x
          ? `injected loss ${ci(x.injectedLoss)}, centring gain ${ci(x.centringGain)}, injected − random ${ci(x.shiftAtEqualAnisotropy)}`
          : "no control";
      }),
      criterion: `upper bounds of the injected loss and of the centring gain < ${ANISOTROPY_OVERLAP_MARGIN.toFixed(3)} (equivalence margin) and lower bound of injected − random > 0, ${ciLevel}, in every corpus`,
      held: every((c) => anisotropyControlHolds(control(c))),
    },
    {
      kind: "identity",
      claim: "Token lengths are matched within each seed",
      measured: `max ${Math.max(...e.residuals.map((r) => r.residualMax))}, mean ${residualMean.toFixed(2)} word pieces`,
      criterion: `residual ≤ ${RESIDUAL_MAX_WORD_PIECES} word pieces (the matching rule) and mean ≤ ${RESIDUAL_MEAN_MAX_WORD_PIECES}`,
      held:
        e.residuals.every((r) => r.residualMax <= RESIDUAL_MAX_WORD_PIECES) &&
        residualMean <= RESIDUAL_MEAN_MAX_WORD_PIECES,
    },
    {
      kind: "identity",
      claim: "No leakage: no query sentence occurs in a constructed text of another seed",
      measured: `${e.leakage.reduce((n, a) => n + a.queriesInOtherTexts, 0)} queries in other seeds' texts, ${e.leakage.reduce((n, a) => n + a.overlappingSequentialPairs, 0)} overlapping sequential pairs`,
      criterion: "no query in another seed's text (construct.ts reserves every sentence a kept seed uses)",
      held: leakFree(e.leakage),
    },
  );
  return checks;
}

/** The anisotropy control's criterion for one corpus (see lengthVsShiftChecks). */
export function anisotropyControlHolds(x: AnisotropyControls["contrasts"][number] | undefined): boolean {
  return (
    x !== undefined &&
    x.injectedLoss.upper < ANISOTROPY_OVERLAP_MARGIN &&
    x.centringGain.upper < ANISOTROPY_OVERLAP_MARGIN &&
    x.shiftAtEqualAnisotropy.lower > 0
  );
}

// ---------------------------------------------------------------------------------------------------------------------------
// Notebook 05: models × corpora

export interface ModelSummary {
  [column: string]: string | number;
  model: string;
  /** plain-corpus MPD averaged over the corpora */
  plainMpd: number;
  /** corpora where the between-cell test rejects at ALPHA */
  shiftPredicts: string;
  /** the largest p-value over the corpora */
  maxP: number;
  /** "yes" when Shift predicts concentration in every corpus, "no" otherwise */
  shiftHolds: string;
}

const rowShiftPredicts = (r: SweepRow) => r.shiftCellP < ALPHA;
const rowLengthDoesNot = (r: SweepRow) =>
  r.lengthWithinLower > -LENGTH_MAX_ABS_PARTIAL_R && r.lengthWithinUpper < LENGTH_MAX_ABS_PARTIAL_R;
const rowUsable = (r: SweepRow) => r.minCellTexts >= MIN_TEXTS_PER_CELL;
const rowOverlapOrdered = (r: SweepRow) =>
  rowUsable(r) && r.overlapRepeatMinusSequentialLower > 0 && r.overlapSequentialMinusRandomLower > 0;
const rowMpdOrdered = (r: SweepRow) =>
  rowUsable(r) && r.mpdRepeatMinusSequentialLower > 0 && r.mpdSequentialMinusRandomLower > 0;

/** One row per model: its plain-corpus MPD and whether the between-cell Shift test rejects on each of its corpora. */
export function summarizeByModel(rows: readonly SweepRow[]): ModelSummary[] {
  const models = [...new Set(rows.map((r) => r.model))];
  return models.map((model) => {
    const own = rows.filter((r) => r.model === model);
    const predicts = own.filter(rowShiftPredicts);
    return {
      model,
      plainMpd: mean(own.map((r) => r.plainMpd)),
      shiftPredicts: `${predicts.length} of ${own.length} corpora`,
      maxP: Math.max(...own.map((r) => (Number.isFinite(r.shiftCellP) ? r.shiftCellP : 1))),
      shiftHolds: own.length > 0 && predicts.length === own.length ? "yes" : "no",
    };
  });
}

/**
 * Notebook 04's criteria applied to every (model, corpus) pair: a claim holds when it holds for every pair of the encoders (each
 * at ALPHA: an intersection-union test needs no correction); the static baseline gets its own line, each encoder its per-model
 * line, and a model the paper reports a plain-corpus MPD for is compared with it.
 */
export function sweepChecks(
  rows: readonly SweepRow[],
  isStatic: (model: string) => boolean,
  perModel: readonly ModelSummary[],
  plain: readonly { model: string; meanOverCorpora: number }[],
): ClaimCheck[] {
  const encoderRows = rows.filter((r) => !isStatic(r.model));
  const staticRows = rows.filter((r) => isStatic(r.model));
  const countWhere = (own: readonly SweepRow[], test: (r: SweepRow) => boolean) =>
    `${own.filter(test).length} of ${own.length} (model, corpus) pairs`;
  const all = (own: readonly SweepRow[], test: (r: SweepRow) => boolean) => own.length > 0 && own.every(test);
  const checks: ClaimCheck[] = [
    {
      claim: "Encoders: Shift predicts concentration between the cells of each k",
      measured: countWhere(encoderRows, rowShiftPredicts),
      criterion: `stratified permutation p < ${ALPHA} in every pair`,
      held: all(encoderRows, rowShiftPredicts),
    },
    {
      claim: "Encoders: length does not predict concentration inside cells once Shift is known",
      measured: countWhere(encoderRows, rowLengthDoesNot),
      criterion: `${ciLevel} of the partial r inside ±${LENGTH_MAX_ABS_PARTIAL_R} in every pair`,
      held: all(encoderRows, rowLengthDoesNot),
    },
    {
      claim: "Encoders: at equal length MPD repeat > sequential > random (paired by seed)",
      measured: countWhere(encoderRows, rowMpdOrdered),
      criterion: `${ciLevel} lower bounds > 0 in every pair (cells of ≥ ${MIN_TEXTS_PER_CELL} texts)`,
      held: all(encoderRows, rowMpdOrdered),
    },
    {
      claim: "Encoders: Overlap@1 repeat > sequential > random (paired by seed)",
      measured: countWhere(encoderRows, rowOverlapOrdered),
      paper: paperOverlapTriple,
      criterion: `${ciLevel} lower bounds > 0 in every pair (cells of ≥ ${MIN_TEXTS_PER_CELL} texts)`,
      held: all(encoderRows, rowOverlapOrdered),
    },
    {
      claim:
        "(not a paper claim) The static GloVe average shows the same Shift > length pattern: averaging alone produces it",
      measured: countWhere(staticRows, (r) => rowShiftPredicts(r) && rowLengthDoesNot(r)),
      criterion: "both Shift and length criteria in every corpus",
      held: all(staticRows, (r) => rowShiftPredicts(r) && rowLengthDoesNot(r)),
    },
  ];
  for (const m of perModel.filter((m) => !isStatic(m.model))) {
    checks.push({
      claim: `${m.model}: Shift predicts concentration between cells`,
      measured: `${m.shiftPredicts} (largest p ${m.maxP.toFixed(3)})`,
      criterion: `p < ${ALPHA} in every corpus`,
      held: m.shiftHolds === "yes",
    });
  }
  for (const row of plain) {
    const paper = paperPlainMpdFor(row.model);
    if (!paper) continue;
    checks.push({
      claim: `Plain-corpus MPD of ${row.model}`,
      measured: row.meanOverCorpora,
      paper: paper.mpd,
      criterion: `within ${PAPER_TOLERANCE.toFixed(2)} of the paper's value`,
      held: Math.abs(row.meanOverCorpora - paper.mpd) <= PAPER_TOLERANCE,
    });
  }
  return checks;
}
