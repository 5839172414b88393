/** Qwen3 on a tiny BF16 checkpoint in Qwen/Qwen3-Embedding-0.6B's layout (see src/testing/architecture_parity.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { architectureParityTests, perLayer } from "../testing/architecture_parity";
import { buildEncoder } from "./registry";
import { qwen3ConfigFromJson } from "./qwen3";
import { readModelConfig } from "./checkpoint/config";
import { openCheckpoint } from "./checkpoint/safetensors";

// Qwen3Model(config).state_dict() for Qwen3-Embedding-0.6B's published config (28 layers, bare names, BF16)
const LAYER = [
  "input_layernorm.weight",
  "self_attn.q_proj.weight",
  "self_attn.k_proj.weight",
  "self_attn.v_proj.weight",
  "self_attn.o_proj.weight",
  "self_attn.q_norm.weight",
  "self_attn.k_norm.weight",
  "post_attention_layernorm.weight",
  "mlp.gate_proj.weight",
  "mlp.up_proj.weight",
  "mlp.down_proj.weight",
];
architectureParityTests("qwen3", {
  name: "Qwen/Qwen3-Embedding-0.6B",
  tensors: ["embed_tokens.weight", ...perLayer("layers.", 28, LAYER), "norm.weight"],
  unused: [],
  prefixes: ["model."],
  dtype: "BF16",
});

test("qwen3: past 128 tokens (looped attention on wasm) the first tokens' states equal those of the prefix alone (causal)", async (t) => {
  const dir = path.join(__dirname, "testdata", "qwen3");
  const encoder = buildEncoder(await readModelConfig(dir), await openCheckpoint(dir));
  const long = Array.from({ length: 140 }, (_, i) => 3 + ((i * 37) % 300));
  const states = (ids: number[]) => {
    const idsT = tf.tensor2d([ids], undefined, "int32");
    const maskT = tf.onesLike(idsT);
    const out = encoder.forward(idsT, maskT);
    const rows = out.arraySync()[0];
    tf.dispose([idsT, maskT, out]);
    return rows;
  };
  const whole = states(long).slice(0, 20).flat();
  const prefix = states(long.slice(0, 20)).flat();
  const diff = Math.max(...whole.map((x, i) => Math.abs(x - prefix[i])));
  t.diagnostic(`${tf.getBackend()}: max |diff| ${diff.toExponential(2)}`);
  assert.ok(diff < 1e-5, `${diff}`);
  encoder.dispose();
});

test("qwen3: the published config's style (top-level rope_theta, rope_scaling null) reads like transformers 5's rope_parameters", () => {
  const published = {
    architectures: ["Qwen3ForCausalLM"],
    model_type: "qwen3",
    hidden_size: 1024,
    num_hidden_layers: 28,
    num_attention_heads: 16,
    num_key_value_heads: 8,
    head_dim: 128,
    intermediate_size: 3072,
    max_position_embeddings: 32768,
    rms_norm_eps: 1e-6,
    rope_theta: 1000000,
    rope_scaling: null,
    hidden_act: "silu",
    use_sliding_window: false,
    sliding_window: null,
    tie_word_embeddings: true,
    torch_dtype: "bfloat16",
    vocab_size: 151669,
  };
  const c = qwen3ConfigFromJson({
    file: "config.json",
    modelType: "qwen3",
    architecture: "Qwen3ForCausalLM",
    json: published,
  });
  assert.deepEqual([c.ropeTheta, c.headSize, c.numKeyValueHeads, c.hiddenAct], [1000000, 128, 8, "silu"]);
  const v5 = { ...published, rope_theta: undefined, rope_parameters: { rope_theta: 5000, rope_type: "default" } };
  assert.equal(
    qwen3ConfigFromJson({ file: "config.json", modelType: "qwen3", architecture: "", json: v5 }).ropeTheta,
    5000,
  );
  const yarn = { ...published, rope_scaling: { rope_type: "yarn", factor: 4 } };
  assert.throws(
    () => qwen3ConfigFromJson({ file: "config.json", modelType: "qwen3", architecture: "", json: yarn }),
    /rope type "yarn" is not supported/,
  );
  const sliding = { ...published, use_sliding_window: true };
  assert.throws(
    () => qwen3ConfigFromJson({ file: "config.json", modelType: "qwen3", architecture: "", json: sliding }),
    /use_sliding_window true/,
  );
});

test("qwen3: rotary tables are kept for the longest input and freed by dispose", async () => {
  const dir = path.join(__dirname, "testdata", "qwen3");
  const before = tf.memory().numTensors;
  const encoder = buildEncoder(await readModelConfig(dir), await openCheckpoint(dir));
  const loaded = tf.memory().numTensors;
  for (const length of [5, 9, 3]) {
    const idsT = tf.tensor2d([Array.from({ length }, (_, i) => 3 + i)], undefined, "int32");
    const maskT = tf.onesLike(idsT);
    tf.dispose([encoder.forward(idsT, maskT), idsT, maskT]);
  }
  assert.equal(tf.memory().numTensors, loaded + 2, "only the cos and sin tables stay");
  encoder.dispose();
  assert.equal(tf.memory().numTensors, before);
});
