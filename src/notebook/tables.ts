/**
 * The columns of the notebooks' tables: result records → rows named as the CSVs in output/figures/<notebook>/ name them. Table
 * shaping lives here so a notebook cell says which table it shows, not how its columns are built.
 */
import type { Row } from "../figures/table";
import { row, type Matrix } from "../matrix";
import { mean } from "../metrics/stats";
import type { BootstrapInterval } from "../metrics/stats";
import type { DilutionSummary, RankCorrelation } from "../experiments/dilution";
import type { CellSummary, ConcentrationRegression, CorpusConstruction } from "../experiments/length_vs_shift";
import type { AnisotropyControlRow } from "../experiments/anisotropy_control";
import type { PairedContrasts } from "../experiments/length_vs_shift_inference";
import type { ConcentrationCorrelations, ShiftSummary } from "../experiments/shift_profile";
import type { SweepRow } from "../experiments/sweep";
import { paperPlainMpdFor } from "../experiments/sweep";

// 00 · quickstart

/** "i: first three words…" per sentence, for table rows and heatmap axes. */
export const sentenceLabels = (sentences: readonly string[], words = 3) =>
  sentences.map((s, i) => `${i}: ${s.split(" ").slice(0, words).join(" ")}…`);

/** One row per sentence: its label and its cosine with every sentence (columns "0", "1", …). */
export function similarityRows(labels: readonly string[], similarity: Matrix): Row[] {
  return labels.map((label, i) => ({
    sentence: label,
    ...Object.fromEntries(labels.map((_, j) => [String(j), row(similarity, i)[j]])),
  }));
}

// 01 · Theorem 1

/** One row per corpus: the dilution summary beside Spearman ρ (Disp, contextual C_mean) with its CI. */
export function dilutionSummaryRows(corpora: readonly { summary: DilutionSummary; rho: RankCorrelation }[]): Row[] {
  const fmt = (x: number) => Number(x.toFixed(4));
  return corpora.map(({ summary, rho }) => ({
    corpus: summary.source,
    texts: summary.texts,
    "mean k": fmt(summary.meanSentences),
    "mean Disp": fmt(summary.meanDispersion),
    "mean C_mean (mean pooling)": fmt(summary.meanCMeanOfMean),
    "mean C_mean (contextual)": fmt(summary.meanCMeanContextual),
    "contextual − Theorem 1 (mean)": fmt(summary.meanContextualMinusTheorem),
    "contextual − Theorem 1 (min)": fmt(summary.minContextualMinusTheorem),
    "Spearman ρ (Disp, contextual C_mean)": fmt(rho.interval.estimate),
    documents: rho.clusters,
    "95% CI (documents resampled)": `[${rho.interval.lower.toFixed(3)}, ${rho.interval.upper.toFixed(3)}]`,
  }));
}

// 03 · semantic shift

/** One row per corpus: Local, Disp and Shift summaries. */
export function shiftSummaryRows(summaries: ReadonlyMap<string, ShiftSummary>): Row[] {
  return [...summaries].map(([label, s]) => ({
    corpus: label,
    texts: s.passages,
    mean_sentences: s.meanSentences,
    mean_tokens: s.meanTokens,
    local_mean: s.local.mean,
    local_per_step_mean: s.localPerTransition.mean,
    disp_mean: s.dispersion.mean,
    shift_mean: s.shift.mean,
    shift_median: s.shift.median,
    shift_iqr: `${s.shift.q1.toFixed(3)} – ${s.shift.q3.toFixed(3)}`,
  }));
}

const interval = (ci: { lower: number; upper: number }) => `[${ci.lower.toFixed(2)}, ${ci.upper.toFixed(2)}]`;

/** One row per corpus: Spearman of Shift and of token length with each text's concentration, with bootstrap intervals (documents resampled). */
export function concentrationCorrelationRows(
  perCorpus: readonly (ConcentrationCorrelations & { label: string })[],
): Row[] {
  return perCorpus.map((r) => ({
    corpus: r.label,
    texts: r.n,
    documents: r.documents,
    rho_shift_meancos: r.shift.estimate,
    rho_shift_ci95: interval(r.shift as BootstrapInterval),
    rho_tokens_meancos: r.tokens.estimate,
    rho_tokens_ci95: interval(r.tokens as BootstrapInterval),
    shift_minus_abs_tokens: r.shiftOverTokens.estimate,
    shift_minus_abs_tokens_ci95: interval(r.shiftOverTokens),
    rho_shift_given_tokens: r.shiftGivenTokens,
  }));
}

