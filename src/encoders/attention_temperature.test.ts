/**
 * TempScale's attention temperature τ (EmbedOptions.attentionTemperature → TokenEncoder.forward → attend()): τ = 1 is the model
 * as trained, bit for bit; τ ≠ 1 changes the states in every architecture; hand-checked limits: τ → ∞ makes attention uniform
 * over the unmasked keys (a plain mean of the values), τ → 0 makes it pick the key with the largest logit.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../backend/select";
import { writeTinyBert, tinyBertTensors, TINY_BERT_CONFIG } from "../testing/tiny_bert_fixture";
import { padIds } from "./batching";
import { readModelConfig } from "./checkpoint/config";
import { openCheckpoint } from "./checkpoint/safetensors";
import { attend, MASKED_SCORE, paddingBias } from "./layers";
import { buildEncoder, type TokenEncoder } from "./registry";

const temp = mkdtempSync(path.join(os.tmpdir(), "shiftlab-tau-"));
before(async () => {
  await selectBackend();
});
after(() => rmSync(temp, { recursive: true, force: true }));

async function load(dir: string): Promise<TokenEncoder> {
  return buildEncoder(await readModelConfig(dir), await openCheckpoint(dir));
}

/** [B, T, H] states (flat) of right-padded sequences at temperature τ (undefined: the option left out) */
function states(encoder: TokenEncoder, sequences: number[][], layer?: number, temperature?: number): Float32Array {
  const { ids, mask, rows, length } = padIds(sequences, 0);
  const idsT = tf.tensor2d(ids, [rows, length], "int32");
  const maskT = tf.tensor2d(mask, [rows, length], "int32");
  const out = encoder.forward(
    idsT,
    maskT,
    layer,
    temperature === undefined ? undefined : { attentionTemperature: temperature },
  );
  const data = out.dataSync() as Float32Array;
  tf.dispose([idsT, maskT, out]);
  return data;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** q, kT, v for one text and one head: q, k, v are [T, d] row arrays */
function oneHead(q: number[][], k: number[][], v: number[][]) {
  const T = q.length;
  const d = q[0].length;
  const kT = Array.from({ length: d }, (_, j) => k.map((row) => row[j]));
  return { q: tf.tensor3d([q], [1, T, d]), kT: tf.tensor3d([kT], [1, d, T]), v: tf.tensor3d([v], [1, T, v[0].length]) };
}

const Q = [
  [0.3, -1.2],
  [2.0, 0.5],
  [-0.7, 0.9],
  [1.1, 1.4],
];
const K = [
  [1.0, 0.2],
  [-0.4, 1.5],
  [0.8, -0.9],
  [0.1, 0.3],
];
const V = [
  [1, 10],
  [2, 20],
  [4, 40],
  [8, 80],
];

test("attend: τ → ∞ gives every query the plain mean of the unmasked values (padding still masked)", () => {
  const { q, kT, v } = oneHead(Q, K, V);
  const mask = tf.tensor2d([[1, 1, 1, 0]], [1, 4], "int32"); // the last key is padding
  const bias = paddingBias(mask);
  const out = attend(q, kT, v, bias, undefined, 1e9).arraySync()[0];
  for (const row of out) assert.ok(maxAbsDiff(row, [(1 + 2 + 4) / 3, (10 + 20 + 40) / 3]) < 1e-5, `${row}`);
  tf.dispose([q, kT, v, mask, bias]);
});

test("attend: τ → ∞ under a causal score bias averages keys 0..i for query i", () => {
  const { q, kT, v } = oneHead(Q, K, V);
  const bias = paddingBias(tf.ones([1, 4], "int32") as tf.Tensor2D);
  const causal = tf.tensor3d([
    Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => (j > i ? MASKED_SCORE : 0))),
  ]);
  const out = attend(q, kT, v, bias, causal, 1e9).arraySync()[0];
  const expected = [
    [1, 10],
    [1.5, 15],
    [7 / 3, 70 / 3],
    [3.75, 37.5],
  ];
  out.forEach((row, i) => assert.ok(maxAbsDiff(row, expected[i]) < 1e-5, `query ${i}: ${row}`));
  tf.dispose([q, kT, v, bias, causal]);
});

test("attend: τ → 0 picks, for each query, the value of the key with the largest q·k", () => {
  const { q, kT, v } = oneHead(Q, K, V);
  const bias = paddingBias(tf.ones([1, 4], "int32") as tf.Tensor2D);
  const out = attend(q, kT, v, bias, undefined, 1e-4).arraySync()[0];
  Q.forEach((qi, i) => {
    const logits = K.map((kj) => qi[0] * kj[0] + qi[1] * kj[1]);
    const best = logits.indexOf(Math.max(...logits));
    assert.ok(maxAbsDiff(out[i], V[best]) < 1e-4, `query ${i}: ${out[i]} vs key ${best}`);
  });
  tf.dispose([q, kT, v, bias]);
});

