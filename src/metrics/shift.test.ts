import { test } from "node:test";
import assert from "node:assert/strict";
import { matrixFromRows, selectRows, type Matrix } from "../matrix";
import { gaussian, seededRandom } from "../util/random";
import {
  dispersion,
  localShift,
  localShiftPerTransition,
  meanDistanceToPooled,
  semanticShift,
  theorem1Prediction,
  windowedShift,
} from "./shift";
import { meanOfUnitRows } from "./vectors";

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) < tolerance, `${actual} is not within ${tolerance} of ${expected}`);

function randomSentences(k: number, cols: number, seed: number, offset = 0): Matrix {
  const rng = seededRandom(seed);
  return matrixFromRows(
    Array.from({ length: k }, () => Array.from({ length: cols }, (_, j) => gaussian(rng) + (j === 0 ? offset : 0))),
  );
}

test("Theorem 1 holds for mean pooling of random unit vectors, k = 2 … 64", () => {
  for (let k = 2; k <= 64; k++) {
    // alternate isotropic and clustered sentence sets so C_pair ranges from ≈ 1 down to ≈ 0.1
    const m = randomSentences(k, 24, k, k % 2 === 0 ? 0 : 3 + k / 8);
    const cPair = dispersion(m);
    const pooled = meanOfUnitRows(m);
    close(meanDistanceToPooled(m, pooled), theorem1Prediction(cPair, k), 1e-10);
    // cosine ignores scale, so sum pooling satisfies it too
    close(
      meanDistanceToPooled(
        m,
        pooled.map((v) => v * k),
      ),
      theorem1Prediction(cPair, k),
      1e-10,
    );
  }
});

test("Theorem 1 is specific to mean pooling: the first sentence as 'pooled' breaks it", () => {
  const m = randomSentences(8, 24, 99);
  const first = Array.from(m.data.subarray(0, 24));
  assert.ok(Math.abs(meanDistanceToPooled(m, first) - theorem1Prediction(dispersion(m), 8)) > 0.05);
});

test("theorem1Prediction known values", () => {
  // two orthogonal unit vectors: C_pair = 1, μ = (½, ½), ‖μ‖ = 1/√2
  close(theorem1Prediction(1, 2), 1 - Math.SQRT1_2, 1e-15);
  close(theorem1Prediction(0, 10), 0, 1e-15);
  // ±e1, ±e2 cancel to μ = 0: C_pair = (2 + 2 + 4·1)/6 = 4/3 makes the radicand 0
  close(theorem1Prediction(4 / 3, 4), 1, 1e-15);
});

test("a single sentence has no shift", () => {
  const m = matrixFromRows([[0.2, 0.5, -1]]);
  assert.deepEqual(semanticShift(m), { k: 1, local: 0, localPerTransition: 0, dispersion: 0, shift: 0 });
  close(meanDistanceToPooled(m, [0.4, 1, -2]), 0, 1e-12);
  close(theorem1Prediction(0, 1), 0);
});

test("identical sentences (at any scale) give shift 0", () => {
  const measures = semanticShift(
    matrixFromRows([
      [1, 2, 3],
      [2, 4, 6],
      [0.5, 1, 1.5],
    ]),
  );
  close(measures.local, 0, 1e-12);
  close(measures.dispersion, 0, 1e-12);
  close(measures.shift, 0, 1e-12);
});

test("two orthogonal sentences: local 1, dispersion 1, shift 1", () => {
  const measures = semanticShift(
    matrixFromRows([
      [3, 0],
      [0, 0.5],
    ]),
  );
  close(measures.local, 1);
  close(measures.localPerTransition, 1);
  close(measures.dispersion, 1);
  close(measures.shift, 1);
});

test("a text that leaves and returns: hand-computed measures", () => {
  // e1 = (1,0), e2 = (0,1), e3 = (1,0): adjacent distances 1 + 1 = 2;
  // pairs (1,2) = 1, (1,3) = 0, (2,3) = 1, so dispersion 2/3 and shift 4/3
  const m = matrixFromRows([
    [1, 0],
    [0, 1],
    [1, 0],
  ]);
  close(localShift(m), 2);
  close(localShiftPerTransition(m), 1);
  close(dispersion(m), 2 / 3);
  close(semanticShift(m).shift, 4 / 3);
});

test("a zero sentence vector has cosine 0 with everything", () => {
  const m = matrixFromRows([
    [1, 0],
    [0, 0],
    [1, 0],
  ]);
  close(localShift(m), 2);
  close(dispersion(m), 2 / 3);
  close(meanDistanceToPooled(m, [0, 0]), 1);
});

test("windowedShift: each entry is the prefix's measures, the last is the whole text", () => {
  const m = randomSentences(12, 16, 5, 1.5);
  const windows = windowedShift(m);
  assert.equal(windows.length, 12);
  assert.deepEqual(
    windows.map((w) => w.k),
    Array.from({ length: 12 }, (_, i) => i + 1),
  );
  const whole = semanticShift(m);
  for (const key of ["local", "localPerTransition", "dispersion", "shift"] as const)
    close(windows[11][key], whole[key], 1e-12);
  windows.forEach((w, i) => {
    const prefix = selectRows(
      m,
      Array.from({ length: i + 1 }, (_, j) => j),
    );
    close(w.dispersion, dispersion(prefix), 1e-12);
    close(w.local, localShift(prefix), 1e-12);
  });
  // local shift only grows as sentences are added
  assert.ok(windows.every((w, i) => i === 0 || w.local >= windows[i - 1].local));
});

test("dispersion agrees with a pair-by-pair computation", () => {
  const m = randomSentences(9, 7, 8, 2);
  const rows = Array.from({ length: 9 }, (_, i) => Array.from(m.data.subarray(i * 7, (i + 1) * 7)));
  const cos = (a: number[], b: number[]) =>
    a.reduce((s, v, j) => s + v * b[j], 0) / (Math.hypot(...a) * Math.hypot(...b));
  let total = 0;
  for (let i = 0; i < 9; i++) for (let j = i + 1; j < 9; j++) total += 1 - cos(rows[i], rows[j]);
  close(dispersion(m), total / 36, 1e-12);
});
