import { test } from "node:test";
import assert from "node:assert/strict";
import { gaussian, seededRandom } from "../util/random";
import {
  averageRanks,
  bootstrapCI,
  mean,
  ols,
  partialCorrelation,
  pearson,
  quantile,
  spearman,
  spearmanPermutationPValue,
} from "./stats";
import { clusterResample, studentT975 } from "./stats";

const close = (actual: number, expected: number, tolerance = 1e-6) =>
  assert.ok(Math.abs(actual - expected) < tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test("pearson on a hand-computed example", () => {
  // x − 3 = (−2, −1, 0, 1, 2), y − 4 = (−2, 0, 1, 0, 1): Σdxdy = 6, Σdx² = 10, Σdy² = 6, r = 6/√60
  close(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]), 6 / Math.sqrt(60), 1e-12);
  close(pearson([1, 2, 3], [30, 20, 10]), -1, 1e-12);
  assert.ok(Number.isNaN(pearson([1, 2, 3], [5, 5, 5])));
});

test("spearman with ties uses average ranks", () => {
  // x = (10, 20, 20, 30, 40) → ranks (1, 2.5, 2.5, 4, 5); y = (1, 3, 2, 5, 4) → ranks (1, 3, 2, 5, 4)
  // rank deviations from 3: dx = (−2, −.5, −.5, 1, 2), dy = (−2, 0, −1, 2, 1)
  // Σdxdy = 4 + 0 + .5 + 2 + 2 = 8.5, Σdx² = 9.5, Σdy² = 10, ρ = 8.5/√95 = 0.872082
  assert.deepEqual(averageRanks([10, 20, 20, 30, 40]), [1, 2.5, 2.5, 4, 5]);
  assert.deepEqual(averageRanks([3, 1, 3, 3]), [3, 1, 3, 3]);
  assert.throws(() => averageRanks([1, NaN, 2]), /NaN/);
  close(spearman([10, 20, 20, 30, 40], [1, 3, 2, 5, 4]), 8.5 / Math.sqrt(95), 1e-12);
  // monotone but non-linear: Spearman 1, Pearson below 1
  const x = [1, 2, 3, 4, 5, 6];
  close(
    spearman(
      x,
      x.map((v) => Math.exp(v)),
    ),
    1,
    1e-12,
  );
  assert.ok(
    pearson(
      x,
      x.map((v) => Math.exp(v)),
    ) < 0.95,
  );
});

test("OLS recovers an exact linear relation", () => {
  const x1 = [1, 2, 3, 4, 5, 6, 7];
  const x2 = [2, 1, 4, 3, 6, 5, 9];
  const y = x1.map((v, i) => 2 + 3 * v - x2[i]);
  const fit = ols(y, [x1, x2]);
  close(fit.intercept, 2, 1e-9);
  close(fit.coefficients[0], 3, 1e-9);
  close(fit.coefficients[1], -1, 1e-9);
  close(fit.rSquared, 1, 1e-12);
  fit.residuals.forEach((r) => close(r, 0, 1e-9));
});

test("OLS standard errors, t and standardised coefficient match a hand computation", () => {
  // y = 2.2 + 0.6x; residuals (−.8, .6, 1, −.6, −.2), RSS = 2.4, σ² = 2.4/3 = 0.8, Sxx = 10
  // se(slope) = √(0.8/10), se(intercept) = √(0.8·(1/5 + 3²/10)), R² = 1 − 2.4/6 = 0.6
  const x = [1, 2, 3, 4, 5];
  const y = [2, 4, 5, 4, 5];
  const fit = ols(y, [x]);
  close(fit.intercept, 2.2, 1e-12);
  close(fit.coefficients[0], 0.6, 1e-12);
  close(fit.standardErrors[0], Math.sqrt(0.08), 1e-12);
  close(fit.tValues[0], 0.6 / Math.sqrt(0.08), 1e-9);
  close(fit.interceptStandardError, Math.sqrt(0.88), 1e-12);
  close(fit.rSquared, 0.6, 1e-12);
  close(fit.adjustedRSquared, 1 - (0.4 * 4) / 3, 1e-12);
  // with one predictor the standardised slope is Pearson's r
  close(fit.standardizedCoefficients[0], 6 / Math.sqrt(60), 1e-12);
  const standardized = ols(y, [x], { standardize: true });
  close(standardized.coefficients[0], 6 / Math.sqrt(60), 1e-12);
  close(standardized.intercept, 0, 1e-12);
});

