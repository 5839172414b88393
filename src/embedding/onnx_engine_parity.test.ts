/**
 * loadModel with the onnxruntime engine on the shared mini encoder and its two variants (shiftlab-mini-mlm, shiftlab-mini-cls),
 * against the PyTorch reference beside each checkpoint (reference/parity.json) and against the tfjs engine: every pooling
 * mode, the checkpoint's own defaults, every layer through tokenStates, attention temperature τ = 2, layer sets
 * (embedLayerSets), and what info reports. Skipped, with the reason, where onnxruntime-node is not installed.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { assetsRoot } from "../assets/paths";
import { loadOnnxRuntime } from "../encoders/onnx/runtime";
import { maxAbsDiff } from "../testing/compare";
import { loadModel, type EncoderModelInfo } from "./load_model";
import type { EmbeddingModel } from "./model";
import { POOLING_MODES } from "./pooling_modes";
import type { Matrix } from "../matrix";
import { quietly } from "../testing/quiet";
import { unitVector64 as unit } from "../metrics/vectors";

const TOLERANCE = 1e-4;
const runtime = loadOnnxRuntime();
const skip = runtime.module === undefined ? `onnxruntime-node is not available: ${runtime.reason}` : false;

interface Parity {
  items: { text: string; pooled: Record<string, number[]>; mean_normalized?: number[] }[];
  layers_of_first_item: { hidden_states: number[][] };
}

type LayerSetModel = EmbeddingModel & {
  embedLayerSets(texts: string[], sets: number[][], modes: string[]): Promise<Map<string, Matrix>>;
};

const row = (m: Matrix, i: number) => m.data.subarray(i * m.cols, (i + 1) * m.cols);

for (const name of ["shiftlab-mini-encoder", "shiftlab-mini-mlm", "shiftlab-mini-cls"]) {
  describe(`onnxruntime engine: ${name}`, { skip }, () => {
    const dir = path.join(assetsRoot(), "models", name);
    const parity: Parity = JSON.parse(readFileSync(path.join(dir, "reference", "parity.json"), "utf8"));
    const texts = parity.items.map((it) => it.text);
    let onnx: LayerSetModel;
    let tfjs: LayerSetModel;

    before(async () => {
      onnx = (await loadModel(dir, { engine: "onnxruntime" })) as LayerSetModel;
      tfjs = (await loadModel(dir, { engine: "tfjs" })) as LayerSetModel;
    });
    after(() => {
      onnx?.dispose();
      tfjs?.dispose();
    });

    test(`${name}: info reports the engine, how it runs and what was tried`, () => {
      const info = onnx.info as EncoderModelInfo;
      assert.equal(info.engine, "onnxruntime");
      assert.match(info.engineDescription, /^onnxruntime \(cpu, \d+ threads?\)$/);
      assert.deepEqual(info.engineTried, [{ name: "onnxruntime", result: "chosen" }]);
      assert.ok(info.weightBytes > 4 * 1e6, `${info.weightBytes}`);
      const other = tfjs.info as EncoderModelInfo;
      assert.equal(other.engine, "tfjs");
      assert.equal(other.engineDescription, `tfjs (${other.backend})`);
      assert.equal(info.weightBytes, other.weightBytes, "the same float32 weights in either engine");
    });

    test(`${name}: every pooling mode and the defaults match PyTorch within ${TOLERANCE}`, async (t) => {
      const report: string[] = [];
      for (const mode of POOLING_MODES) {
        const m = await quietly(() => onnx.embed(texts, { pooling: mode, normalize: false }));
        const diff = Math.max(...parity.items.map((it, i) => maxAbsDiff(row(m, i), it.pooled[mode])));
        report.push(`${mode} ${diff.toExponential(2)}`);
        assert.ok(diff < TOLERANCE, `${mode}: ${diff}`);
      }
      const info = onnx.info;
      const byDefault = await quietly(() => onnx.embed(texts));
      const expected = parity.items.map((it) =>
        info.normalize ? unit(it.pooled[info.defaultPooling]) : it.pooled[info.defaultPooling],
      );
      const defaults = Math.max(...expected.map((e, i) => maxAbsDiff(row(byDefault, i), e)));
      const line = `${name} onnxruntime vs PyTorch: ${report.join(", ")}; defaults ${defaults.toExponential(2)}`;
      t.diagnostic(line);
      console.log(line);
      assert.ok(defaults < TOLERANCE, `${defaults}`);
    });

    test(`${name}: every layer's token states (tokenStates({ layer })) match PyTorch within ${TOLERANCE}`, async (t) => {
      const layers = parity.layers_of_first_item.hidden_states;
      const diffs: number[] = [];
      for (let layer = 0; layer < layers.length; layer++)
        diffs.push(maxAbsDiff((await onnx.tokenStates(texts[0], { layer })).states.data, layers[layer]));
      const fromEnd = await onnx.tokenStates(texts[0], { layer: -2 });
      assert.ok(maxAbsDiff(fromEnd.states.data, layers[layers.length - 2]) < TOLERANCE);
      const line = `${name} onnxruntime layers vs PyTorch: ${diffs.map((d, l) => `${l}: ${d.toExponential(2)}`).join(", ")}`;
      t.diagnostic(line);
      console.log(line);
      diffs.forEach((d, l) => assert.ok(d < TOLERANCE, `layer ${l}: ${d}`));
    });

    test(`${name}: τ = 2, layer 2 and layer sets match the tfjs engine within ${TOLERANCE}`, async (t) => {
      const short = texts.slice(0, 12);
      const compare = async (options: { attentionTemperature?: number; layer?: number }) => {
        const a = await onnx.embed(short, { ...options, normalize: false, pooling: "mean" });
        const b = await tfjs.embed(short, { ...options, normalize: false, pooling: "mean" });
        return maxAbsDiff(a.data, b.data);
      };
      const tau = await compare({ attentionTemperature: 2 });
      const layer = await compare({ layer: 2 });
      const sets = [[2], [1, 2, 3, 4]];
      const a = await onnx.embedLayerSets(short, sets, ["mean", "cls"]);
      const b = await tfjs.embedLayerSets(short, sets, ["mean", "cls"]);
      const layerSets = Math.max(...[...a.keys()].map((k) => maxAbsDiff(a.get(k)!.data, b.get(k)!.data)));
      const line = `${name} onnxruntime vs tfjs: τ=2 ${tau.toExponential(2)}, layer 2 ${layer.toExponential(2)}, layer sets ${layerSets.toExponential(2)}`;
      t.diagnostic(line);
      console.log(line);
      assert.ok(tau < TOLERANCE && layer < TOLERANCE && layerSets < TOLERANCE, line);
    });

    test(`${name}: a padded batch equals texts one at a time; no tensors leak`, async () => {
      const short = texts.slice(0, 6);
      const before = tf.memory().numTensors;
      const together = await onnx.embed(short, { pooling: "max", normalize: false });
      let worst = 0;
      for (let i = 0; i < short.length; i++) {
        const alone = await onnx.embed([short[i]], { pooling: "max", normalize: false });
        worst = Math.max(worst, maxAbsDiff(row(together, i), alone.data));
      }
      assert.ok(worst < 1e-5, `${worst}`);
      assert.equal(tf.memory().numTensors, before);
    });
  });
}

test("an unknown engine name is refused, naming the valid ones", async () => {
  const dir = path.join(assetsRoot(), "models", "shiftlab-mini-encoder");
  await assert.rejects(
    loadModel(dir, { engine: "torch" as never }),
    /Unknown engine "torch"; valid names: onnxruntime, tfjs/,
  );
});
