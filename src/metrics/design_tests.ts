/**
 * Inference at the level an effect varies, for designs where many texts share one unit (a cell, a seed):
 * - stratifiedPermutationTest: a one-sided permutation test of "y rises with x" across the units of each stratum (e.g. the three
 *   construction cells of one k), permuting y only within strata, so the number of independent units is the number of cells, not
 *   of texts;
 * - pairMeanWithMultiplicity: the mean of a pairwise statistic (a U-statistic such as MPD) over a resample of units, pairs of a
 *   unit with its own copy left out (they would be pairs of identical texts).
 * Plain float64 JavaScript.
 */
import { seededRandom, shuffle } from "../util/random";
import { permutations, spearman } from "./stats";

export interface PermutationTest {
  /** sum over strata of Spearman(x, y) within the stratum */
  statistic: number;
  /** one-sided: the share of within-stratum permutations of y whose statistic is ≥ the observed one */
  pValue: number;
  /** the smallest p-value this design can give (1 / number of distinct permutations), so a reader sees what "significant" needs */
  smallestPossiblePValue: number;
  strata: number;
  units: number;
  exact: boolean;
}

/**
 * One-sided stratified permutation test: under the null, the y values of a stratum's units are exchangeable whatever their x.
 * Exact (all permutations) when there are at most maxExact of them, else Monte Carlo with `resamples` draws and p = (1 + hits) /
 * (1 + draws). Strata with fewer than 2 units are dropped. NaN p-value when no stratum is left.
 */
export function stratifiedPermutationTest(
  strata: readonly { x: readonly number[]; y: readonly number[] }[],
  options: { seed?: number; resamples?: number; maxExact?: number } = {},
): PermutationTest {
  const used = strata.filter((s) => s.x.length >= 2 && s.x.length === s.y.length);
  const statisticOf = (ys: readonly (readonly number[])[]) =>
    used.reduce((sum, s, i) => sum + (spearman(s.x, ys[i]) || 0), 0);
  const observed = statisticOf(used.map((s) => s.y));
  const units = used.reduce((n, s) => n + s.x.length, 0);
  const total = used.reduce((n, s) => n * factorial(s.x.length), 1);
  if (used.length === 0)
    return { statistic: NaN, pValue: NaN, smallestPossiblePValue: NaN, strata: 0, units: 0, exact: true };
  const atLeast = (value: number) => value >= observed - 1e-9;
  if (total <= (options.maxExact ?? 50_000)) {
    let hits = 0;
    const orderings = used.map((s) => [...permutations(s.y.slice())]);
    const index = used.map(() => 0);
    for (let n = 0; n < total; n++) {
      if (atLeast(statisticOf(orderings.map((o, i) => o[index[i]])))) hits++;
      for (let i = 0; i < index.length && ++index[i] === orderings[i].length; i++) index[i] = 0;
    }
    return {
      statistic: observed,
      pValue: hits / total,
      smallestPossiblePValue: 1 / total,
      strata: used.length,
      units,
      exact: true,
    };
  }
  const rng = seededRandom(options.seed ?? 0);
  const draws = options.resamples ?? 10_000;
  let hits = 0;
  for (let b = 0; b < draws; b++) if (atLeast(statisticOf(used.map((s) => shuffle(s.y, rng))))) hits++;
  return {
    statistic: observed,
    pValue: (1 + hits) / (1 + draws),
    smallestPossiblePValue: 1 / (1 + draws),
    strata: used.length,
    units,
    exact: false,
  };
}

/**
 * Mean of value(i, j) over the pairs of a resample of units given as multiplicities (count[i] copies of unit i): Σ_{i<j}
 * count_i count_j value(i, j) / Σ_{i<j} count_i count_j. Pairs of a unit with its own copies are left out.
 */
export function pairMeanWithMultiplicity(values: readonly Float64Array[], count: readonly number[]): number {
  let total = 0;
  let weight = 0;
  for (let i = 0; i < count.length; i++) {
    if (count[i] === 0) continue;
    for (let j = i + 1; j < count.length; j++) {
      const w = count[i] * count[j];
      total += w * values[i][j];
      weight += w;
    }
  }
  return weight > 0 ? total / weight : NaN;
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}
