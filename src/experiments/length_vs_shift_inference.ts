/**
 * Inference for the length-vs-shift claims at the level each effect varies (notebooks 04 and 05).
 *
 * Concentration is measured against each text's own cell, and Shift varies mainly between cells (mode × k), so texts are not
 * independent evidence about Shift: a t value over ~300 texts counts each cell's shared deviation ~30 times. Here:
 * - between cells: cellLevelShiftTest, a stratified permutation test over the cells of each (corpus, k) — under the null the
 *   three modes' cell concentrations are exchangeable whatever their Shift; the units are cells, so its p-value is honest about
 *   how few there are (3 cells per k: one k can never give p < 1/6);
 * - inside cells: withinCellAssociations, partial correlations after centring within cells, with bootstrap intervals that
 *   resample seeds (all texts of a seed move together: the same seeds serve every k and mode, construct.ts);
 * - paired contrasts of MPD and Overlap@1 (pairedContrasts): the same seeds in both cells, seeds resampled.
 * Cells with fewer than `minTexts` texts are excluded and named (`notes`), never averaged in.
 */
import type { BootstrapInterval } from "../metrics/stats";
import { bootstrapCI, clusterResample, partialCorrelation, quantile } from "../metrics/stats";
import { pairMeanWithMultiplicity, stratifiedPermutationTest, type PermutationTest } from "../metrics/design_tests";
import { dot, unitRows64 } from "../metrics/vectors";
import { randomInt, seededRandom } from "../util/random";
import type { ConstructionMode } from "./construct";
import {
  distinctTexts,
  type CellSummary,
  type CorpusConstruction,
  type TextMeasurement,
  type TextVectors,
} from "./length_vs_shift";

export interface InferenceOptions {
  /** cells with fewer texts are excluded from inference (and named in notes) */
  minTexts: number;
  seed?: number;
  /** bootstrap resamples (default 1000) */
  resamples?: number;
  /** two-sided confidence of the intervals (default 0.90: each bound is a one-sided 5% test) */
  confidence?: number;
}

export type Interval = Pick<BootstrapInterval, "estimate" | "lower" | "upper">;

const cellKey = (t: { corpus: string; mode: string; k: number }) => `${t.corpus}|${t.mode}|${t.k}`;

/** The cells with fewer than minTexts texts, one note each. */
export function smallCellNotes(cells: readonly CellSummary[], minTexts: number): string[] {
  return cells
    .filter((c) => c.texts < minTexts)
    .map((c) => `${c.corpus} ${c.mode} k=${c.k}: ${c.texts} texts < ${minTexts}, excluded`);
}

/** Texts of k > 1 in cells with at least minTexts texts (k = 1 has one cell and Shift 0: no contrast). */
function usableTexts(texts: readonly TextMeasurement[], minTexts: number): TextMeasurement[] {
  const sizes = new Map<string, number>();
  for (const t of texts) sizes.set(cellKey(t), (sizes.get(cellKey(t)) ?? 0) + 1);
  return distinctTexts(texts).filter((t) => t.k > 1 && sizes.get(cellKey(t))! >= minTexts);
}

/**
 * Does concentration rise with Shift between cells? Per (corpus, k) stratum, the cells' mean Shift (x) and mean concentration
 * (y); one-sided stratified permutation test of the summed within-stratum Spearman.
 */
export function cellLevelShiftTest(texts: readonly TextMeasurement[], options: InferenceOptions): PermutationTest {
  const cells = new Map<string, TextMeasurement[]>();
  for (const t of usableTexts(texts, options.minTexts))
    (cells.get(cellKey(t)) ?? cells.set(cellKey(t), []).get(cellKey(t))!).push(t);
  const strata = new Map<string, { x: number[]; y: number[] }>();
  for (const members of cells.values()) {
    const key = `${members[0].corpus}|${members[0].k}`;
    const stratum = strata.get(key) ?? strata.set(key, { x: [], y: [] }).get(key)!;
    stratum.x.push(members.reduce((s, t) => s + t.shift, 0) / members.length);
    stratum.y.push(members.reduce((s, t) => s + t.concentration, 0) / members.length);
  }
  return stratifiedPermutationTest([...strata.values()], { seed: options.seed });
}

