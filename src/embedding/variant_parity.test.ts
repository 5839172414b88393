/**
 * The two variants of the mini encoder in the shared assets (issue: shared model variants), each loaded with its own defaults
 * and checked against its PyTorch reference (reference/parity.json): shiftlab-mini-mlm (mean pooling, no Normalize) and
 * shiftlab-mini-cls (CLS pooling + Normalize, bge-style). Both store F16 weights, read as F16 and computed in float32.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { assetsRoot } from "../assets/paths";
import { loadModel, type EncoderModelInfo, POOLING_MODES, row } from "../index";
import { float16ToFloat32, openCheckpoint, readSafetensors } from "../encoders/checkpoint/safetensors";
import { maxAbsDiff } from "../testing/compare";
import { quietly } from "../testing/quiet";
import { unitVector64 as unit } from "../metrics/vectors";

interface Parity {
  items: { text: string; input_ids: number[]; pooled: Record<string, number[]> }[];
  layers_of_first_item: { hidden_states: number[][] };
}

const variants = [
  { name: "shiftlab-mini-mlm", pooling: "mean", normalize: false, source: "1_Pooling/config.json (modules.json)" },
  {
    name: "shiftlab-mini-cls",
    pooling: "cls",
    normalize: true,
    source: "1_Pooling/config.json + Normalize (modules.json)",
  },
] as const;

for (const variant of variants) {
  const dir = path.join(assetsRoot(), "models", variant.name);
  const parity: Parity = JSON.parse(readFileSync(path.join(dir, "reference", "parity.json"), "utf8"));
  const texts = parity.items.map((it) => it.text);

  test(`${variant.name}: F16 weights are read as F16 (every tensor, values widened exactly)`, async () => {
    const checkpoint = await openCheckpoint(dir);
    const { dtypes, parameters } = checkpoint.storage();
    assert.deepEqual(Object.keys(dtypes), ["F16"]);
    assert.ok(parameters > 1e6, `${parameters}`);
    // the widened values are exactly the half-precision bit patterns of the file, decoded
    const file = await readSafetensors(path.join(dir, "model.safetensors"));
    const name = file.names().find((n) => n.endsWith("word_embeddings.weight")) as string;
    const { begin, end } = file.entry(name);
    const raw = readFileSync(path.join(dir, "model.safetensors")).subarray(begin, begin + Math.min(end - begin, 4096));
    const halves = new Uint16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
    assert.deepEqual(
      Array.from(checkpoint.read(name).subarray(0, halves.length)),
      Array.from(float16ToFloat32(halves)),
    );
  });

  test(`${variant.name}: its own defaults (${variant.pooling}${variant.normalize ? " + Normalize" : ", no Normalize"}) match the reference within 1e-4`, async (t) => {
    const model = await loadModel(dir);
    try {
      const info = model.info as EncoderModelInfo;
      assert.deepEqual(
        [
          info.name,
          info.modelType,
          info.hiddenSize,
          info.numLayers,
          info.defaultPooling,
          info.normalize,
          info.poolingSource,
        ],
        [variant.name, "bert", 256, 4, variant.pooling, variant.normalize, variant.source],
      );
      assert.deepEqual(info.weightDtypes, { F16: Object.values(info.weightDtypes)[0] });
      const { countTokens } = model; // unbound on purpose: a researcher passes it around like this
      assert.deepEqual(
        countTokens(texts.slice(0, 12)),
        parity.items.slice(0, 12).map((it) => it.input_ids.length),
      );

      const byDefault = await quietly(() => model.embed(texts));
      const expected = parity.items.map((it) =>
        variant.normalize ? unit(it.pooled[variant.pooling]) : it.pooled[variant.pooling],
      );
      const worst = Math.max(...expected.map((e, i) => maxAbsDiff(row(byDefault, i), e)));
      const norms = Array.from({ length: byDefault.rows }, (_, i) => Math.hypot(...row(byDefault, i)));
      t.diagnostic(`${variant.name} defaults max |diff|: ${worst.toExponential(2)}`);
      console.log(`${variant.name} defaults max |diff|: ${worst.toExponential(2)}`);
      assert.ok(worst < 1e-4, `${worst}`);
      if (variant.normalize) assert.ok(norms.every((n) => Math.abs(n - 1) < 1e-5));
      else
        assert.ok(
          norms.some((n) => Math.abs(n - 1) > 0.1),
          "without Normalize the rows keep their own lengths",
        );

      const perMode: string[] = [];
      for (const mode of POOLING_MODES) {
        const m = await quietly(() => model.embed(texts, { pooling: mode, normalize: false }));
        const diff = Math.max(...parity.items.map((it, i) => maxAbsDiff(row(m, i), it.pooled[mode])));
        perMode.push(`${mode} ${diff.toExponential(2)}`);
        assert.ok(diff < 1e-4, `${mode}: ${diff}`);
      }
      t.diagnostic(`${variant.name} pooled max |diff|: ${perMode.join(", ")}`);

      const layers = parity.layers_of_first_item.hidden_states;
      for (let layer = 0; layer < layers.length; layer++) {
        const states = await model.tokenStates(texts[0], { layer });
        assert.ok(maxAbsDiff(states.states.data, layers[layer]) < 1e-4, `layer ${layer}`);
      }
    } finally {
      model.dispose();
    }
  });
}
