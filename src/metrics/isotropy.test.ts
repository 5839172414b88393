import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { matrixFromRows, type Matrix } from "../matrix";
import { gaussian, seededRandom } from "../util/random";
import { effectiveRank, explainedVarianceSpectrum, isoScore, isoScoreFromVariances } from "./isotropy";

before(async () => {
  await tf.setBackend("wasm");
});

function gaussianRows(rows: number, cols: number, seed: number): number[][] {
  const rng = seededRandom(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => gaussian(rng)));
}

/** Rows a_i · v with random a_i (plus an offset so the raw matrix is rank one too). */
function rankOneMatrix(rows: number, cols: number): Matrix {
  const rng = seededRandom(2);
  const direction = Array.from({ length: cols }, () => gaussian(rng));
  return matrixFromRows(
    Array.from({ length: rows }, () => {
      const a = 1 + gaussian(rng);
      return direction.map((v) => a * v);
    }),
  );
}

function orthonormalRows(rows: number, cols: number): Matrix {
  const basis: number[][] = [];
  for (const candidate of gaussianRows(rows, cols, 9)) {
    let v = candidate;
    for (const b of basis) {
      const projection = v.reduce((s, x, i) => s + x * b[i], 0);
      v = v.map((x, i) => x - projection * b[i]);
    }
    const norm = Math.hypot(...v);
    basis.push(v.map((x) => x / norm));
  }
  return matrixFromRows(basis);
}

test("IsoScore formula: k equal variances out of n score (k − 1)/(n − 1)", () => {
  assert.ok(Math.abs(isoScoreFromVariances([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]) - 3 / 9) < 1e-12);
  assert.ok(Math.abs(isoScoreFromVariances([2, 2, 2, 2, 2]) - 1) < 1e-12);
  assert.ok(Math.abs(isoScoreFromVariances([5, 0, 0, 0])) < 1e-12);
  // hand computation for variances (4, 1): λ̂ = √2(4, 1)/√17, δ² = ‖λ̂ − 1‖²/(2(2 − √2)) = 0.48655,
  // k = (2 − δ²(2 − √2))²/2 = 25/17, ι = k − 1 = 8/17
  assert.ok(Math.abs(isoScoreFromVariances([4, 1]) - 8 / 17) < 1e-12);
  assert.ok(Number.isNaN(isoScoreFromVariances([0, 0, 0])));
});

test("isotropic Gaussian data has IsoScore close to 1", () => {
  // 2000 samples in 10 dimensions: sample variances wobble by about ±√(10/2000), costing well under 0.05
  const score = isoScore(matrixFromRows(gaussianRows(2000, 10, 1)), { blockRows: 300 });
  assert.ok(score > 0.97 && score <= 1, `IsoScore ${score}`);
});

test("rank-one data: IsoScore ≈ 0 and effective rank ≈ 1", () => {
  const m = rankOneMatrix(500, 16);
  assert.ok(Math.abs(isoScore(m)) < 1e-4, `IsoScore ${isoScore(m)}`);
  assert.ok(Math.abs(effectiveRank(m) - 1) < 1e-3, `effective rank ${effectiveRank(m)}`);
  assert.ok(Math.abs(effectiveRank(m, { center: true }) - 1) < 1e-3);
});

test("orthonormal rows have effective rank n", () => {
  assert.ok(Math.abs(effectiveRank(orthonormalRows(5, 12), { blockRows: 2 }) - 5) < 1e-4);
});

test("effective rank matches a hand computation", () => {
  // singular values 3 and 1: p = (3/4, 1/4), H = −(¾ ln ¾ + ¼ ln ¼) = 0.562335, exp(H) = 1.754765
  const m = matrixFromRows([
    [3, 0],
    [0, 1],
  ]);
  assert.ok(Math.abs(effectiveRank(m) - 1.754765) < 1e-5);
  // rotating the rows does not change singular values
  const c = Math.cos(0.7);
  const s = Math.sin(0.7);
  const rotated = matrixFromRows([
    [3 * c, 3 * s],
    [-s, c],
  ]);
  assert.ok(Math.abs(effectiveRank(rotated) - 1.754765) < 1e-5);
});

test("explained variance spectrum: known fractions, sums to 1", () => {
  // points (±2, 0), (0, ±1): covariance diag(8, 2)/3, fractions 0.8 and 0.2
  const spectrum = explainedVarianceSpectrum(
    matrixFromRows([
      [2, 0],
      [-2, 0],
      [0, 1],
      [0, -1],
    ]),
  );
  assert.ok(Math.abs(spectrum[0] - 0.8) < 1e-9 && Math.abs(spectrum[1] - 0.2) < 1e-9);

  const random = explainedVarianceSpectrum(matrixFromRows(gaussianRows(200, 12, 4)), { blockRows: 50 });
  assert.equal(random.length, 12);
  assert.ok(Math.abs(random.reduce((s, v) => s + v, 0) - 1) < 1e-9);
  assert.ok(random.every((v, i) => i === 0 || v <= random[i - 1]));
  // a different block size only changes rounding
  const leading = explainedVarianceSpectrum(matrixFromRows(gaussianRows(200, 12, 4)), { components: 3 });
  assert.equal(leading.length, 3);
  leading.forEach((v, i) => assert.ok(Math.abs(v - random[i]) < 1e-6));
});

test("no tensors are left behind", () => {
  const m = matrixFromRows(gaussianRows(30, 4, 3));
  const before = tf.memory().numTensors;
  isoScore(m, { blockRows: 7 });
  effectiveRank(m, { blockRows: 7, center: true });
  explainedVarianceSpectrum(m, { blockRows: 7 });
  assert.equal(tf.memory().numTensors, before);
});
