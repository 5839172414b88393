import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { matrixFromRows, type Matrix } from "../matrix";
import { gaussian, seededRandom } from "../util/random";
import {
  anisotropy,
  cosineSimilarityMatrix,
  meanCosineToOthers,
  meanPairwiseCosineDistance,
  meanPairwiseEuclideanDistance,
  topKNeighbours,
} from "./geometry";

before(async () => {
  await tf.setBackend("wasm");
});

function gaussianMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = seededRandom(seed);
  return { rows, cols, data: Float32Array.from({ length: rows * cols }, () => gaussian(rng)) };
}

function identity(n: number): Matrix {
  return matrixFromRows(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))));
}

/** Brute-force references in float64, pair by pair. */
function pairwise(m: Matrix, measure: (a: number[], b: number[]) => number): number[][] {
  const rows = Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return rows.map((a) => rows.map((b) => measure(a, b)));
}
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const cosine = (a: number[], b: number[]) => {
  const norms = Math.sqrt(dot(a, a) * dot(b, b));
  return norms === 0 ? 0 : dot(a, b) / norms;
};
const euclidean = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));
function meanOverPairs(matrix: number[][]): number {
  let total = 0;
  for (let a = 0; a < matrix.length; a++) for (let b = a + 1; b < matrix.length; b++) total += matrix[a][b];
  return total / ((matrix.length * (matrix.length - 1)) / 2);
}

test("orthonormal rows: MPD 1, anisotropy 0", () => {
  const m = identity(6);
  assert.ok(Math.abs(meanPairwiseCosineDistance(m) - 1) < 1e-6);
  assert.ok(Math.abs(anisotropy(m)) < 1e-6);
  assert.deepEqual(
    meanCosineToOthers(m).map((v) => Math.abs(v) < 1e-6),
    Array(6).fill(true),
  );
  // every pair of standard basis vectors is sqrt(2) apart
  assert.ok(Math.abs(meanPairwiseEuclideanDistance(m) - Math.SQRT2) < 1e-5);
});

test("one repeated vector: MPD 0, anisotropy 1, Euclidean MPD 0", () => {
  const m = matrixFromRows(Array.from({ length: 5 }, () => [0.3, -1.2, 2.5]));
  assert.ok(Math.abs(meanPairwiseCosineDistance(m)) < 1e-6);
  assert.ok(Math.abs(anisotropy(m) - 1) < 1e-6);
  assert.equal(meanPairwiseEuclideanDistance(m), 0);
});

test("scale does not change cosine geometry", () => {
  const m = matrixFromRows([
    [1, 0],
    [0, 2],
    [3, 3],
  ]);
  // cosines: (1,0)-(0,2) = 0, (1,0)-(3,3) = 1/√2, (0,2)-(3,3) = 1/√2
  assert.ok(Math.abs(anisotropy(m) - Math.SQRT1_2 * (2 / 3)) < 1e-6);
});

test("zero rows have cosine 0 with everything", () => {
  const m = matrixFromRows([
    [1, 0],
    [1, 0],
    [0, 0],
  ]);
  const cos = cosineSimilarityMatrix(m);
  assert.deepEqual(Array.from(cos.data), [1, 1, 0, 1, 1, 0, 0, 0, 0]);
  // pairs: (0,1) cos 1, (0,2) 0, (1,2) 0
  assert.ok(Math.abs(anisotropy(m) - 1 / 3) < 1e-6);
  const toOthers = meanCosineToOthers(m);
  assert.ok(Math.abs(toOthers[0] - 0.5) < 1e-6 && Math.abs(toOthers[2]) < 1e-6);
});

test("isotropic Gaussian samples have anisotropy ≈ 0 within sampling error", () => {
  const rows = 400;
  const cols = 32;
  // pairwise cosines of isotropic directions have mean 0, variance 1/d and are uncorrelated across pairs
  const standardError = Math.sqrt(1 / cols / ((rows * (rows - 1)) / 2));
  const value = anisotropy(gaussianMatrix(rows, cols, 7));
  assert.ok(Math.abs(value) < 5 * standardError, `anisotropy ${value}, tolerance ${5 * standardError}`);
});

test("Euclidean MPD matches a hand check", () => {
  // a 3-4-5 right triangle: distances 3, 4, 5, mean 4
  const m = matrixFromRows([
    [0, 0],
    [3, 0],
    [0, 4],
  ]);
  assert.ok(Math.abs(meanPairwiseEuclideanDistance(m) - 4) < 1e-5);
  assert.ok(Math.abs(meanPairwiseEuclideanDistance(m, { blockRows: 1 }) - 4) < 1e-5);
});

test("blockwise results equal direct computation on a random 300×17 matrix (blockRows 7)", () => {
  const m = gaussianMatrix(300, 17, 11);
  // shift the cloud so cosines are far from 0 and the test is not trivially satisfied
  for (let i = 0; i < m.data.length; i += 17) m.data[i] += 2;
  const cosines = pairwise(m, cosine);
  const directAnisotropy = meanOverPairs(cosines);
  assert.ok(directAnisotropy > 0.1);
  assert.ok(Math.abs(anisotropy(m, { blockRows: 7 }) - directAnisotropy) < 1e-5);
  assert.ok(Math.abs(meanPairwiseCosineDistance(m, { blockRows: 7 }) - (1 - directAnisotropy)) < 1e-5);
  assert.ok(
    Math.abs(meanPairwiseEuclideanDistance(m, { blockRows: 7 }) - meanOverPairs(pairwise(m, euclidean))) < 1e-4,
  );

  const toOthers = meanCosineToOthers(m, { blockRows: 7 });
  cosines.forEach((row, i) => {
    const expected = (row.reduce((s, v) => s + v, 0) - row[i]) / (m.rows - 1);
    assert.ok(Math.abs(toOthers[i] - expected) < 1e-5);
  });

  const matrix = cosineSimilarityMatrix(m);
  assert.ok(Math.abs(matrix.data[5 * 300 + 9] - cosines[5][9]) < 1e-5);
});