// 04 · length vs shift

/** Per corpus and k: the residual token-length differences of the matched texts and each mode's mean length. */
export function constructionResidualRows(constructions: readonly CorpusConstruction[]) {
  return constructions.flatMap((c) =>
    c.reports
      .filter((r) => r.built > 0)
      .map((r) => {
        const meanTokensOf = (mode: string) =>
          mean(c.texts.filter((t) => t.k === r.k && t.mode === mode).map((t) => t.tokens));
        return {
          corpus: c.corpus,
          k: r.k,
          seeds: r.built,
          residualMax: r.residualMax,
          residualMean: r.residualMean,
          tokensRepeat: meanTokensOf("repeat"),
          tokensSequential: meanTokensOf("sequential"),
          tokensRandom: meanTokensOf("random"),
        };
      }),
  );
}

/** One row per (corpus, mode, k) cell. */
export function cellRows(cells: readonly CellSummary[]): Row[] {
  return cells.map((c) => ({
    corpus: c.corpus,
    mode: c.mode,
    k: c.k,
    texts: c.texts,
    meanTokens: c.meanTokens,
    MPD: c.mpd,
    anisotropy: c.anisotropy,
    meanShift: c.meanShift,
    "Overlap@1": c.overlapAt1,
    "chance (1/pool)": 1 / c.texts,
    "Recall@5": c.recallAt5,
  }));
}

/** One row per corpus: the paired (by seed) differences with their bootstrap intervals. */
export function pairedContrastRows(contrasts: readonly PairedContrasts[]): Row[] {
  const show = (i?: { estimate: number; lower: number; upper: number }) =>
    i ? `${i.estimate.toFixed(3)} [${i.lower.toFixed(3)}, ${i.upper.toFixed(3)}]` : "—";
  return contrasts.map((c) => ({
    corpus: c.corpus,
    k: c.compareK,
    seeds: c.seeds,
    "MPD repeat k vs k=1": show(c.lengthAlone),
    "MPD repeat − sequential": show(c.mpdRepeatMinusSequential),
    "MPD sequential − random": show(c.mpdSequentialMinusRandom),
    "Overlap@1 repeat − sequential": show(c.overlapRepeatMinusSequential),
    "Overlap@1 sequential − random": show(c.overlapSequentialMinusRandom),
    note: c.note ?? "",
  }));
}

/** One row per (corpus, control) fit of concentration on length and Shift. */
export function regressionRows(regressions: readonly (ConcentrationRegression & { corpus: string })[]): Row[] {
  return regressions.map((r) => ({
    corpus: r.corpus,
    control: r.control,
    n: r.n,
    betaLength: r.length.beta,
    tLength: r.length.t,
    betaShift: r.shift.beta,
    tShift: r.shift.t,
    R2: r.rSquared,
    rLength: r.correlationLength,
    rShift: r.correlationShift,
    "partial Shift|length": r.partialShiftGivenLength,
    "partial length|Shift": r.partialLengthGivenShift,
  }));
}

export function anisotropyControlRows(controls: readonly AnisotropyControlRow[]): Row[] {
  return controls.map((r) => ({
    corpus: r.corpus,
    k: r.k,
    condition: r.condition,
    anisotropy: r.anisotropy,
    "Overlap@1": r.overlapAt1,
    "chance (1/pool)": r.chance,
    "Recall@5": r.recallAt5,
  }));
}

// 05 · models × corpora

/** One row per model: plain-corpus MPD per corpus, their mean, and the paper's value for a model it reports. */
export function plainMpdRows(rows: readonly SweepRow[]) {
  const models = [...new Set(rows.map((r) => r.model))];
  return models.map((label) => {
    const own = rows.filter((r) => r.model === label);
    const paper = paperPlainMpdFor(label);
    return {
      model: label,
      ...Object.fromEntries(own.map((r) => [r.corpus, r.plainMpd])),
      meanOverCorpora: mean(own.map((r) => r.plainMpd)),
      paper: paper ? `${paper.model} ≈ ${paper.mpd}` : "—",
    };
  });
}
