import { test } from "node:test";
import assert from "node:assert/strict";
import { matrixFromRows } from "../matrix";
import { gaussian, seededRandom } from "../util/random";
import { centreRows, injectCommonDirection, meanDirection, weightForAnisotropy } from "./common_direction";
import { anisotropy64, columnMeans64 } from "./vectors";
import { overlapAtK } from "./retrieval";

const close = (actual: number, expected: number, tolerance = 1e-6) =>
  assert.ok(Math.abs(actual - expected) < tolerance, `${actual} is not within ${tolerance} of ${expected}`);

function gaussianRows(rows: number, cols: number, seed: number, offset = 0) {
  const rng = seededRandom(seed);
  return matrixFromRows(
    Array.from({ length: rows }, () => Array.from({ length: cols }, (_, j) => gaussian(rng) + (j === 0 ? offset : 0))),
  );
}

test("centring removes the shared offset; meanDirection finds it", () => {
  const m = gaussianRows(200, 8, 2, 4);
  assert.ok(anisotropy64(m) > 0.6, `${anisotropy64(m)}`); // offset 4 against unit noise in 8 dimensions: about 16 / (16 + 8)
  const direction = meanDirection(m);
  assert.ok(direction[0] > 0.95, `direction ${Array.from(direction)}`);
  close(Math.hypot(...direction), 1, 1e-12);
  const centred = centreRows(m);
  assert.ok(Math.abs(anisotropy64(centred)) < 0.02, `${anisotropy64(centred)}`);
  Array.from(columnMeans64(centred)).forEach((v) => close(v, 0, 1e-5));
});

test("weightForAnisotropy reaches the target; injection leaves well-separated retrieval intact", () => {
  const candidates = gaussianRows(30, 32, 3);
  const queries = matrixFromRows(
    Array.from({ length: 30 }, (_, i) =>
      Array.from(candidates.data.subarray(i * 32, (i + 1) * 32), (v, j) => v + 0.3 * Math.sin(i + j)),
    ),
  );
  const direction = meanDirection(candidates);
  for (const target of [0.3, 0.6, 0.9]) {
    const weight = weightForAnisotropy(candidates, direction, target);
    close(anisotropy64(injectCommonDirection(candidates, direction, weight)), target, 1e-5);
  }
  assert.equal(weightForAnisotropy(candidates, direction, -0.5), 0);
  assert.throws(() => weightForAnisotropy(candidates, direction, 1), /below 1/);
  const before = overlapAtK(queries, candidates, 1);
  const weight = weightForAnisotropy(candidates, direction, 0.9);
  const after = overlapAtK(
    injectCommonDirection(queries, direction, weight),
    injectCommonDirection(candidates, direction, weight),
    1,
  );
  assert.equal(before, 1);
  assert.ok(after >= 0.9, `Overlap@1 after injecting anisotropy 0.9: ${after}`);
});
