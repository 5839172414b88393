/** loadModel end to end on the mini encoder, against the PyTorch reference in parity.json. */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { assetsRoot } from "../assets/paths";
import { loadModel, type EmbeddingModel, type EncoderModelInfo, POOLING_MODES, row } from "../index";
import { maxAbsDiff } from "../testing/compare";
import { quietly } from "../testing/quiet";

const encoderDir = path.join(assetsRoot(), "models", "shiftlab-mini-encoder");
interface Parity {
  items: { text: string; input_ids: number[]; pooled: Record<string, number[]>; mean_normalized: number[] }[];
  layers_of_first_item: { hidden_states: number[][] };
}
const parity: Parity = JSON.parse(readFileSync(path.join(encoderDir, "reference", "parity.json"), "utf8"));
const texts = parity.items.map((it) => it.text);
const temp = mkdtempSync(path.join(os.tmpdir(), "shiftlab-parity-"));
let model: EmbeddingModel;

before(async () => {
  model = await loadModel(encoderDir);
});
after(() => {
  model?.dispose();
  rmSync(temp, { recursive: true, force: true });
});

/** Run f while collecting what is written to stderr. */
async function capturingStderr<T>(f: () => Promise<T>): Promise<{ result: T; stderr: string }> {
  const original = process.stderr.write.bind(process.stderr);
  let stderr = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    return { result: await f(), stderr };
  } finally {
    process.stderr.write = original;
  }
}

test("info describes the checkpoint and where its pooling came from", () => {
  const info = model.info as EncoderModelInfo;
  assert.deepEqual(
    [
      info.name,
      info.modelType,
      info.architecture,
      info.hiddenSize,
      info.numLayers,
      info.maxLength,
      info.defaultPooling,
      info.normalize,
    ],
    ["shiftlab-mini-encoder", "bert", "BertModel", 256, 4, 512, "mean", true],
  );
  assert.equal(info.source, encoderDir);
  assert.equal(info.poolingSource, "1_Pooling/config.json + Normalize (modules.json)");
  assert.match(info.backend, /^(tensorflow-gpu|webgpu|tensorflow|wasm|cpu)$/);
});

test("every pooling mode, for every parity item, matches the reference within 1e-4", async (t) => {
  const worst: Record<string, number> = {};
  for (const mode of POOLING_MODES) {
    const m = await quietly(() => model.embed(texts, { pooling: mode, normalize: false }));
    assert.equal(m.rows, texts.length);
    worst[mode] = Math.max(...parity.items.map((it, i) => maxAbsDiff(row(m, i), it.pooled[mode])));
  }
  const line = `pooled max |diff| over ${texts.length} items: ${POOLING_MODES.map((mode) => `${mode} ${worst[mode].toExponential(2)}`).join(", ")}`;
  t.diagnostic(line);
  console.log(line);
  for (const mode of POOLING_MODES) assert.ok(worst[mode] < 1e-4, `${mode}: ${worst[mode]}`);
});

test("defaults are the checkpoint's own (mean + Normalize): mean_normalized within 1e-4, rows of unit length", async (t) => {
  const m = await quietly(() => model.embed(texts));
  const worst = Math.max(...parity.items.map((it, i) => maxAbsDiff(row(m, i), it.mean_normalized)));
  t.diagnostic(`mean_normalized max |diff|: ${worst.toExponential(2)}`);
  console.log(`mean_normalized max |diff|: ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-4, `${worst}`);
  for (let i = 0; i < m.rows; i++) assert.ok(Math.abs(Math.hypot(...row(m, i)) - 1) < 1e-5);
});

test("rows come back in input order whatever the batching, and a batch equals texts one at a time within 1e-5", async (t) => {
  const short = texts.slice(0, 12); // the 512-token text gets a batch of its own anyway
  const all = await model.embed(short, { normalize: false, pooling: "max" });
  const smallBatches = await model.embed(short, { normalize: false, pooling: "max", batchSize: 2 });
  const reversed = await model.embed([...short].reverse(), { normalize: false, pooling: "max", batchSize: 5 });
  let worst = 0;
  for (let i = 0; i < short.length; i++) {
    const alone = await model.embed([short[i]], { normalize: false, pooling: "max" });
    worst = Math.max(
      worst,
      maxAbsDiff(row(all, i), row(alone, 0)),
      maxAbsDiff(row(smallBatches, i), row(alone, 0)),
      maxAbsDiff(row(reversed, short.length - 1 - i), row(alone, 0)),
    );
  }
  t.diagnostic(`embed batch vs single max |diff|: ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-5, `${worst}`);
});

test("truncation is recorded per text and announced in one stderr line", async () => {
  const { stderr } = await capturingStderr(() => model.embed(texts));
  assert.deepEqual(model.lastTruncations, [{ index: 12, originalLength: 1224, keptLength: 512 }]);
  assert.equal(stderr, "shiftlab: 1 of 13 texts truncated to 512 tokens (longest had 1224); see lastTruncations\n");
  const quiet = await capturingStderr(() => model.embed(texts.slice(0, 3)));
  assert.deepEqual(model.lastTruncations, []);
  assert.equal(quiet.stderr, "");
});

test("countTokens gives word pieces before truncation", () => {
  assert.deepEqual(model.countTokens(texts), [...parity.items.slice(0, 12).map((it) => it.input_ids.length), 1224]);
});

