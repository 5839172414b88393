/**
 * The statistics the experiments report: correlations (Pearson, Spearman, partial), ordinary least squares, seeded
 * percentile bootstrap intervals and an exact permutation test of Spearman's rho for a handful of points. Plain float64
 * JavaScript: inputs are one number per text, not matrices.
 */
import { randomInt, seededRandom, type Random } from "../util/random";
import { dot } from "./vectors";

export function mean(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total / values.length;
}

/** Sample standard deviation (n − 1 in the denominator). */
export function standardDeviation(values: readonly number[]): number {
  const centre = mean(values);
  let total = 0;
  for (const v of values) total += (v - centre) ** 2;
  return Math.sqrt(total / (values.length - 1));
}

/** Pearson correlation; NaN when either variable is constant or there are fewer than 2 pairs. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  checkSameLength(x, y, "pearson");
  if (x.length < 2) return NaN;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** Ranks starting at 1; tied values share the average of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const missing = values.findIndex((v) => Number.isNaN(v));
  if (missing >= 0) throw new Error(`averageRanks: NaN at index ${missing} cannot be ranked`);
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const shared = (start + 1 + end) / 2; // mean of ranks start+1 … end
    for (let i = start; i < end; i++) ranks[order[i]] = shared;
    start = end;
  }
  return ranks;
}

/** Spearman rank correlation: Pearson on average ranks (the tie-correct form). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  checkSameLength(x, y, "spearman");
  return pearson(averageRanks(x), averageRanks(y));
}

export interface OlsOptions {
  /** z-score y and every predictor first, so coefficients are in standard deviations (default false) */
  standardize?: boolean;
}

export interface OlsFit {
  n: number;
  intercept: number;
  interceptStandardError: number;
  /** one per predictor, in the order given */
  coefficients: number[];
  standardErrors: number[];
  tValues: number[];
  /** coefficient × sd(predictor) / sd(y): change in y, in its sds, per sd of the predictor */
  standardizedCoefficients: number[];
  rSquared: number;
  adjustedRSquared: number;
  /** √(RSS / (n − p − 1)) */
  residualStandardError: number;
  fitted: number[];
  residuals: number[];
}

/**
 * Ordinary least squares of y on the predictors, with an intercept. `predictors` holds one array per variable
 * (each as long as y), e.g. ols(shift, [length, layer]). Throws when predictors are collinear or constant.
 * With no residual degrees of freedom (n = p + 1) the standard errors are NaN.
 */
export function ols(
  y: readonly number[],
  predictors: readonly (readonly number[])[],
  options: OlsOptions = {},
): OlsFit {
  const n = y.length;
  const p = predictors.length;
  predictors.forEach((x, j) => {
    if (x.length !== n) throw new Error(`ols: predictor ${j} has ${x.length} values, y has ${n}`);
  });
  if (n < p + 1) throw new Error(`ols: ${n} observations cannot fit ${p} predictors and an intercept`);
  const target = options.standardize ? zScores(y) : y.slice();
  const columns = predictors.map((x) => (options.standardize ? zScores(x) : x.slice()));

  // centring removes the intercept from the normal equations: (XcᵀXc) β = Xcᵀ yc
  const columnMeans = columns.map(mean);
  const yMean = mean(target);
  const centred = columns.map((x, j) => x.map((v) => v - columnMeans[j]));
  const yCentred = target.map((v) => v - yMean);
  const crossProducts = centred.map((a) => centred.map((b) => dot(a, b)));
  const crossWithY = centred.map((x) => dot(x, yCentred));
  const inverse = invertSymmetricPositiveDefinite(crossProducts);
  const coefficients = inverse.map((row) => dot(row, crossWithY));
  const intercept = yMean - coefficients.reduce((s, b, j) => s + b * columnMeans[j], 0);

  const fitted = target.map((_, i) => intercept + coefficients.reduce((s, b, j) => s + b * columns[j][i], 0));
  const residuals = target.map((v, i) => v - fitted[i]);
  const residualSumOfSquares = dot(residuals, residuals);
  const totalSumOfSquares = dot(yCentred, yCentred);
  const degreesOfFreedom = n - p - 1;
  const residualVariance = degreesOfFreedom > 0 ? residualSumOfSquares / degreesOfFreedom : NaN;
  const standardErrors = coefficients.map((_, j) => Math.sqrt(residualVariance * inverse[j][j]));
  const meanQuadratic = columnMeans.reduce(
    (s, mj, j) => s + mj * columnMeans.reduce((t, mk, k) => t + inverse[j][k] * mk, 0),
    0,
  );
  const sdY = standardDeviation(target);
  const rSquared = 1 - residualSumOfSquares / totalSumOfSquares;

  return {
    n,
    intercept,
    interceptStandardError: Math.sqrt(residualVariance * (1 / n + meanQuadratic)),
    coefficients,
    standardErrors,
    tValues: coefficients.map((b, j) => b / standardErrors[j]),
    standardizedCoefficients: coefficients.map((b, j) => (b * standardDeviation(columns[j])) / sdY),
    rSquared,
    adjustedRSquared: degreesOfFreedom > 0 ? 1 - ((1 - rSquared) * (n - 1)) / degreesOfFreedom : NaN,
    residualStandardError: Math.sqrt(residualVariance),
    fitted,
    residuals,
  };
}

