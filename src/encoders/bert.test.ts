import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { assetsRoot } from "../assets/paths";
import { selectBackend } from "../backend/select";
import { POOLING_MODES } from "../embedding/pooling_modes";
import { poolTokenStates } from "../embedding/pool";
import { buildEncoder, SUPPORTED_MODEL_TYPES, type TokenEncoder } from "./registry";
import { padIds } from "./batching";
import { readModelConfig } from "./checkpoint/config";
import { openCheckpoint } from "./checkpoint/safetensors";
import { writeTinyBert } from "../testing/tiny_bert_fixture";
import { maxAbsDiff } from "../testing/compare";

const encoderDir = path.join(assetsRoot(), "models", "shiftlab-mini-encoder");
interface Parity {
  items: { input_ids: number[] }[];
  layers_of_first_item: { input_ids: number[]; hidden_states: number[][] };
}
const parity: Parity = JSON.parse(readFileSync(path.join(encoderDir, "reference", "parity.json"), "utf8"));
const temp = mkdtempSync(path.join(os.tmpdir(), "shiftlab-bert-"));
let mini: TokenEncoder;

before(async () => {
  await selectBackend();
  mini = buildEncoder(await readModelConfig(encoderDir), await openCheckpoint(encoderDir));
});
after(() => {
  mini?.dispose();
  rmSync(temp, { recursive: true, force: true });
});

async function load(dir: string): Promise<TokenEncoder> {
  return buildEncoder(await readModelConfig(dir), await openCheckpoint(dir));
}

/** [B, T, H] states of right-padded id sequences as nested arrays, plus every pooled mode. */
function run(
  encoder: TokenEncoder,
  sequences: number[][],
  layer?: number,
): { states: number[][][]; pooled: Record<string, number[][]> } {
  const { ids, mask, rows, length } = padIds(sequences, 0);
  const idsT = tf.tensor2d(ids, [rows, length], "int32");
  const maskT = tf.tensor2d(mask, [rows, length], "int32");
  const states = encoder.forward(idsT, maskT, layer);
  const pooled: Record<string, number[][]> = {};
  for (const mode of POOLING_MODES) {
    const p = poolTokenStates(states, maskT, mode);
    pooled[mode] = p.arraySync();
    p.dispose();
  }
  const result = { states: states.arraySync(), pooled };
  tf.dispose([idsT, maskT, states]);
  return result;
}

test("every layer's hidden states of the first parity item match the PyTorch reference within 1e-4", (t) => {
  const first = parity.layers_of_first_item;
  const idsT = tf.tensor2d([first.input_ids], undefined, "int32");
  const maskT = tf.onesLike(idsT);
  const before = tf.memory().numTensors;
  const layers = mini.forwardAllLayers(idsT, maskT);
  assert.equal(tf.memory().numTensors, before + mini.numLayers + 1, "only the returned states stay allocated");
  assert.equal(layers.length, first.hidden_states.length);
  const diffs = layers.map((states, l) => maxAbsDiff(states.dataSync(), first.hidden_states[l]));
  const line = `layer max |diff| (0 = embeddings): ${diffs.map((d, l) => `${l}: ${d.toExponential(2)}`).join(", ")}`;
  t.diagnostic(line);
  console.log(line);
  diffs.forEach((d, l) => assert.ok(d < 1e-4, `layer ${l}: ${d}`));
  // forward(layer) returns the same states as forwardAllLayers()[layer]
  const second = mini.forward(idsT, maskT, 2);
  assert.equal(maxAbsDiff(second.dataSync(), layers[2].dataSync()), 0);
  tf.dispose([idsT, maskT, second, ...layers]);
});

test("a padded batch equals single-text runs within 1e-5 (short batch and long batch)", (t) => {
  const short = parity.items.slice(0, 12).map((it) => it.input_ids);
  const long = parity.items[12].input_ids;
  const longCut = [...long.slice(0, 199), 102]; // 200 tokens: over the wasm looped-attention threshold
  const batches = [short, [short[3], longCut, short[9]]];
  let worst = 0;
  for (const batch of batches) {
    const together = run(mini, batch);
    batch.forEach((ids, r) => {
      const alone = run(mini, [ids]);
      worst = Math.max(worst, maxAbsDiff(together.states[r].slice(0, ids.length).flat(), alone.states[0].flat()));
      for (const mode of POOLING_MODES)
        worst = Math.max(worst, maxAbsDiff(together.pooled[mode][r], alone.pooled[mode][0]));
    });
  }
  const line = `batch vs single max |diff| (token states and all poolings, ${tf.getBackend()} backend): ${worst.toExponential(2)}`;
  t.diagnostic(line);
  console.log(line);
  assert.ok(worst < 1e-5, `${worst}`);
});

