/**
 * The proof every architecture file owes (used by src/encoders/<arch>.test.ts): on the tiny checkpoint that
 * scripts/fixtures/make_architecture_fixtures.py writes in the published layout, the tokenizer gives transformers' ids, and token
 * states and sentence-transformers' pooled vectors match the PyTorch reference within 1e-4, one text at a time and as a padded
 * batch; and the weight mapping reads every tensor of the published checkpoint except the ones named as unused.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadModel } from "../embedding/load_model";
import type { EmbeddingModel } from "../embedding/model";
import { poolTokenStates } from "../embedding/pool";
import { buildEncoder, type TokenEncoder } from "../encoders/registry";
import { padIds } from "../encoders/batching";
import { readModelConfig, readSentenceEmbeddingSetup, type ModelConfig } from "../encoders/checkpoint/config";
import { openCheckpoint } from "../encoders/checkpoint/safetensors";
import type { TensorSource } from "../encoders/weights";
import type { PaddedBatch } from "../encoders/states_engine";
import { loadTokenizer } from "../tokens/tokenizer";
import { maxAbsDiff } from "./compare";

interface Reference {
  model_type: string;
  single: { text: string; input_ids: number[]; states: number[][]; pooled: number[] }[];
  batch: { padding_side: string; states: number[][][]; pooled: number[][] };
  long: { input_ids: number[]; states: number[][] };
}

export interface PublishedCheckpoint {
  /** the Hugging Face repository the names come from */
  name: string;
  /** its tensor names (MPNetModel(config).state_dict() of its published config, and so on) */
  tensors: string[];
  /** of those, the ones the encoder does not need (a pooler) */
  unused: string[];
  /** prefixes under which other checkpoints of the architecture store the same names (e.g. "mpnet.") */
  prefixes: string[];
  /** the dtype every tensor is published in */
  dtype: string;
}

/** `${prefix}N.${suffix}` for every layer N and suffix */
/** The tensors of one BERT-family layer (BERT, RoBERTa, XLM-R) as BertModel(config).state_dict() names them. */
export const BERT_LAYER_TENSORS = [
  "attention.self.query.weight",
  "attention.self.query.bias",
  "attention.self.key.weight",
  "attention.self.key.bias",
  "attention.self.value.weight",
  "attention.self.value.bias",
  "attention.output.dense.weight",
  "attention.output.dense.bias",
  "attention.output.LayerNorm.weight",
  "attention.output.LayerNorm.bias",
  "intermediate.dense.weight",
  "intermediate.dense.bias",
  "output.dense.weight",
  "output.dense.bias",
  "output.LayerNorm.weight",
  "output.LayerNorm.bias",
];

export function perLayer(prefix: string, layers: number, suffixes: string[]): string[] {
  return Array.from({ length: layers }, (_, i) => suffixes.map((s) => `${prefix}${i}.${s}`)).flat();
}

const TOLERANCE = 1e-4;

function normalized(row: number[]): number[] {
  const norm = Math.hypot(...row);
  return row.map((x) => x / Math.max(norm, 1e-12));
}

/** A checkpoint that has exactly `names` and records which ones a mapping reads (values are zeros of the asked shape). */
class NameOnlyCheckpoint implements TensorSource {
  readonly read_ = new Set<string>();
  constructor(
    readonly source: string,
    private readonly all: Set<string>,
  ) {}
  names(): string[] {
    return [...this.all];
  }
  has(name: string): boolean {
    return this.all.has(name);
  }
  read(name: string, shape: readonly number[] = [1]): Float32Array {
    if (!this.all.has(name)) throw new Error(`${this.source}: tensor "${name}" is missing`);
    this.read_.add(name);
    return new Float32Array(shape.reduce((a, b) => a * b, 1));
  }
}