/**
 * Correlation of x and y once the controls (one array per control variable) are regressed out of both by OLS:
 * Pearson on the two residual series. With no controls this is Pearson.
 */
export function partialCorrelation(
  x: readonly number[],
  y: readonly number[],
  controls: readonly (readonly number[])[],
): number {
  checkSameLength(x, y, "partialCorrelation");
  if (controls.length === 0) return pearson(x, y);
  return pearson(ols(x, controls).residuals, ols(y, controls).residuals);
}

export interface BootstrapOptions<T> {
  /** default 1000 */
  resamples?: number;
  /** default 0.95 */
  confidence?: number;
  /** default 0; the same seed gives the same interval */
  seed?: number;
  /** how to draw one resample (default: n items with replacement); e.g. resample whole documents instead of sentences */
  resample?: (data: readonly T[], rng: Random) => T[];
}

export interface BootstrapInterval {
  /** the statistic on the data as given */
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
  /** standard deviation of the resampled statistics */
  standardError: number;
  /** resamples whose statistic was finite (the rest, e.g. a correlation of a constant resample, are dropped) */
  resamples: number;
}

/**
 * Percentile bootstrap confidence interval of statistic(data). For paired data, resample rows: pass the indices
 * and let the statistic look them up, e.g. bootstrapCI(indices, (ix) => pearson(ix.map((i) => x[i]), ix.map((i) => y[i]))).
 */
export function bootstrapCI<T>(
  data: readonly T[],
  statistic: (sample: T[]) => number,
  options: BootstrapOptions<T> = {},
): BootstrapInterval {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1))
    throw new Error(`bootstrapCI: confidence must be in (0, 1), got ${confidence}`);
  const rng = seededRandom(options.seed ?? 0);
  const draw =
    options.resample ?? ((items: readonly T[], r: Random) => items.map(() => items[randomInt(r, items.length)]));
  const values: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const value = statistic(draw(data, rng));
    if (Number.isFinite(value)) values.push(value);
  }
  values.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return {
    estimate: statistic(data.slice()),
    lower: quantile(values, tail),
    upper: quantile(values, 1 - tail),
    confidence,
    standardError: values.length > 1 ? standardDeviation(values) : NaN,
    resamples: values.length,
  };
}

/**
 * A `resample` for bootstrapCI that draws whole clusters: as many clusters as there are, with replacement, each bringing all
 * its items. Why: passages of one document are not independent, and resampling them one by one understates the spread of a
 * statistic (the interval is too narrow). With one item per cluster this draws exactly what the default resample draws.
 */
export function clusterResample<T>(clusterOf: (item: T) => string | number): (data: readonly T[], rng: Random) => T[] {
  // bootstrapCI passes the same data array on every draw: group it once
  const grouped = new WeakMap<readonly T[], T[][]>();
  const groupsOf = (data: readonly T[]) => {
    const clusters = new Map<string | number, T[]>();
    for (const item of data) {
      const key = clusterOf(item);
      const members = clusters.get(key);
      if (members) members.push(item);
      else clusters.set(key, [item]);
    }
    return [...clusters.values()];
  };
  return (data, rng) => {
    let groups = grouped.get(data);
    if (!groups) grouped.set(data, (groups = groupsOf(data)));
    const sample: T[] = [];
    for (let c = 0; c < groups.length; c++) sample.push(...groups[randomInt(rng, groups.length)]);
    return sample;
  };
}