export interface WithinCellAssociations {
  texts: number;
  seeds: number;
  /** partial r of Shift with concentration given length, all three centred within cells; seeds resampled */
  shiftGivenLength?: BootstrapInterval;
  lengthGivenShift?: BootstrapInterval;
  note?: string;
}

/** Inside cells: does Shift (or length) order texts by concentration? Undefined intervals, with a note, when degenerate. */
export function withinCellAssociations(
  texts: readonly TextMeasurement[],
  options: InferenceOptions,
): WithinCellAssociations {
  const usable = usableTexts(texts, options.minTexts);
  const seeds = new Set(usable.map((t) => `${t.corpus}|${t.seedId}`)).size;
  const partial = (sample: TextMeasurement[], which: "shift" | "length") => {
    const groups = sample.map(cellKey);
    const [y, shift, length] = [
      sample.map((t) => t.concentration),
      sample.map((t) => t.shift),
      sample.map((t) => t.tokens),
    ].map((v) => centreWithin(v, groups));
    if ([y, shift, length].some((v) => v.every((x) => Math.abs(x) < 1e-12))) return NaN;
    try {
      return which === "shift" ? partialCorrelation(shift, y, [length]) : partialCorrelation(length, y, [shift]);
    } catch {
      return NaN; // collinear or constant in this resample
    }
  };
  const base = { texts: usable.length, seeds };
  if (seeds < 3 || !Number.isFinite(partial(usable, "shift")) || !Number.isFinite(partial(usable, "length"))) {
    return {
      ...base,
      note: `within cells: ${usable.length} texts of ${seeds} seeds, Shift or length constant inside cells: no estimate`,
    };
  }
  const bootstrap = {
    resamples: options.resamples ?? 1000,
    confidence: options.confidence ?? 0.9,
    seed: options.seed,
    resample: clusterResample<TextMeasurement>((t) => `${t.corpus}|${t.seedId}`),
  };
  return {
    ...base,
    shiftGivenLength: bootstrapCI(usable, (s) => partial(s, "shift"), bootstrap),
    lengthGivenShift: bootstrapCI(usable, (s) => partial(s, "length"), bootstrap),
  };
}

export interface PairedContrasts {
  corpus: string;
  compareK: number;
  /** seeds present in every compared cell (the same seeds: construct.ts) */
  seeds: number;
  /** MPD of repeat texts at compareK minus at k = 1 (the seed sentences): length alone */
  lengthAlone?: Interval;
  /** MPD repeat − sequential and sequential − random at compareK */
  mpdRepeatMinusSequential?: Interval;
  mpdSequentialMinusRandom?: Interval;
  /** Overlap@1 repeat − sequential and sequential − random at compareK (each cell's pool fixed, queries resampled by seed) */
  overlapRepeatMinusSequential?: Interval;
  overlapSequentialMinusRandom?: Interval;
  note?: string;
}

/**
 * Paired bootstrap over seeds of the MPD and Overlap@1 differences between cells of one corpus. A resample draws seeds with
 * replacement; each cell's MPD is then the mean cosine distance over pairs of distinct seeds (pairMeanWithMultiplicity), and
 * Overlap@1 the mean of the resampled seeds' hits (rank 1 in the whole cell).
 */