test("the empty text embeds as [CLS][SEP] (documented), like any other text", async () => {
  const states = await model.tokenStates("");
  assert.deepEqual(states.tokens, ["[CLS]", "[SEP]"]);
  assert.deepEqual(states.ids, [101, 102]);
  const cls = await model.embed(["", "A"], { pooling: "cls", normalize: false });
  assert.equal(maxAbsDiff(row(cls, 0), row(states.states, 0)), 0);
  const mean = await model.embed([""], { pooling: "mean", normalize: false });
  const expected = Array.from(row(states.states, 0), (v, j) => (v + states.states.data[states.states.cols + j]) / 2);
  assert.ok(maxAbsDiff(row(mean, 0), expected) < 1e-6);
  assert.ok(Math.hypot(...row(mean, 0)) > 1, "not a zero vector");
  assert.ok(maxAbsDiff(row(cls, 0), row(cls, 1)) > 1e-2, "differs from a real text");
});

test("tokenStates and the layer option reach every layer (0 = embeddings, negative from the end)", async () => {
  const first = parity.layers_of_first_item.hidden_states;
  const last = await model.tokenStates(texts[0]);
  assert.equal(last.states.rows, 12);
  assert.equal(last.truncated, false);
  assert.ok(maxAbsDiff(last.states.data, first[4]) < 1e-4);
  const embeddingOutput = await model.tokenStates(texts[0], { layer: 0 });
  assert.ok(maxAbsDiff(embeddingOutput.states.data, first[0]) < 1e-4);
  const fromEnd = await model.tokenStates(texts[0], { layer: -3 });
  assert.ok(maxAbsDiff(fromEnd.states.data, first[2]) < 1e-4);

  const meanOfLayer1 = Array.from(
    { length: 256 },
    (_, j) => first[1].filter((_, k) => k % 256 === j).reduce((a, b) => a + b, 0) / 12,
  );
  const pooled = await model.embed([texts[0]], { layer: 1, normalize: false });
  assert.ok(maxAbsDiff(row(pooled, 0), meanOfLayer1) < 1e-4);
  const minusOne = await model.embed([texts[0]], { layer: -1, normalize: false });
  const byDefault = await model.embed([texts[0]], { normalize: false });
  assert.equal(maxAbsDiff(row(minusOne, 0), row(byDefault, 0)), 0);
  await assert.rejects(
    model.embed(["x"], { layer: 5 }),
    /layer must be an integer in 0\.\.4 \(or -5\.\.-1 from the end\), got 5/,
  );
  await assert.rejects(model.embed(["x"], { layer: -6 }), /got -6/);
  await assert.rejects(model.embed(["x"], { layer: 1.5 }), /got 1\.5/);
});

test("bad options are refused with a clear message", async () => {
  await assert.rejects(
    model.embed(["x"], { pooling: "median" as never }),
    /unknown pooling "median" \(choose from mean, cls, max/,
  );
  await assert.rejects(model.embed(["x"], { batchSize: 0 }), /batchSize must be a positive integer, got 0/);
  const none = await model.embed([]);
  assert.deepEqual([none.rows, none.cols, none.data.length], [0, 256, 0]);
});

test("progress: onProgress sees every batch; long jobs without it report on stderr; no tensors leak", async () => {
  const calls: [number, number][] = [];
  await quietly(() => model.embed(texts, { batchSize: 4, onProgress: (done, total) => calls.push([done, total]) }));
  assert.ok(calls.length >= 4);
  assert.deepEqual(calls[calls.length - 1], [13, 13]);
  assert.ok(calls.every(([done], i) => i === 0 || done > calls[i - 1][0]));

  const before = tf.memory().numTensors;
  const many = Array.from({ length: 300 }, (_, i) => `text ${i}`);
  const { result, stderr } = await capturingStderr(() => model.embed(many, { batchSize: 64 }));
  assert.equal(result.rows, 300);
  assert.match(stderr, /shiftlab: shiftlab-mini-encoder: embedded 300\/300 texts \(100%, [\d.]+ s\)\n$/);
  assert.equal(tf.memory().numTensors, before);
});

test("maxLength option truncates earlier", async () => {
  const short = await loadModel(encoderDir, { maxLength: 16 });
  try {
    assert.equal(short.info.maxLength, 16);
    await capturingStderr(() => short.embed(texts));
    assert.deepEqual(
      short.lastTruncations.map((n) => [n.index, n.originalLength, n.keptLength]),
      [
        [3, 19, 16],
        [11, 23, 16],
        [12, 1224, 16],
      ],
    );
  } finally {
    short.dispose();
  }
  await assert.rejects(short.embed(["x"]), /the model was disposed/);
});

test("a checkpoint folder without tokenizer files fails before loading weights, naming what is missing", async () => {
  const dir = path.join(temp, "no-tokenizer");
  mkdirSync(dir);
  for (const f of [
    "config.json",
    "model.safetensors",
    "modules.json",
    "1_Pooling",
    "sentence_bert_config.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
  ]) {
    symlinkSync(path.join(encoderDir, f), path.join(dir, f));
  }
  await assert.rejects(loadModel(dir), /tokenizer\.json and vocab\.txt/);
});
