/**
 * The onnxruntime engine against the tfjs encoder and the PyTorch reference, on every architecture's tiny fixture
 * (src/encoders/testdata/<arch>: transformers' token states in reference.json): every layer of a padded batch, each layer's own
 * truncated session, attention temperatures τ = 0.7 and 2, a long input, and the reference's states; all within 1e-4.
 * Skipped, with the reason, where onnxruntime-node is not installed.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../backend/select";
import { maxAbsDiff } from "../../testing/compare";
import { tfjsStates } from "../../testing/architecture_parity";
import { loadTokenizer } from "../../tokens/tokenizer";
import { padIds } from "../batching";
import { readModelConfig } from "../checkpoint/config";
import { openCheckpoint } from "../checkpoint/safetensors";
import { buildEncoder, type TokenEncoder } from "../registry";
import type { PaddedBatch } from "../states_engine";
import { OnnxStatesEngine } from "./engine";
import { onnxArchitecture } from "./graphs";
import { loadOnnxRuntime } from "./runtime";

const TOLERANCE = 1e-4;
const runtime = loadOnnxRuntime();
const skip = runtime.module === undefined ? `onnxruntime-node is not available: ${runtime.reason}` : false;

interface Reference {
  single: { input_ids: number[]; states: number[][] }[];
  long: { input_ids: number[]; states: number[][] };
}

async function onnxStates(engine: OnnxStatesEngine, batch: PaddedBatch, layer?: number, temperature?: number) {
  const states =
    layer === undefined
      ? await engine.forwardAllLayers(batch)
      : [await engine.forward(batch, layer, { attentionTemperature: temperature })];
  const data = states.map((s) => s.dataSync() as Float32Array);
  tf.dispose(states);
  return data;
}

/** the first `length` rows of row r of a [rows, T, H] batch */
function rowStates(data: Float32Array, batch: PaddedBatch, r: number, length: number, hidden: number): Float32Array {
  return data.subarray(r * batch.length * hidden, (r * batch.length + length) * hidden);
}

for (const arch of ["bert", "roberta", "xlm-roberta", "mpnet", "qwen3"]) {
  describe(`onnxruntime engine: ${arch}`, { skip }, () => {
    const dir = path.join(__dirname, "..", "testdata", arch);
    const reference: Reference = JSON.parse(readFileSync(path.join(dir, "reference.json"), "utf8"));
    let encoder: TokenEncoder;
    let engine: OnnxStatesEngine;
    let batch: PaddedBatch;

    before(async () => {
      await selectBackend();
      const config = await readModelConfig(dir);
      const checkpoint = await openCheckpoint(dir);
      encoder = buildEncoder(config, checkpoint);
      engine = new OnnxStatesEngine(runtime.module!, onnxArchitecture(config, checkpoint), { threads: 2 });
      const tokenizer = await loadTokenizer(dir);
      batch = padIds(
        reference.single.map((s) => s.input_ids),
        tokenizer.padId,
      );
    });
    after(() => {
      encoder?.dispose();
      engine?.dispose();
    });

    test(`${arch}: every layer of a padded batch matches tfjs, and each layer's own session matches the all-layers one`, async (t) => {
      const expected = tfjsStates(encoder, batch);
      const all = await onnxStates(engine, batch);
      assert.equal(all.length, engine.numLayers + 1);
      const diffs = all.map((states, l) => maxAbsDiff(states, expected[l]));
      let sessions = 0;
      for (let layer = 0; layer <= engine.numLayers; layer++) {
        const [alone] = await onnxStates(engine, batch, layer);
        sessions = Math.max(sessions, maxAbsDiff(alone, all[layer]));
      }
      const line = `${arch} onnxruntime vs tfjs per layer: ${diffs.map((d, l) => `${l}: ${d.toExponential(2)}`).join(", ")}; per-layer sessions vs all-layers ${sessions.toExponential(2)}`;
      t.diagnostic(line);
      console.log(line);
      diffs.forEach((d, l) => assert.ok(d < TOLERANCE, `layer ${l}: ${d}`));
      assert.ok(sessions < 1e-5, `${sessions}`);
    });

    test(`${arch}: attention temperature τ = 0.7 and τ = 2 match tfjs (one session for every τ)`, async (t) => {
      const report: string[] = [];
      for (const tau of [0.7, 2]) {
        const [expected] = tfjsStates(encoder, batch, engine.numLayers, tau);
        const [got] = await onnxStates(engine, batch, engine.numLayers, tau);
        const [plain] = await onnxStates(engine, batch, engine.numLayers);
        const diff = maxAbsDiff(got, expected);
        report.push(`τ=${tau} ${diff.toExponential(2)}`);
        assert.ok(diff < TOLERANCE, `τ = ${tau}: ${diff}`);
        assert.ok(maxAbsDiff(got, plain) > 1e-3, `τ = ${tau} changes the states`);
      }
      t.diagnostic(`${arch} onnxruntime vs tfjs: ${report.join(", ")}`);
      await assert.rejects(engine.forward(batch, 1, { attentionTemperature: 0 }), /attentionTemperature must be/);
    });

    test(`${arch}: the PyTorch reference's token states (single texts, padded batch, ${reference.long.input_ids.length} tokens) within ${TOLERANCE}`, async (t) => {
      const H = engine.hiddenSize;
      const [states] = await onnxStates(engine, batch, engine.numLayers);
      let batched = 0;
      let single = 0;
      for (const [r, item] of reference.single.entries()) {
        batched = Math.max(
          batched,
          maxAbsDiff(rowStates(states, batch, r, item.input_ids.length, H), item.states.flat()),
        );
        const alone = padIds([item.input_ids], 0);
        single = Math.max(
          single,
          maxAbsDiff((await onnxStates(engine, alone, engine.numLayers))[0], item.states.flat()),
        );
      }
      const long = padIds([reference.long.input_ids], 0);
      const longDiff = maxAbsDiff((await onnxStates(engine, long, engine.numLayers))[0], reference.long.states.flat());
      const line = `${arch} onnxruntime vs PyTorch: single ${single.toExponential(2)}, batch ${batched.toExponential(2)}, long ${longDiff.toExponential(2)}`;
      t.diagnostic(line);
      console.log(line);
      assert.ok(single < TOLERANCE && batched < TOLERANCE && longDiff < TOLERANCE, line);
    });

    test(`${arch}: inputs are checked like the tfjs encoder's`, async () => {
      const tooLong = padIds([Array.from({ length: engine.maxPositions + 1 }, () => 5)], 0);
      await assert.rejects(engine.forward(tooLong, 1), /tokens exceed the model's \d+ positions/);
      await assert.rejects(engine.forward(batch, engine.numLayers + 1), /layer must be 0\.\.\d+, got/);
    });
  });
}