test("OLS refuses collinear predictors", () => {
  assert.throws(
    () =>
      ols(
        [1, 2, 3, 4],
        [
          [1, 2, 3, 4],
          [2, 4, 6, 8],
        ],
      ),
    /collinear/,
  );
  assert.throws(() => ols([1, 2, 3, 4], [[1, 1, 1, 1]]), /collinear/);
});

test("partial correlation removes a common cause", () => {
  const rng = seededRandom(3);
  const n = 2000;
  const z = Array.from({ length: n }, () => gaussian(rng));
  const x = z.map((v) => 2 * v + 0.5 * gaussian(rng));
  const y = z.map((v) => -v + 0.5 * gaussian(rng));
  assert.ok(pearson(x, y) < -0.8);
  // independent noises: the partial correlation is 0 up to sampling error (sd ≈ 1/√n ≈ 0.022)
  assert.ok(Math.abs(partialCorrelation(x, y, [z])) < 0.1);
  // with one control it equals the textbook formula (r_xy − r_xz r_yz)/√((1 − r_xz²)(1 − r_yz²))
  const w = z.map((v) => v + gaussian(rng));
  const [rxy, rxw, ryw] = [pearson(x, y), pearson(x, w), pearson(y, w)];
  close(partialCorrelation(x, y, [w]), (rxy - rxw * ryw) / Math.sqrt((1 - rxw ** 2) * (1 - ryw ** 2)), 1e-9);
  close(partialCorrelation(x, y, []), rxy, 1e-15);
});

test("bootstrap CI is reproducible with a seed and contains the estimate", () => {
  const rng = seededRandom(5);
  const data = Array.from({ length: 200 }, () => 10 + 2 * gaussian(rng));
  const first = bootstrapCI(data, mean, { resamples: 500, seed: 42 });
  const second = bootstrapCI(data, mean, { resamples: 500, seed: 42 });
  assert.deepEqual(first, second);
  assert.notDeepEqual(bootstrapCI(data, mean, { resamples: 500, seed: 43 }), first);
  close(first.estimate, mean(data), 1e-12);
  assert.ok(first.lower < first.estimate && first.estimate < first.upper);
  // the standard error of a mean is sd/√n ≈ 2/√200 ≈ 0.141
  assert.ok(Math.abs(first.standardError - 2 / Math.sqrt(200)) < 0.03, `se ${first.standardError}`);
  assert.equal(first.resamples, 500);
});

test("bootstrap drops non-finite resamples and supports custom resampling", () => {
  // a correlation is NaN on resamples where a variable comes out constant
  const x = [1, 1, 1, 1, 2];
  const y = [1, 2, 3, 4, 5];
  const ci = bootstrapCI(
    [0, 1, 2, 3, 4],
    (ix) =>
      pearson(
        ix.map((i) => x[i]),
        ix.map((i) => y[i]),
      ),
    { resamples: 300, seed: 1 },
  );
  assert.ok(ci.resamples < 300 && ci.resamples > 0);
  const identity = bootstrapCI([1, 2, 3], mean, { resamples: 10, resample: (d) => d.slice() });
  assert.deepEqual([identity.lower, identity.upper, identity.standardError], [2, 2, 0]);
});

test("quantile interpolates between order statistics", () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([1, 2, 3, 4], 0), 1);
  assert.equal(quantile([1, 2, 3, 4], 1), 4);
  close(quantile([0, 10], 0.025), 0.25, 1e-12);
});

