/**
 * The claim checks of the length-vs-shift experiment, in one place for notebook 04 (one model, per corpus) and notebook 05
 * (models × corpora): the thresholds are named constants here, so the two notebooks never restate one. Each function returns
 * the `ClaimCheck`s that `reportVerdicts` prints; none of them measures anything.
 */
import { CONSTRUCTION_MODES, type ConstructionMode } from "../experiments/construct";
import { PAPER_OVERLAP_AT_1, type AnisotropyControlRow, type CellSummary, type ConcentrationRegression } from "../experiments/length_vs_shift";
import { paperPlainMpdFor, type SweepRow } from "../experiments/sweep";
import { mean } from "../metrics/stats";
import type { ClaimCheck } from "./verdict";

/** Overlap@1 matches the paper when it is within this of the paper's value (the same tolerance for plain-corpus MPD). */
export const PAPER_TOLERANCE = 0.1;
/** Shift predicts concentration: the partial r of Shift given length (and k) above this ... */
export const SHIFT_PREDICTS_MIN_PARTIAL_R = 0.3;
/** ... and (notebook 04, one fit per corpus) its t value above this. */
export const SHIFT_PREDICTS_MIN_T = 2;
/** Length does not predict concentration once Shift is known: |partial r of length given Shift (and k)| below this. */
export const LENGTH_MAX_ABS_PARTIAL_R = 0.3;
/** Inside one cell (cell-centred fit), Shift still orders texts: partial r above this. */
export const WITHIN_CELL_MIN_PARTIAL_R = 0.2;
/** Repeat texts at the compared k may be at most this much less dispersed (MPD) than single sentences. */
export const REPEAT_MPD_TOLERANCE = 0.02;
/** Injected (content-free) anisotropy may cost repeat texts at most this much Overlap@1 ... */
export const INJECTED_MAX_OVERLAP_LOSS = 0.05;
/** ... while random texts (shift-induced anisotropy) sit at least this much below repeat. */
export const SHIFT_MIN_OVERLAP_LOSS = 0.1;
/** Token lengths are matched: no residual above the construction's rule (construct.ts, maxResidual) ... */
export const RESIDUAL_MAX_WORD_PIECES = 4;
/** ... and a mean residual at most this. */
export const RESIDUAL_MEAN_MAX_WORD_PIECES = 2;

const fmt = (x: number) => x.toFixed(3);
const paperOverlapTriple = CONSTRUCTION_MODES.map((m) => PAPER_OVERLAP_AT_1[m]).join(" / ");

/** Shift predicts concentration at fixed length (k held fixed). */
export const shiftPredicts = (partialShiftGivenLength: number) => partialShiftGivenLength > SHIFT_PREDICTS_MIN_PARTIAL_R;
/** Length does not predict concentration once Shift is known: small, and smaller than Shift's. */
export const lengthDoesNotPredict = (partialLengthGivenShift: number, partialShiftGivenLength: number) =>
  Math.abs(partialLengthGivenShift) < LENGTH_MAX_ABS_PARTIAL_R && Math.abs(partialLengthGivenShift) < partialShiftGivenLength;
/** Retrieval falls with shift: Overlap@1 repeat ≥ sequential ≥ random. */
export const overlapOrdered = ([repeat, sequential, random]: readonly number[]) => repeat >= sequential && sequential >= random;
/** Concentration rises with shift: MPD repeat > sequential > random. */
export const mpdOrdered = ([repeat, sequential, random]: readonly number[]) => repeat > sequential && sequential > random;

// ---------------------------------------------------------------------------------------------------------------------------
// Notebook 04: one model, per corpus

export interface LengthVsShiftEvidence {
  corpora: readonly string[];
  compareK: number;
  cells: readonly CellSummary[];
  /** regressConcentration per corpus and control */
  regressions: readonly (ConcentrationRegression & { corpus: string })[];
  controls: readonly AnisotropyControlRow[];
  /** per corpus and k: the largest and mean residual token-length difference of the matched texts */
  residuals: readonly { residualMax: number; residualMean: number }[];
}