test("attend: τ = 1 is bit-identical to leaving τ out, also on the long (looped on wasm) path; τ → ∞ still averages there", () => {
  const T = 130;
  const rows = (w: number, f: (t: number, j: number) => number) =>
    Array.from({ length: T }, (_, t) => Array.from({ length: w }, (_, j) => f(t, j)));
  const { q, kT, v } = oneHead(
    rows(2, (t, j) => Math.sin(t + 3 * j)),
    rows(2, (t, j) => Math.cos(2 * t - j)),
    rows(1, (t) => t),
  );
  const mask = tf.tensor2d([Array.from({ length: T }, (_, t) => (t < 100 ? 1 : 0))], [1, T], "int32");
  const bias = paddingBias(mask);
  assert.deepEqual(attend(q, kT, v, bias, undefined, 1).dataSync(), attend(q, kT, v, bias).dataSync());
  const uniform = attend(q, kT, v, bias, undefined, 1e9).dataSync();
  assert.ok(maxAbsDiff(uniform, new Array(T).fill(49.5)) < 1e-3, `${uniform[0]} ${uniform[T - 1]}`);
  tf.dispose([q, kT, v, mask, bias]);
});

const FIXTURES = ["bert", "roberta", "xlm-roberta", "mpnet", "qwen3"];
for (const arch of FIXTURES) {
  test(`${arch}: τ = 1 equals the default bit for bit, τ = 0.7 and τ = 2 change the states, τ ≤ 0 is refused`, async () => {
    const encoder = await load(path.join(__dirname, "testdata", arch));
    try {
      const texts = [
        [5, 17, 33, 9, 41, 12],
        [7, 8, 21],
      ];
      const plain = states(encoder, texts);
      assert.deepEqual(states(encoder, texts, undefined, 1), plain);
      for (const tau of [0.7, 2])
        assert.ok(maxAbsDiff(states(encoder, texts, undefined, tau), plain) > 1e-3, `τ = ${tau}`);
      // layer 0 (the embedding output) has no attention: τ cannot change it
      assert.deepEqual(states(encoder, texts, 0, 0.5), states(encoder, texts, 0));
      for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        assert.throws(() => states(encoder, texts, undefined, bad), /attentionTemperature must be a finite number > 0/);
      }
    } finally {
      encoder.dispose();
    }
  });
}

// ---- a 1-layer BERT by hand at τ → ∞: every real token attends uniformly to the real tokens of its text ----

const gelu = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2));
/** erf by its Maclaurin series (float64-accurate to ~1e-9 for |x| ≤ 5; beyond, erf is ±1 to 1e-11) */
function erf(x: number): number {
  if (Math.abs(x) > 5) return Math.sign(x);
  let sum = 0;
  let term = x;
  for (let n = 0; n < 150; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const dense = (x: number[], w: Float32Array, b: Float32Array, out: number) =>
  Array.from({ length: out }, (_, o) => b[o] + x.reduce((s, xi, i) => s + w[o * x.length + i] * xi, 0));
function layerNorm(x: number[], gamma: Float32Array, beta: Float32Array, eps = 1e-12): number[] {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * gamma[i] + beta[i]);
}

test("1-layer BERT at τ = 1e9 equals a hand computation with uniform attention (the mean of the values over real tokens)", async () => {
  const dir = writeTinyBert(path.join(temp, "one-layer"), { config: { num_hidden_layers: 1 } });
  const encoder = await load(dir);
  try {
    const texts = [
      [3, 14, 15, 9, 26],
      [5, 35, 8],
    ]; // the second is padded to 5: its padding must not be averaged in
    const H = TINY_BERT_CONFIG.hidden_size;
    const embedded = states(encoder, texts, 0);
    const got = states(encoder, texts, 1, 1e9);
    const w = Object.fromEntries(
      Object.entries(tinyBertTensors()).map(([name, t]) => [name, t.values as Float32Array]),
    );
    const l = "encoder.layer.0";
    let worst = 0;
    texts.forEach((seq, r) => {
      const x = seq.map((_, t) => Array.from(embedded.subarray((r * 5 + t) * H, (r * 5 + t + 1) * H)));
      const values = x.map((xt) =>
        dense(xt, w[`${l}.attention.self.value.weight`], w[`${l}.attention.self.value.bias`], H),
      );
      const meanValue = values[0].map((_, j) => values.reduce((s, vt) => s + vt[j], 0) / values.length);
      const attentionOut = dense(
        meanValue,
        w[`${l}.attention.output.dense.weight`],
        w[`${l}.attention.output.dense.bias`],
        H,
      );
      x.forEach((xt, t) => {
        const a = layerNorm(
          xt.map((v, j) => v + attentionOut[j]),
          w[`${l}.attention.output.LayerNorm.weight`],
          w[`${l}.attention.output.LayerNorm.bias`],
        );
        const hidden = dense(
          a,
          w[`${l}.intermediate.dense.weight`],
          w[`${l}.intermediate.dense.bias`],
          TINY_BERT_CONFIG.intermediate_size,
        ).map(gelu);
        const ffn = dense(hidden, w[`${l}.output.dense.weight`], w[`${l}.output.dense.bias`], H);
        const expected = layerNorm(
          a.map((v, j) => v + ffn[j]),
          w[`${l}.output.LayerNorm.weight`],
          w[`${l}.output.LayerNorm.bias`],
        );
        worst = Math.max(worst, maxAbsDiff(got.subarray((r * 5 + t) * H, (r * 5 + t + 1) * H), expected));
      });
    });
    assert.ok(worst < 1e-4, `max |diff| ${worst}`);
    // and at τ = 1 the same hand computation does not hold (attention is not uniform there)
    assert.ok(maxAbsDiff(states(encoder, texts, 1), got) > 1e-3);
  } finally {
    encoder.dispose();
  }
});
