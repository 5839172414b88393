import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { matrixFromRows, normalizeRows, type Matrix } from "../matrix";
import { gaussian, seededRandom } from "../util/random";
import { anisotropy, meanPairwiseCosineDistance, meanPairwiseEuclideanDistance } from "./geometry";
import {
  anisotropy64,
  columnMeans64,
  dot,
  meanCosineOfUnitSum,
  meanOfUnitRows,
  meanPairwiseCosineDistance64,
  meanPairwiseEuclideanDistance64,
  meanSquaredPairwiseDistance,
  spread,
  unitRowSum,
  unitRows64,
  unitVector64,
} from "./vectors";

before(async () => {
  await tf.setBackend("wasm");
});

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

function gaussianRows(rows: number, cols: number, seed: number, offset = 0): Matrix {
  const rng = seededRandom(seed);
  return matrixFromRows(
    Array.from({ length: rows }, () => Array.from({ length: cols }, (_, j) => gaussian(rng) + (j === 0 ? offset : 0))),
  );
}

test("dot, unitVector64 and unitRows64: zero rows stay zero", () => {
  assert.equal(dot([1, 2, 3], [4, 5, 6]), 32);
  assert.deepEqual(Array.from(unitVector64([3, 4])), [0.6, 0.8]);
  assert.deepEqual(Array.from(unitVector64([0, 0])), [0, 0]);
  const units = unitRows64(
    matrixFromRows([
      [0, 2],
      [0, 0],
    ]),
  );
  assert.deepEqual(
    units.map((u) => Array.from(u)),
    [
      [0, 1],
      [0, 0],
    ],
  );
});

test("meanOfUnitRows scales each row to unit length before averaging; columnMeans64 does not", () => {
  const m = matrixFromRows([
    [3, 0],
    [0, 2],
  ]);
  assert.deepEqual(Array.from(meanOfUnitRows(m)), [0.5, 0.5]);
  assert.deepEqual(Array.from(columnMeans64(m)), [1.5, 1]);
});

test("anisotropy64 is geometry's anisotropy in float64; known values; MPD = 1 − anisotropy", () => {
  const m = gaussianRows(40, 16, 1, 1.5);
  close(anisotropy64(m), anisotropy(m), 1e-5);
  // three unit vectors at 120°: every pair has cosine −1/2
  const s = Math.sqrt(3) / 2;
  close(
    anisotropy64(
      matrixFromRows([
        [1, 0],
        [-0.5, s],
        [-0.5, -s],
      ]),
    ),
    -0.5,
    1e-15,
  );
  assert.ok(Number.isNaN(anisotropy64(matrixFromRows([[1, 0]]))));
  close(meanPairwiseCosineDistance64(unitRows64(m)), 1 - anisotropy64(m), 1e-14);
  // a zero row has cosine 0 with everything
  close(
    anisotropy64(
      matrixFromRows([
        [1, 0],
        [1, 0],
        [0, 0],
      ]),
    ),
    1 / 3,
    1e-15,
  );
});

test("meanCosineOfUnitSum: ‖Σ û‖² − Σ‖û‖² is the sum of the off-diagonal cosines", () => {
  const m = gaussianRows(9, 5, 2, 0.5);
  const { sum, selfSimilarity } = unitRowSum(m);
  const units = unitRows64(m);
  let pairs = 0;
  for (let a = 0; a < units.length; a++) for (let b = a + 1; b < units.length; b++) pairs += dot(units[a], units[b]);
  close(meanCosineOfUnitSum(sum, selfSimilarity, m.rows), pairs / 36, 1e-14);
  close(selfSimilarity, 9, 1e-14);
});

test("MPDs and spread on orthonormal vectors: cosine 1, Euclidean √2, spread 1 − 1/n", () => {
  const rows = unitRows64(
    matrixFromRows([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]),
  );
  close(meanPairwiseCosineDistance64(rows), 1);
  close(meanPairwiseEuclideanDistance64(rows), Math.SQRT2);
  close(meanSquaredPairwiseDistance(rows), 2);
  close(spread(rows), 2 / 3);
  assert.ok(Number.isNaN(meanPairwiseCosineDistance64(rows.slice(0, 1))));
});

test("float64 MPDs agree with the lab's tfjs geometry (float32) on 200 × 32 vectors", () => {
  const rng = seededRandom(4);
  const m: Matrix = matrixFromRows(
    Array.from({ length: 200 }, () => Array.from({ length: 32 }, (_, j) => gaussian(rng) + (j < 2 ? 1 : 0))),
  );
  const rows = unitRows64(m);
  close(meanPairwiseCosineDistance64(rows), meanPairwiseCosineDistance(m), 1e-5);
  close(meanPairwiseEuclideanDistance64(rows), meanPairwiseEuclideanDistance(normalizeRows(m)), 1e-4);
  const raw = Array.from({ length: 200 }, (_, i) => Float64Array.from(m.data.subarray(i * 32, (i + 1) * 32)));
  close(meanPairwiseEuclideanDistance64(raw), meanPairwiseEuclideanDistance(m), 1e-3);
});