export function lengthVsShiftChecks(e: LengthVsShiftEvidence): ClaimCheck[] {
  const { corpora, compareK } = e;
  const cellAt = (corpus: string, mode: ConstructionMode, k: number) => e.cells.find((c) => c.corpus === corpus && c.mode === mode && c.k === k)!;
  const perCorpus = (f: (corpus: string) => string) => corpora.map((c) => `${c}: ${f(c)}`).join("; ");
  const byMode = (corpus: string, key: "overlapAt1" | "mpd") => CONSTRUCTION_MODES.map((m) => cellAt(corpus, m, compareK)[key]);
  const triple = (corpus: string, key: "overlapAt1" | "mpd") => byMode(corpus, key).map(fmt).join(" / ");
  const withinK = e.regressions.filter((r) => r.control === "k");
  const withinCell = e.regressions.filter((r) => r.control === "cell");
  const control = (corpus: string, source: AnisotropyControlRow["source"]) => e.controls.find((r) => r.corpus === corpus && r.source === source)!;
  const residualMean = mean(e.residuals.map((r) => r.residualMean));
  return [
    ...CONSTRUCTION_MODES.map((mode) => {
      const measured = cellAt("arxiv", mode, compareK).overlapAt1;
      return {
        claim: `Overlap@1 of ${mode} texts (arXiv, k = ${compareK})`,
        measured,
        paper: PAPER_OVERLAP_AT_1[mode],
        criterion: `within ${PAPER_TOLERANCE.toFixed(2)} of the paper's value`,
        held: Math.abs(measured - PAPER_OVERLAP_AT_1[mode]) <= PAPER_TOLERANCE,
      };
    }),
    {
      claim: `Retrieval falls with shift: Overlap@1 repeat ≥ sequential ≥ random at k = ${compareK}`,
      measured: perCorpus((c) => triple(c, "overlapAt1")),
      paper: paperOverlapTriple,
      criterion: "ordered in every corpus",
      held: corpora.every((c) => overlapOrdered(byMode(c, "overlapAt1"))),
    },
    {
      claim: `At equal length, concentration rises with shift: MPD repeat > sequential > random at k = ${compareK}`,
      measured: perCorpus((c) => triple(c, "mpd")),
      criterion: "strictly ordered in every corpus",
      held: corpora.every((c) => mpdOrdered(byMode(c, "mpd"))),
    },
    {
      claim: `Length alone does not concentrate: repeat texts at k = ${compareK} (about ${compareK}× the tokens) are not less dispersed than single sentences`,
      measured: perCorpus((c) => `MPD ${fmt(cellAt(c, "repeat", 1).mpd)} → ${fmt(cellAt(c, "repeat", compareK).mpd)}`),
      criterion: `repeat MPD at k = ${compareK} ≥ MPD at k = 1 − ${REPEAT_MPD_TOLERANCE} in every corpus`,
      held: corpora.every((c) => cellAt(c, "repeat", compareK).mpd >= cellAt(c, "repeat", 1).mpd - REPEAT_MPD_TOLERANCE),
    },
    {
      claim: "Shift predicts concentration at fixed length budget (partial r of Shift given length and k)",
      measured: withinK.map((r) => `${r.corpus}: ${fmt(r.partialShiftGivenLength)} (β ${fmt(r.shift.beta)}, t ${r.shift.t.toFixed(1)})`).join("; "),
      criterion: `partial r > ${SHIFT_PREDICTS_MIN_PARTIAL_R} and t > ${SHIFT_PREDICTS_MIN_T} in every corpus`,
      held: withinK.every((r) => shiftPredicts(r.partialShiftGivenLength) && r.shift.t > SHIFT_PREDICTS_MIN_T),
    },
    {
      claim: "Length does not predict concentration once Shift is known (partial r of length given Shift and k)",
      measured: withinK.map((r) => `${r.corpus}: ${fmt(r.partialLengthGivenShift)} (β ${fmt(r.length.beta)})`).join("; "),
      criterion: `|partial r| < ${LENGTH_MAX_ABS_PARTIAL_R} and smaller than Shift's in every corpus`,
      held: withinK.every((r) => lengthDoesNotPredict(r.partialLengthGivenShift, r.partialShiftGivenLength)),
    },
    {
      claim: "(not a paper claim) Inside one cell, Shift still orders texts by concentration",
      measured: withinCell.map((r) => `${r.corpus}: partial r ${fmt(r.partialShiftGivenLength)}`).join("; "),
      criterion: `partial r > ${WITHIN_CELL_MIN_PARTIAL_R} in every corpus (cell-centred)`,
      held: withinCell.every((r) => r.partialShiftGivenLength > WITHIN_CELL_MIN_PARTIAL_R),
    },
    {
      claim: `Anisotropy hurts retrieval only when shift induced it (k = ${compareK})`,
      measured: perCorpus(
        (c) =>
          `repeat ${fmt(control(c, "none").overlapAt1)}, injected to anisotropy ${fmt(control(c, "injected").anisotropy)}: ${fmt(control(c, "injected").overlapAt1)}; ` +
          `random ${fmt(control(c, "shift").overlapAt1)}, centred: ${fmt(control(c, "shift, centred").overlapAt1)}`,
      ),
      criterion: `injected anisotropy costs repeat ≤ ${INJECTED_MAX_OVERLAP_LOSS} of Overlap@1 while random (same anisotropy) is ≥ ${SHIFT_MIN_OVERLAP_LOSS.toFixed(2)} below repeat, in every corpus`,
      held: corpora.every(
        (c) =>
          control(c, "none").overlapAt1 - control(c, "injected").overlapAt1 <= INJECTED_MAX_OVERLAP_LOSS &&
          control(c, "none").overlapAt1 - control(c, "shift").overlapAt1 >= SHIFT_MIN_OVERLAP_LOSS,
      ),
    },
    {
      claim: "Token lengths are matched within each seed",
      measured: `max ${Math.max(...e.residuals.map((r) => r.residualMax))}, mean ${residualMean.toFixed(2)} word pieces`,
      criterion: `residual ≤ ${RESIDUAL_MAX_WORD_PIECES} word pieces (the matching rule) and mean ≤ ${RESIDUAL_MEAN_MAX_WORD_PIECES}`,
      held: e.residuals.every((r) => r.residualMax <= RESIDUAL_MAX_WORD_PIECES) && residualMean <= RESIDUAL_MEAN_MAX_WORD_PIECES,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------------------
// Notebook 05: models × corpora

export interface ModelSummary {
  [column: string]: string | number;
  model: string;
  /** plain-corpus MPD averaged over the corpora */
  plainMpd: number;
  /** corpora where Shift predicts concentration at fixed length (partial r given length and k > SHIFT_PREDICTS_MIN_PARTIAL_R) */
  shiftPredicts: string;
  /** the smallest of those partial correlations over the corpora */
  minPartialShift: number;
  /** "yes" when Shift predicts concentration in every corpus, "no" otherwise */
  shiftHolds: string;
}

/** One row per model: its plain-corpus MPD and whether the Shift–concentration relation holds on each of its corpora. */
export function summarizeByModel(rows: readonly SweepRow[]): ModelSummary[] {
  const models = [...new Set(rows.map((r) => r.model))];
  return models.map((model) => {
    const own = rows.filter((r) => r.model === model);
    const predicts = own.filter((r) => shiftPredicts(r.partialShiftGivenLengthK));
    return {
      model,
      plainMpd: own.reduce((sum, r) => sum + r.plainMpd, 0) / own.length,
      shiftPredicts: `${predicts.length} of ${own.length} corpora`,
      minPartialShift: Math.min(...own.map((r) => r.partialShiftGivenLengthK)),
      shiftHolds: predicts.length === own.length ? "yes" : "no",
    };
  });
}

const rowShiftPredicts = (r: SweepRow) => shiftPredicts(r.partialShiftGivenLengthK);
const rowLengthDoesNot = (r: SweepRow) => lengthDoesNotPredict(r.partialLengthGivenShiftK, r.partialShiftGivenLengthK);
const rowOverlapOrdered = (r: SweepRow) => overlapOrdered([r.overlapRepeat, r.overlapSequential, r.overlapRandom]);
const rowMpdOrdered = (r: SweepRow) => mpdOrdered([r.mpdRepeat, r.mpdSequential, r.mpdRandom]);

/**
 * Notebook 04's criteria applied to every (model, corpus) pair: a claim holds when it holds for every pair of the encoders; the
 * static baseline gets its own line, each encoder its per-model line, and a model the paper reports a plain-corpus MPD for
 * is compared with it (`plain`: the mean over corpora per model).
 */
export function sweepChecks(
  rows: readonly SweepRow[],
  isStatic: (model: string) => boolean,
  perModel: readonly ModelSummary[],
  plain: readonly { model: string; meanOverCorpora: number }[],
): ClaimCheck[] {
  const encoderRows = rows.filter((r) => !isStatic(r.model));
  const staticRows = rows.filter((r) => isStatic(r.model));
  const countWhere = (own: readonly SweepRow[], test: (r: SweepRow) => boolean) => `${own.filter(test).length} of ${own.length} (model, corpus) pairs`;
  const checks: ClaimCheck[] = [
    { claim: `Encoders: Shift predicts concentration at fixed length (partial r given length and k > ${SHIFT_PREDICTS_MIN_PARTIAL_R})`, measured: countWhere(encoderRows, rowShiftPredicts), criterion: "every pair", held: encoderRows.every(rowShiftPredicts) },
    { claim: "Encoders: length does not predict concentration once Shift is known", measured: countWhere(encoderRows, rowLengthDoesNot), criterion: `|partial r| < ${LENGTH_MAX_ABS_PARTIAL_R} and below Shift's in every pair`, held: encoderRows.every(rowLengthDoesNot) },
    { claim: "Encoders: at equal length MPD repeat > sequential > random (k = 8)", measured: countWhere(encoderRows, rowMpdOrdered), criterion: "every pair", held: encoderRows.every(rowMpdOrdered) },
    { claim: "Encoders: Overlap@1 repeat ≥ sequential ≥ random (k = 8)", measured: countWhere(encoderRows, rowOverlapOrdered), paper: paperOverlapTriple, criterion: "every pair", held: encoderRows.every(rowOverlapOrdered) },
    {
      claim: "(not a paper claim) The static GloVe average shows the same Shift > length pattern: averaging alone produces it",
      measured: countWhere(staticRows, (r) => rowShiftPredicts(r) && rowLengthDoesNot(r)),
      criterion: "both Shift and length criteria in every corpus",
      held: staticRows.length > 0 && staticRows.every((r) => rowShiftPredicts(r) && rowLengthDoesNot(r)),
    },
  ];
  for (const m of perModel.filter((m) => !isStatic(m.model))) {
    checks.push({ claim: `${m.model}: Shift predicts concentration at fixed length`, measured: m.shiftPredicts, criterion: `partial r > ${SHIFT_PREDICTS_MIN_PARTIAL_R} in every corpus`, held: m.shiftHolds === "yes" });
  }
  for (const row of plain) {
    const paper = paperPlainMpdFor(row.model);
    if (!paper) continue;
    checks.push({ claim: `Plain-corpus MPD of ${row.model}`, measured: row.meanOverCorpora, paper: paper.mpd, criterion: `within ${PAPER_TOLERANCE.toFixed(2)} of the paper's value`, held: Math.abs(row.meanOverCorpora - paper.mpd) <= PAPER_TOLERANCE });
  }
  return checks;
}