test("forward checks its arguments", () => {
  const idsT = tf.tensor2d([[101, 102]], undefined, "int32");
  const maskT = tf.onesLike(idsT);
  assert.throws(() => mini.forward(idsT, maskT, 5), /layer must be 0\.\.4, got 5/);
  const wrongMask = tf.ones([1, 3]) as tf.Tensor2D;
  assert.throws(() => mini.forward(idsT, wrongMask), /mask shape \[1,3\] differs from ids \[1,2\]/);
  const tooLong = tf.zeros([1, 513], "int32") as tf.Tensor2D;
  const tooLongMask = tf.onesLike(tooLong);
  assert.throws(() => mini.forward(tooLong, tooLongMask), /513 tokens exceed the model's 512 positions/);
  tf.dispose([idsT, maskT, wrongMask, tooLong, tooLongMask]);
});

const TINY_IDS = [
  [1, 5, 9, 13, 2],
  [1, 30, 2, 0, 0],
];

test("tiny BERT: sharded and bert.-prefixed checkpoints give exactly the single-file output; F16 and BF16 copies are close", async (t) => {
  const reference = await load(writeTinyBert(path.join(temp, "f32")));
  const sharded = await load(writeTinyBert(path.join(temp, "sharded"), { shards: 3, prefix: "bert." }));
  const f16 = await load(writeTinyBert(path.join(temp, "f16"), { dtype: "F16" }));
  const bf16 = await load(writeTinyBert(path.join(temp, "bf16"), { dtype: "BF16", shards: 2 }));
  assert.deepEqual((await openCheckpoint(path.join(temp, "sharded"))).files.length, 3);
  const expected = run(reference, TINY_IDS).states.flat(2);
  assert.equal(maxAbsDiff(run(sharded, TINY_IDS).states.flat(2), expected), 0);
  const f16Diff = maxAbsDiff(run(f16, TINY_IDS).states.flat(2), expected);
  const bf16Diff = maxAbsDiff(run(bf16, TINY_IDS).states.flat(2), expected);
  t.diagnostic(`tiny BERT max |diff| to F32: F16 ${f16Diff.toExponential(2)}, BF16 ${bf16Diff.toExponential(2)}`);
  assert.ok(f16Diff > 0 && f16Diff < 1e-2, `F16: ${f16Diff}`);
  assert.ok(bf16Diff > f16Diff && bf16Diff < 1e-1, `BF16: ${bf16Diff}`);
  for (const e of [reference, sharded, f16, bf16]) e.dispose();
});

test("tiny BERT: unused integer buffers (position_ids) are ignored; dispose frees every weight", async () => {
  const before = tf.memory().numTensors;
  // old checkpoints store embeddings.position_ids as I64 [1, 512]: write 192 bytes as F32 [1, 48], then relabel them I64 [1, 24]
  const dir = writeTinyBert(path.join(temp, "with-position-ids"), {
    edit: (tensors) => {
      tensors["embeddings.position_ids"] = { shape: [1, 48], values: new Float32Array(48) };
    },
  });
  const file = path.join(dir, "model.safetensors");
  const bytes = readFileSync(file).toString("latin1");
  const relabelled = bytes.replace(
    '"embeddings.position_ids":{"dtype":"F32","shape":[1,48]',
    '"embeddings.position_ids":{"dtype":"I64","shape":[1,24]',
  );
  assert.notEqual(relabelled, bytes);
  writeFileSync(file, Buffer.from(relabelled, "latin1"));
  assert.equal((await openCheckpoint(dir)).shape("embeddings.position_ids").join(), "1,24");
  const encoder = await load(dir);
  assert.equal(encoder.numLayers, 2);
  assert.ok(tf.memory().numTensors > before);
  encoder.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("a missing tensor or a wrong shape names the tensor and the file, and leaks no tensors", async () => {
  const before = tf.memory().numTensors;
  const missing = writeTinyBert(path.join(temp, "missing"), {
    edit: (w) => delete w["encoder.layer.1.output.dense.bias"],
  });
  await assert.rejects(
    load(missing),
    new RegExp(`missing/model\\.safetensors: tensor "encoder\\.layer\\.1\\.output\\.dense\\.bias" is missing`),
  );
  const misshapen = writeTinyBert(path.join(temp, "misshapen"), {
    edit: (w) => {
      w["encoder.layer.0.attention.self.key.weight"] = { shape: [16, 8], values: new Float32Array(128) };
    },
  });
  await assert.rejects(
    load(misshapen),
    /misshapen\/model\.safetensors: tensor "encoder\.layer\.0\.attention\.self\.key\.weight" has shape \[16, 8\], expected \[16, 16\]/,
  );
  const noEmbeddings = writeTinyBert(path.join(temp, "renamed"), { prefix: "roberta." });
  await assert.rejects(
    load(noEmbeddings),
    /tensor "embeddings\.word_embeddings\.weight" is missing \(also looked for "bert\.embeddings/,
  );
  assert.equal(tf.memory().numTensors, before);
});

test("an unknown model_type names config.json, the type found and the supported ones", async () => {
  const dir = writeTinyBert(path.join(temp, "electra"), { config: { model_type: "electra" } });
  await assert.rejects(
    load(dir),
    new RegExp(
      `electra/config\\.json: model_type "electra" is not supported \\(supported: bert, roberta, xlm-roberta, mpnet, qwen3\\)`,
    ),
  );
  assert.deepEqual(SUPPORTED_MODEL_TYPES, ["bert", "roberta", "xlm-roberta", "mpnet", "qwen3"]);
  const proto = writeTinyBert(path.join(temp, "proto"), { config: { model_type: "toString" } });
  await assert.rejects(load(proto), /model_type "toString" is not supported/);
  const act = writeTinyBert(path.join(temp, "quick_gelu"), { config: { hidden_act: "quick_gelu" } });
  await assert.rejects(load(act), /quick_gelu\/config\.json: hidden_act "quick_gelu" is not supported/);
  const rel = writeTinyBert(path.join(temp, "relative"), { config: { position_embedding_type: "relative_key" } });
  await assert.rejects(load(rel), /position_embedding_type "relative_key" is not supported/);
});