const STUDENT_T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The 97.5% quantile of Student's t with df degrees of freedom (a table to df 30, then the Cornish–Fisher expansion in 1/df, within 1e-4). */
export function studentT975(df: number): number {
  if (!(df >= 1)) throw new Error(`studentT975: df must be at least 1, got ${df}`);
  return df <= 30 ? STUDENT_T_975[Math.floor(df) - 1] : 1.959964 + 2.3723 / df + 2.8227 / (df * df);
}

/** Quantile of sorted values by linear interpolation between order statistics (R's type 7, numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

/**
 * Two-sided exact permutation p-value of Spearman's rho for a handful of points: the share of all n! orderings of y whose
 * |rho| is at least the observed one. Why: with 5 corpora there are 120 orderings, and an asymptotic test means nothing.
 * Ties are handled by average ranks. Limited to n ≤ 9 (362,880 orderings).
 */
export function spearmanPermutationPValue(
  x: readonly number[],
  y: readonly number[],
): { rho: number; pValue: number; orderings: number } {
  if (x.length !== y.length) throw new Error(`spearmanPermutationPValue: lengths differ (${x.length} vs ${y.length})`);
  if (x.length > 9)
    throw new Error(`spearmanPermutationPValue: ${x.length} points are too many to enumerate (at most 9)`);
  const rho = spearman(x, y);
  if (Number.isNaN(rho)) return { rho, pValue: NaN, orderings: 0 };
  let atLeastAsExtreme = 0;
  let orderings = 0;
  for (const permuted of permutations(y.slice())) {
    orderings++;
    // a little slack so that orderings tied with the observed |rho| count despite rounding
    if (Math.abs(spearman(x, permuted)) >= Math.abs(rho) - 1e-12) atLeastAsExtreme++;
  }
  return { rho, pValue: atLeastAsExtreme / orderings, orderings };
}

/** Every ordering of the items (Heap-style swaps, in place; each yielded array is a copy). */
export function* permutations<T>(items: T[], start = 0): Generator<T[]> {
  if (start >= items.length - 1) {
    yield items.slice();
    return;
  }
  for (let i = start; i < items.length; i++) {
    [items[start], items[i]] = [items[i], items[start]];
    yield* permutations(items, start + 1);
    [items[start], items[i]] = [items[i], items[start]];
  }
}

function zScores(values: readonly number[]): number[] {
  const centre = mean(values);
  const spread = standardDeviation(values);
  if (!(spread > 0)) throw new Error("ols: cannot standardize a constant variable");
  return values.map((v) => (v - centre) / spread);
}

/**
 * Inverse of a small symmetric positive definite matrix by Cholesky factorisation. The matrix is first scaled to
 * unit diagonal, so predictors on very different scales do not look singular.
 */
function invertSymmetricPositiveDefinite(matrix: number[][]): number[][] {
  const p = matrix.length;
  const scale = matrix.map((row, i) => 1 / Math.sqrt(row[i]));
  const a = matrix.map((row, i) => row.map((v, j) => v * scale[i] * scale[j]));
  // lower-triangular L with a = L Lᵀ
  const lower = a.map(() => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    let diagonal = a[j][j];
    for (let k = 0; k < j; k++) diagonal -= lower[j][k] ** 2;
    if (!(diagonal > 1e-12)) throw new Error("ols: predictors are collinear (or one is constant)");
    lower[j][j] = Math.sqrt(diagonal);
    for (let i = j + 1; i < p; i++) {
      let value = a[i][j];
      for (let k = 0; k < j; k++) value -= lower[i][k] * lower[j][k];
      lower[i][j] = value / lower[j][j];
    }
  }
  // columns of L⁻¹ by forward substitution, then a⁻¹ = L⁻ᵀ L⁻¹
  const lowerInverse = lower.map(() => new Array<number>(p).fill(0));
  for (let c = 0; c < p; c++) {
    for (let i = c; i < p; i++) {
      let value = i === c ? 1 : 0;
      for (let k = c; k < i; k++) value -= lower[i][k] * lowerInverse[k][c];
      lowerInverse[i][c] = value / lower[i][i];
    }
  }
  return matrix.map((_, i) =>
    matrix.map((__, j) => {
      let total = 0;
      for (let k = Math.max(i, j); k < p; k++) total += lowerInverse[k][i] * lowerInverse[k][j];
      return total * scale[i] * scale[j];
    }),
  );
}

function checkSameLength(x: readonly number[], y: readonly number[], name: string): void {
  if (x.length !== y.length) throw new Error(`${name}: lengths differ (${x.length} vs ${y.length})`);
}
