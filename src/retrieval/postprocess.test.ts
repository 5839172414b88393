import { test } from "node:test";
import assert from "node:assert/strict";
import { columnMeans } from "../metrics/geometry";
import { matrixFromRows, toArrays, type Matrix } from "../matrix";
import { seededRandom } from "../util/random";
import { fitPostprocess, parsePostprocess } from "./postprocess";

function randomCorpus(rows: number, seed: number): Matrix {
  const random = seededRandom(seed);
  // correlated columns with very different scales, plus a shared offset (a "common direction")
  return matrixFromRows(
    Array.from({ length: rows }, () => {
      const a = random() - 0.5;
      const b = random() - 0.5;
      const c = random() - 0.5;
      const e = random() - 0.5;
      return [5 + 10 * a, 5 + 10 * a + b, 5 + 0.1 * c, 5 + b - c + 0.5 * e];
    }),
  );
}

function covariance(m: Matrix): number[][] {
  const mean = columnMeans(m);
  const rows = toArrays(m);
  return Array.from({ length: m.cols }, (_, i) =>
    Array.from(
      { length: m.cols },
      (_, j) => rows.reduce((s, r) => s + (r[i] - mean[i]) * (r[j] - mean[j]), 0) / (m.rows - 1),
    ),
  );
}

test("parsePostprocess: the four forms, and errors naming the flag", () => {
  assert.deepEqual(parsePostprocess("remove-top:3"), { kind: "remove-top", directions: 3 });
  assert.deepEqual(parsePostprocess("whiten"), { kind: "whiten" });
  assert.throws(() => parsePostprocess("remove-top:0"), /--postprocess must be/);
  assert.throws(() => parsePostprocess("pca"), /--postprocess must be/);
});

test("center: subtracts the corpus mean from corpus and queries", () => {
  const corpus = matrixFromRows([
    [1, 2],
    [3, 6],
  ]);
  const fitted = fitPostprocess(corpus, { kind: "center" });
  assert.deepEqual(toArrays(fitted.apply(corpus)), [
    [-1, -2],
    [1, 2],
  ]);
  assert.deepEqual(toArrays(fitted.apply(matrixFromRows([[2, 4]]))), [[0, 0]]);
});

test("whiten: the whitened corpus has zero mean and identity covariance", () => {
  const corpus = randomCorpus(400, 7);
  const white = fitPostprocess(corpus, { kind: "whiten" }).apply(corpus);
  columnMeans(white).forEach((m) => assert.ok(Math.abs(m) < 1e-4, `mean ${m}`));
  covariance(white).forEach((row, i) =>
    row.forEach((v, j) => assert.ok(Math.abs(v - (i === j ? 1 : 0)) < 1e-3, `cov[${i}][${j}] = ${v}`)),
  );
});

test("remove-top:1 removes the leading principal direction: the result has no variance along it, the rest unchanged", () => {
  // points spread along (1, 1)/√2 (large) and (1, −1)/√2 (small) around (10, 10)
  const corpus = matrixFromRows([
    [13, 13],
    [7, 7],
    [10.5, 9.5],
    [9.5, 10.5],
  ]);
  const out = toArrays(fitPostprocess(corpus, { kind: "remove-top", directions: 1 }).apply(corpus));
  const expected = [
    [0, 0],
    [0, 0],
    [0.5, -0.5],
    [-0.5, 0.5],
  ];
  out.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - expected[i][j]) < 1e-5, `${i},${j}: ${v}`)));
  assert.throws(() => fitPostprocess(corpus, { kind: "remove-top", directions: 2 }), /only 2 dimensions/);
});