test("spearmanPermutationPValue enumerates all orderings of a few points", () => {
  // n = 5: a perfect ranking is 2 of 120 orderings (rho = ±1)
  const perfect = spearmanPermutationPValue([1, 2, 3, 4, 5], [10, 20, 30, 40, 50]);
  assert.equal(perfect.orderings, 120);
  close(perfect.rho, 1, 1e-12);
  close(perfect.pValue, 2 / 120, 1e-12);
  // one adjacent swap: rho = 0.9; |rho| ≥ 0.9 in the identity, its reverse and the 4 + 4 adjacent swaps
  const oneSwap = spearmanPermutationPValue([1, 2, 3, 4, 5], [1, 3, 2, 4, 5]);
  close(oneSwap.rho, 0.9, 1e-12);
  close(oneSwap.pValue, 10 / 120, 1e-12);
  assert.ok(Number.isNaN(spearmanPermutationPValue([1, 1, 1], [1, 2, 3]).pValue));
  assert.throws(
    () =>
      spearmanPermutationPValue(
        Array.from({ length: 10 }, (_, i) => i),
        Array.from({ length: 10 }, (_, i) => i),
      ),
    /too many/,
  );
});

test("clusterResample: whole clusters with replacement; with one item per cluster it draws what the default draws", () => {
  const data = [0, 1, 2, 3, 4, 5].map((i) => ({ cluster: Math.floor(i / 2), i }));
  const rng = seededRandom(3);
  for (let draw = 0; draw < 20; draw++) {
    const sample = clusterResample((d: (typeof data)[number]) => d.cluster)(data, rng);
    assert.equal(sample.length, 6);
    for (let j = 0; j < 6; j += 2) assert.equal(sample[j].cluster, sample[j + 1].cluster); // clusters stay whole
  }
  const singletons = [5, 1, 4, 2, 8];
  const byItem = bootstrapCI(singletons, mean, {
    resamples: 200,
    seed: 9,
    resample: clusterResample((x: number) => x),
  });
  assert.deepEqual(byItem, bootstrapCI(singletons, mean, { resamples: 200, seed: 9 }));
});

test("cluster bootstrap on clustered data: wider than the row bootstrap and about 95% coverage (seeded simulation)", (t) => {
  // 30 documents of 8 passages; value = document effect + passage noise (both sd 1), true mean 0
  const clusters = 30;
  const perCluster = 8;
  const simulations = 200;
  const rng = seededRandom(2603);
  let rowCovered = 0;
  let clusterCovered = 0;
  let rowWidth = 0;
  let clusterWidth = 0;
  for (let s = 0; s < simulations; s++) {
    const data: { document: number; value: number }[] = [];
    for (let c = 0; c < clusters; c++) {
      const effect = gaussian(rng);
      for (let j = 0; j < perCluster; j++) data.push({ document: c, value: effect + gaussian(rng) });
    }
    const statistic = (sample: typeof data) => mean(sample.map((d) => d.value));
    const byRow = bootstrapCI(data, statistic, { resamples: 200, seed: s });
    const byCluster = bootstrapCI(data, statistic, {
      resamples: 200,
      seed: s,
      resample: clusterResample((d) => d.document),
    });
    if (byRow.lower <= 0 && 0 <= byRow.upper) rowCovered++;
    if (byCluster.lower <= 0 && 0 <= byCluster.upper) clusterCovered++;
    rowWidth += (byRow.upper - byRow.lower) / simulations;
    clusterWidth += (byCluster.upper - byCluster.lower) / simulations;
  }
  const rowCoverage = rowCovered / simulations;
  const clusterCoverage = clusterCovered / simulations;
  t.diagnostic(
    `coverage: row ${rowCoverage.toFixed(3)}, cluster ${clusterCoverage.toFixed(3)}; mean width: row ${rowWidth.toFixed(3)}, cluster ${clusterWidth.toFixed(3)}`,
  );
  // design effect 1 + (8 − 1)·0.5 = 4.5: the honest interval is about √4.5 ≈ 2.1 times wider
  assert.ok(clusterWidth > 1.8 * rowWidth, `cluster width ${clusterWidth} vs row width ${rowWidth}`);
  assert.ok(clusterCoverage >= 0.9 && clusterCoverage <= 0.99, `cluster coverage ${clusterCoverage}`);
  assert.ok(rowCoverage < 0.8, `row coverage ${rowCoverage}`);
});

test("studentT975: the table and the expansion beyond it", () => {
  close(studentT975(1), 12.706, 1e-3);
  close(studentT975(4), 2.776, 1e-3);
  close(studentT975(31), 2.0395, 2e-4);
  close(studentT975(120), 1.9799, 2e-4);
  assert.throws(() => studentT975(0));
});