export function pairedContrasts(
  construction: CorpusConstruction,
  vectors: TextVectors,
  texts: readonly TextMeasurement[],
  compareK: number,
  options: InferenceOptions,
): PairedContrasts {
  const corpus = construction.corpus;
  const cell = (mode: ConstructionMode, k: number) => construction.texts.filter((t) => t.k === k && t.mode === mode);
  const wanted: [ConstructionMode, number][] = [
    ["repeat", 1],
    ["repeat", compareK],
    ["sequential", compareK],
    ["random", compareK],
  ];
  const seedSets = wanted.map(([m, k]) => new Set(cell(m, k).map((t) => t.seedId)));
  const seeds = [...seedSets[1]].filter((s) => seedSets.every((set) => set.has(s)));
  const result: PairedContrasts = { corpus, compareK, seeds: seeds.length };
  if (seeds.length < Math.max(3, options.minTexts))
    return {
      ...result,
      note: `${corpus}: ${seeds.length} paired seeds < ${Math.max(3, options.minTexts)}, no paired contrasts`,
    };
  const distances = wanted.map(([m, k]) => {
    const bySeed = new Map(cell(m, k).map((t) => [t.seedId, t.text]));
    const unit = unitRows64(vectors.rows(seeds.map((s) => bySeed.get(s)!)));
    return unit.map((a) => Float64Array.from(unit, (b) => 1 - dot(a, b)));
  });
  const hits = (["repeat", "sequential", "random"] as const).map((m) => {
    const rank = new Map(
      texts.filter((t) => t.corpus === corpus && t.mode === m && t.k === compareK).map((t) => [t.seedId, t.rank]),
    );
    return seeds.map((s): number => (rank.get(s) === 1 ? 1 : 0));
  });
  const statistics = (count: number[]) => {
    const mpd = distances.map((d) => pairMeanWithMultiplicity(d, count));
    const n = count.reduce((a, b) => a + b, 0);
    const overlap = hits.map((h) => h.reduce((s, v, i) => s + v * count[i], 0) / n);
    return [mpd[1] - mpd[0], mpd[1] - mpd[2], mpd[2] - mpd[3], overlap[0] - overlap[1], overlap[1] - overlap[2]];
  };
  const estimates = statistics(seeds.map(() => 1));
  const rng = seededRandom(options.seed ?? 0);
  const draws: number[][] = estimates.map(() => []);
  for (let b = 0; b < (options.resamples ?? 1000); b++) {
    const count = seeds.map(() => 0);
    for (let i = 0; i < seeds.length; i++) count[randomInt(rng, seeds.length)]++;
    statistics(count).forEach((v, j) => Number.isFinite(v) && draws[j].push(v));
  }
  const tail = (1 - (options.confidence ?? 0.9)) / 2;
  const [
    lengthAlone,
    mpdRepeatMinusSequential,
    mpdSequentialMinusRandom,
    overlapRepeatMinusSequential,
    overlapSequentialMinusRandom,
  ] = draws.map((d, j) => {
    d.sort((a, b) => a - b);
    return { estimate: estimates[j], lower: quantile(d, tail), upper: quantile(d, 1 - tail) };
  });
  return {
    ...result,
    lengthAlone,
    mpdRepeatMinusSequential,
    mpdSequentialMinusRandom,
    overlapRepeatMinusSequential,
    overlapSequentialMinusRandom,
  };
}

/** Paired bootstrap (resampling the pairs) of mean(a) − mean(b) for per-seed values a[i], b[i] of the same seeds. */
export function pairedMeanDifference(
  a: readonly number[],
  b: readonly number[],
  options: Omit<InferenceOptions, "minTexts">,
): BootstrapInterval {
  const index = a.map((_, i) => i);
  const meanDiff = (ix: number[]) => ix.reduce((s, i) => s + a[i] - b[i], 0) / ix.length;
  return bootstrapCI(index, meanDiff, {
    resamples: options.resamples ?? 1000,
    confidence: options.confidence ?? 0.9,
    seed: options.seed,
  });
}

function centreWithin(values: number[], groups: string[]): number[] {
  const sums = new Map<string, [number, number]>();
  values.forEach((v, i) => {
    const s = sums.get(groups[i]) ?? [0, 0];
    sums.set(groups[i], [s[0] + v, s[1] + 1]);
  });
  return values.map((v, i) => v - sums.get(groups[i])![0] / sums.get(groups[i])![1]);
}