export function architectureParityTests(arch: string, published: PublishedCheckpoint): void {
  const dir = path.join(__dirname, "..", "encoders", "testdata", arch);
  const reference: Reference = JSON.parse(readFileSync(path.join(dir, "reference.json"), "utf8"));
  let model: EmbeddingModel;
  let encoder: TokenEncoder;
  const report = (t: { diagnostic: (s: string) => void }, line: string) => {
    t.diagnostic(`${arch}: ${line}`);
    console.log(`${arch}: ${line}`);
  };

  before(async () => {
    model = await loadModel(dir);
    encoder = buildEncoder(await readModelConfig(dir), await openCheckpoint(dir));
  });
  after(() => {
    model?.dispose();
    encoder?.dispose();
  });

  test(`${arch}: the tokenizer gives transformers' ids; info reports the type, the stored dtype and the pooling`, async () => {
    for (const item of reference.single)
      assert.deepEqual((await model.tokenStates(item.text)).ids, item.input_ids, item.text);
    const info = model.info as unknown as { modelType: string; weightDtypes: Record<string, number> };
    assert.equal(info.modelType, reference.model_type);
    assert.deepEqual(Object.keys(info.weightDtypes), [published.dtype]);
  });

  test(`${arch}: single texts match transformers (token states) and sentence-transformers (pooled) within ${TOLERANCE}`, async (t) => {
    let states = 0;
    let pooled = 0;
    for (const item of reference.single) {
      states = Math.max(states, maxAbsDiff((await model.tokenStates(item.text)).states.data, item.states.flat()));
      pooled = Math.max(pooled, maxAbsDiff((await model.embed([item.text])).data, item.pooled));
    }
    report(t, `single max |diff|: token states ${states.toExponential(2)}, pooled ${pooled.toExponential(2)}`);
    assert.ok(states < TOLERANCE && pooled < TOLERANCE, `${states} ${pooled}`);
  });

  test(`${arch}: a padded batch matches the reference batch (${reference.batch.padding_side}-padded there) within ${TOLERANCE}`, async (t) => {
    const tokenizer = await loadTokenizer(dir);
    const setup = await readSentenceEmbeddingSetup(dir);
    const sequences = reference.single.map((s) => s.input_ids);
    const { ids, mask, rows, length } = padIds(sequences, tokenizer.padId);
    const idsT = tf.tensor2d(ids, [rows, length], "int32");
    const maskT = tf.tensor2d(mask, [rows, length], "int32");
    const statesT = encoder.forward(idsT, maskT);
    const pooledT = poolTokenStates(statesT, maskT, setup.pooling);
    const all = statesT.arraySync();
    const pooledRows = pooledT.arraySync();
    tf.dispose([idsT, maskT, statesT, pooledT]);
    let states = 0;
    let pooled = 0;
    sequences.forEach((seq, r) => {
      states = Math.max(states, maxAbsDiff(all[r].slice(0, seq.length).flat(), reference.batch.states[r].flat()));
      const row = setup.normalize ? normalized(pooledRows[r]) : pooledRows[r];
      pooled = Math.max(pooled, maxAbsDiff(row, reference.batch.pooled[r]));
    });
    const embedded = await model.embed(reference.single.map((s) => s.text));
    const viaEmbed = maxAbsDiff(embedded.data, reference.batch.pooled.flat());
    report(
      t,
      `batch max |diff|: token states ${states.toExponential(2)}, pooled ${pooled.toExponential(2)}, embed() ${viaEmbed.toExponential(2)}`,
    );
    assert.ok(states < TOLERANCE && pooled < TOLERANCE && viaEmbed < TOLERANCE, `${states} ${pooled} ${viaEmbed}`);
  });

  test(`${arch}: ${reference.long.input_ids.length} tokens (attention looped over heads on wasm) match within ${TOLERANCE}`, (t) => {
    const idsT = tf.tensor2d([reference.long.input_ids], undefined, "int32");
    const maskT = tf.onesLike(idsT);
    const statesT = encoder.forward(idsT, maskT);
    const diff = maxAbsDiff(statesT.dataSync(), reference.long.states.flat());
    tf.dispose([idsT, maskT, statesT]);
    report(t, `long input (${tf.getBackend()}) max |diff|: token states ${diff.toExponential(2)}`);
    assert.ok(diff < TOLERANCE, `${diff}`);
  });

  test(`${arch}: the weight mapping reads every tensor of ${published.name} but ${published.unused.join(", ") || "none"}`, async () => {
    const fixture = await readModelConfig(dir);
    const layers = new Set(
      published.tensors.map((n) => /(?:^|\.)layers?\.(\d+)\./.exec(n)?.[1]).filter((n) => n !== undefined),
    ).size;
    const config: ModelConfig = { ...fixture, json: { ...fixture.json, num_hidden_layers: layers } };
    for (const prefix of ["", ...published.prefixes]) {
      const names = published.tensors.map((n) => prefix + n);
      const fake = new NameOnlyCheckpoint(`${published.name} (prefix "${prefix}")`, new Set(names));
      const built = buildEncoder(config, fake);
      assert.equal(built.numLayers, layers);
      built.dispose();
      const unread = names.filter((n) => !fake.read_.has(n));
      assert.deepEqual(
        unread,
        published.unused.map((n) => prefix + n),
        `prefix "${prefix}"`,
      );
    }
  });
}

/** The tfjs encoder's hidden states of a padded batch, as arrays: after `layer`, or of every layer (engine parity tests). */
export function tfjsStates(
  encoder: TokenEncoder,
  batch: PaddedBatch,
  layer?: number,
  temperature?: number,
): Float32Array[] {
  return tf.tidy(() => {
    const ids = tf.tensor2d(batch.ids, [batch.rows, batch.length], "int32");
    const mask = tf.tensor2d(batch.mask, [batch.rows, batch.length], "int32");
    const states =
      layer === undefined
        ? encoder.forwardAllLayers(ids, mask)
        : [encoder.forward(ids, mask, layer, { attentionTemperature: temperature })];
    return states.map((s) => s.dataSync() as Float32Array);
  });
}
