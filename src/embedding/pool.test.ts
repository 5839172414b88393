import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../backend/select";
import { POOLING_MODES, type PoolingMode } from "./pooling_modes";
import { poolTokenStates } from "./pool";

before(async () => {
  await selectBackend();
});

// Two texts, H = 2. Text 0 has 4 tokens; text 1 has 2 tokens and 2 padding positions holding huge values that must never show.
const STATES = [
  [
    [1, 2],
    [3, -4],
    [5, 6],
    [-7, 8],
  ],
  [
    [2, 1],
    [4, -3],
    [1000, 1000],
    [-1000, 1000],
  ],
];
const MASK = [
  [1, 1, 1, 1],
  [1, 1, 0, 0],
];

const EXPECTED: Record<PoolingMode, number[][]> = {
  cls: [
    [1, 2],
    [2, 1],
  ],
  mean: [
    [0.5, 3],
    [3, -1],
  ],
  mean_sqrt_len: [
    [2 / 2, 12 / 2],
    [6 / Math.SQRT2, -2 / Math.SQRT2],
  ],
  max: [
    [5, 8],
    [4, 1],
  ],
  // weights 1..4 (text 0) and 1..2 (text 1)
  weighted_mean: [
    [(1 * 1 + 2 * 3 + 3 * 5 + 4 * -7) / 10, (1 * 2 + 2 * -4 + 3 * 6 + 4 * 8) / 10],
    [(1 * 2 + 2 * 4) / 3, (1 * 1 + 2 * -3) / 3],
  ],
  last_token: [
    [-7, 8],
    [4, -3],
  ],
};

function pooled(mode: PoolingMode, states = STATES, mask = MASK): number[][] {
  const out = tf.tidy(() => poolTokenStates(tf.tensor3d(states), tf.tensor2d(mask), mode));
  const values = out.arraySync();
  out.dispose();
  return values;
}

function assertClose(actual: number[][], expected: number[][], label: string): void {
  assert.equal(actual.length, expected.length, label);
  actual.forEach((row, i) =>
    row.forEach((v, j) =>
      assert.ok(Math.abs(v - expected[i][j]) < 1e-5, `${label} [${i}][${j}]: ${v} vs ${expected[i][j]}`),
    ),
  );
}

for (const mode of POOLING_MODES) {
  test(`${mode}: hand-computed values, padding ignored`, () => {
    assertClose(pooled(mode), EXPECTED[mode], mode);
  });
}

test("every mode gives the same vector for a text alone and inside a padded batch", () => {
  for (const mode of POOLING_MODES) {
    assertClose(pooled(mode, [STATES[1].slice(0, 2)], [[1, 1]]), [EXPECTED[mode][1]], `${mode} alone`);
  }
});

test("max ignores padding even when every real value is below the padding's", () => {
  const states = [
    [
      [-5, -6],
      [-3, -9],
      [0, 0],
    ],
  ];
  assertClose(pooled("max", states, [[1, 1, 0]]), [[-3, -6]], "max");
});

test("last_token finds the last unmasked position with any mask (left padding too)", () => {
  const states = [
    [
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ],
  ];
  assertClose(pooled("last_token", states, [[0, 1, 1, 0]]), [[3, 3]], "left+right padded");
  assertClose(pooled("last_token", states, [[0, 0, 1, 1]]), [[4, 4]], "left padded");
});

test("pooling frees its intermediate tensors", () => {
  const input = tf.tensor3d(STATES);
  const mask = tf.tensor2d(MASK);
  const before = tf.memory().numTensors;
  for (const mode of POOLING_MODES) poolTokenStates(input, mask, mode).dispose();
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([input, mask]);
});