test("topKNeighbours ranks by cosine, in blocks, with and without self", () => {
  const corpus = matrixFromRows([
    [1, 0],
    [0, 1],
    [1, 1],
    [-1, 0],
    [2, 0.1],
  ]);
  const queries = matrixFromRows([
    [1, 0.05],
    [0.1, -1],
  ]);
  const found = topKNeighbours(queries, corpus, 2, { blockRows: 1 });
  // (2, 0.1) points exactly along (1, 0.05); (0.1, −1) is closest to (1, 0), then (2, 0.1)
  assert.deepEqual(found.indices, [
    [4, 0],
    [0, 4],
  ]);
  assert.ok(Math.abs(found.scores[0][0] - 1) < 1e-6);
  assert.ok(Math.abs(found.scores[1][0] - 0.1 / Math.sqrt(1.01)) < 1e-6);

  const self = topKNeighbours(corpus, corpus, 1, { excludeSelf: true, blockRows: 2 });
  // (1,0) and (2,0.1) are each other's nearest; (0,1) is nearest to (1,1)
  assert.deepEqual(
    self.indices.map((r) => r[0]),
    [4, 2, 4, 1, 0],
  );
  assert.ok(Math.abs(self.scores[1][0] - Math.SQRT1_2) < 1e-6);
});

test("topKNeighbours agrees with brute force on random data", () => {
  const corpus = gaussianMatrix(120, 9, 3);
  const queries = gaussianMatrix(25, 9, 4);
  const found = topKNeighbours(queries, corpus, 5, { blockRows: 6 });
  const q = Array.from({ length: 25 }, (_, i) => Array.from(queries.data.subarray(i * 9, (i + 1) * 9)));
  const c = Array.from({ length: 120 }, (_, i) => Array.from(corpus.data.subarray(i * 9, (i + 1) * 9)));
  q.forEach((query, i) => {
    const expected = c
      .map((row, j) => ({ j, s: cosine(query, row) }))
      .sort((x, y) => y.s - x.s)
      .slice(0, 5);
    assert.deepEqual(
      found.indices[i],
      expected.map((e) => e.j),
    );
  });
});

test("no tensors are left behind", () => {
  const m = gaussianMatrix(40, 5, 5);
  const before = tf.memory().numTensors;
  anisotropy(m, { blockRows: 7 });
  meanCosineToOthers(m, { blockRows: 7 });
  meanPairwiseEuclideanDistance(m, { blockRows: 7 });
  cosineSimilarityMatrix(m);
  topKNeighbours(m, m, 3, { excludeSelf: true, blockRows: 7 });
  assert.equal(tf.memory().numTensors, before);
});

test("meanCosineToOthers with groups: leaves out the rows of a row's own group (brute force in float64)", () => {
  const m = gaussianMatrix(23, 9, 31);
  const groups = Array.from({ length: 23 }, (_, i) => `doc${i % 5 === 0 ? 0 : i % 4}`);
  const rows = Array.from({ length: 23 }, (_, i) => Array.from(m.data.subarray(i * 9, (i + 1) * 9)));
  const cos = (a: number[], b: number[]) =>
    a.reduce((s, v, j) => s + v * b[j], 0) / Math.hypot(...a) / Math.hypot(...b);
  const expected = rows.map((a, i) => {
    const others = rows.filter((_, j) => groups[j] !== groups[i]);
    return others.reduce((s, b) => s + cos(a, b), 0) / others.length;
  });
  meanCosineToOthers(m, { groups, blockRows: 7 }).forEach((v, i) =>
    assert.ok(Math.abs(v - expected[i]) < 1e-5, `row ${i}: ${v} vs ${expected[i]}`),
  );
  // one row per group: the ungrouped mean; one group for all: nothing to compare with
  const distinct = meanCosineToOthers(m, { groups: rows.map((_, i) => i) });
  meanCosineToOthers(m).forEach((v, i) => assert.ok(Math.abs(v - distinct[i]) < 1e-5));
  assert.ok(meanCosineToOthers(m, { groups: rows.map(() => "one") }).every(Number.isNaN));
  assert.throws(() => meanCosineToOthers(m, { groups: ["a"] }), /group labels/);
});

test("meanPairwiseCosineDistance with groups: only pairs of different groups count (brute force in float64)", () => {
  const rng = seededRandom(11);
  const rows = 9;
  const cols = 5;
  const data = Float32Array.from({ length: rows * cols }, () => rng() - 0.3);
  const m = { rows, cols, data };
  const groups = ["a", "a", "b", "c", "c", "c", "d", "b", "a"];
  const unit = Array.from({ length: rows }, (_, r) => {
    const v = Array.from(data.subarray(r * cols, (r + 1) * cols), Number);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  });
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < rows; a++)
    for (let b = a + 1; b < rows; b++) {
      if (groups[a] === groups[b]) continue;
      sum += 1 - unit[a].reduce((s, x, c) => s + x * unit[b][c], 0);
      pairs++;
    }
  assert.ok(Math.abs(meanPairwiseCosineDistance(m, { groups }) - sum / pairs) < 1e-6);
  // every row its own group: the plain MPD
  const distinct = Array.from({ length: rows }, (_, r) => r);
  assert.ok(Math.abs(meanPairwiseCosineDistance(m, { groups: distinct }) - meanPairwiseCosineDistance(m)) < 1e-6);
  // one group: no pair left
  assert.ok(Number.isNaN(meanPairwiseCosineDistance(m, { groups: Array(rows).fill("x") })));
});
