/**
 * Qwen3 decoder as a text encoder (Hugging Face Qwen3Model, e.g. Qwen/Qwen3-Embedding-0.6B), pre-RMSNorm:
 *
 *   each layer:  h = x + o(Attention(RMSNorm(x)));  x = h + down(SiLU(gate(RMSNorm(h))) · up(RMSNorm(h)))
 *   attention:   q, k per head RMSNorm-ed, then rotated (RoPE, positions 0..T-1); grouped-query (each key/value head serves
 *                heads / kv_heads query heads); causal
 *   output:      RMSNorm(x) after the last layer (last_hidden_state)
 *
 * RoPE is relative, so the same text gives the same states whether a batch pads it on the left (sentence-transformers, by the
 * tokenizer's padding_side) or on the right (this engine); last_token pooling finds the last real token either way.
 */
import * as tf from "@tensorflow/tfjs";
import { configInt, configNumber, configString, type ModelConfig } from "./checkpoint/config";
import {
  activation,
  activationNamed,
  attend,
  linear,
  MASKED_SCORE,
  mergeHeads,
  rmsNorm,
  splitHeads,
  StackedEncoder,
  type Activation,
  type Dense,
  type LayerInputs,
  type ScaleNorm,
} from "./layers";
import { findPrefix, tensorsOf, WeightReader, type TensorSource } from "./weights";

export interface Qwen3Config {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKeyValueHeads: number;
  headSize: number;
  intermediateSize: number;
  maxPositions: number;
  rmsNormEps: number;
  ropeTheta: number;
  hiddenAct: Activation;
}

export function qwen3ConfigFromJson(config: ModelConfig): Qwen3Config {
  const json = config.json;
  if (json.use_sliding_window === true)
    throw new Error(`${config.file}: use_sliding_window true is not supported (only full attention)`);
  // transformers 5 writes rope_parameters {rope_theta, rope_type}; the published configs have top-level rope_theta / rope_scaling
  const rope = (
    typeof json.rope_parameters === "object" && json.rope_parameters !== null ? json.rope_parameters : {}
  ) as Record<string, unknown>;
  const ropeType =
    rope.rope_type ?? (json.rope_scaling as Record<string, unknown> | null | undefined)?.rope_type ?? "default";
  if (ropeType !== "default")
    throw new Error(`${config.file}: rope type ${JSON.stringify(ropeType)} is not supported (only "default")`);
  const ropeTheta = typeof rope.rope_theta === "number" ? rope.rope_theta : configNumber(config, "rope_theta", 10000);
  const hiddenSize = configInt(config, "hidden_size");
  const numHeads = configInt(config, "num_attention_heads");
  const c: Qwen3Config = {
    vocabSize: configInt(config, "vocab_size"),
    hiddenSize,
    numLayers: configInt(config, "num_hidden_layers"),
    numHeads,
    numKeyValueHeads: configInt(config, "num_key_value_heads", numHeads),
    headSize: configInt(config, "head_dim", Math.floor(hiddenSize / numHeads)),
    intermediateSize: configInt(config, "intermediate_size"),
    maxPositions: configInt(config, "max_position_embeddings"),
    rmsNormEps: configNumber(config, "rms_norm_eps", 1e-6),
    ropeTheta,
    hiddenAct: activationNamed(configString(config, "hidden_act", "silu"), config.file),
  };
  if (c.numHeads % c.numKeyValueHeads !== 0)
    throw new Error(
      `${config.file}: num_attention_heads ${c.numHeads} is not a multiple of num_key_value_heads ${c.numKeyValueHeads}`,
    );
  if (c.headSize % 2 !== 0)
    throw new Error(`${config.file}: head_dim ${c.headSize} must be even for rotary embeddings`);
  return c;
}

// ---- weights ----

type Qwen3LayerWeights = {
  inputNorm: ScaleNorm;
  query: Dense;
  key: Dense;
  value: Dense;
  output: Dense;
  queryNorm: ScaleNorm;
  keyNorm: ScaleNorm;
  postAttentionNorm: ScaleNorm;
  gate: Dense;
  up: Dense;
  down: Dense;
};

export type Qwen3Weights = {
  tokenEmbeddings: tf.Tensor2D;
  layers: Qwen3LayerWeights[];
  finalNorm: ScaleNorm;
};

/** Bare Qwen3Model names (Qwen3-Embedding), or under "model." (Qwen3ForCausalLM checkpoints). */
export function qwen3WeightsFromCheckpoint(ckpt: TensorSource, c: Qwen3Config): Qwen3Weights {
  return tf.tidy(() => mapQwen3(new WeightReader(ckpt, findPrefix(ckpt, "embed_tokens.weight", ["", "model."])), c));
}

function mapQwen3(w: WeightReader, c: Qwen3Config): Qwen3Weights {
  const H = c.hiddenSize;
  const dq = c.numHeads * c.headSize;
  const dkv = c.numKeyValueHeads * c.headSize;
  return {
    tokenEmbeddings: w.matrix("embed_tokens.weight", c.vocabSize, H),
    finalNorm: w.rmsNorm("norm", H),
    layers: Array.from({ length: c.numLayers }, (_, i) => {
      const l = `layers.${i}`;
      return {
        inputNorm: w.rmsNorm(`${l}.input_layernorm`, H),
        query: w.dense(`${l}.self_attn.q_proj`, H, dq, false),
        key: w.dense(`${l}.self_attn.k_proj`, H, dkv, false),
        value: w.dense(`${l}.self_attn.v_proj`, H, dkv, false),
        output: w.dense(`${l}.self_attn.o_proj`, dq, H, false),
        queryNorm: w.rmsNorm(`${l}.self_attn.q_norm`, c.headSize),
        keyNorm: w.rmsNorm(`${l}.self_attn.k_norm`, c.headSize),
        postAttentionNorm: w.rmsNorm(`${l}.post_attention_layernorm`, H),
        gate: w.dense(`${l}.mlp.gate_proj`, H, c.intermediateSize, false),
        up: w.dense(`${l}.mlp.up_proj`, H, c.intermediateSize, false),
        down: w.dense(`${l}.mlp.down_proj`, c.intermediateSize, H, false),
      };
    }),
  };
}

// ---- model ----

/**
 * cos and sin of position t · inv_freq, row-major [T, dh] (each frequency twice: the halves layout of rotate_half); inv_freq
 * and the angle are rounded to float32 as PyTorch computes them. Shared with the ONNX graph (onnx/qwen3_graph.ts).
 */
export function rotaryAngles(
  length: number,
  headSize: number,
  theta: number,
): { cos: Float32Array; sin: Float32Array } {
  const half = headSize / 2;
  const cos = new Float32Array(length * headSize);
  const sin = new Float32Array(length * headSize);
  for (let i = 0; i < half; i++) {
    const invFreq = Math.fround(1 / Math.pow(theta, (2 * i) / headSize));
    for (let t = 0; t < length; t++) {
      const angle = Math.fround(t * invFreq);
      for (const j of [i, i + half]) {
        cos[t * headSize + j] = Math.cos(angle);
        sin[t * headSize + j] = Math.sin(angle);
      }
    }
  }
  return { cos, sin };
}

function rotaryTables(length: number, headSize: number, theta: number): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
  const { cos, sin } = rotaryAngles(length, headSize, theta);
  return { cos: tf.tensor2d(cos, [length, headSize]), sin: tf.tensor2d(sin, [length, headSize]) };
}

/** [dh, dh] matrix R with x R = rotate_half(x) = [-x2, x1]: a 2-D matMul instead of slicing and concatenating */
function rotateHalfMatrix(headSize: number): tf.Tensor2D {
  const half = headSize / 2;
  const r = new Float32Array(headSize * headSize);
  for (let j = 0; j < half; j++) {
    r[(j + half) * headSize + j] = -1;
    r[j * headSize + j + half] = 1;
  }
  return tf.tensor2d(r, [headSize, headSize]);
}

export class Qwen3Encoder extends StackedEncoder {
  readonly modelType = "qwen3";
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly maxPositions: number;
  private readonly rotateHalf: tf.Tensor2D;
  /** cos/sin tables for the longest input so far (a shorter one uses their first rows), kept across calls */
  private rotary: { length: number; cos: tf.Tensor2D; sin: tf.Tensor2D } | undefined;

  constructor(
    readonly config: Qwen3Config,
    private readonly weights: Qwen3Weights,
  ) {
    super();
    this.hiddenSize = config.hiddenSize;
    this.numLayers = config.numLayers;
    this.maxPositions = config.maxPositions;
    this.rotateHalf = rotateHalfMatrix(config.headSize);
  }

  protected embed(ids: tf.Tensor2D): tf.Tensor2D {
    const [batch, length] = ids.shape;
    return tf.gather(this.weights.tokenEmbeddings, ids.reshape([batch * length])) as tf.Tensor2D;
  }

  /** [1, T, T] causal mask: query i sees keys 0..i */
  protected override scoreBias(length: number): tf.Tensor3D {
    const bias = new Float32Array(length * length);
    for (let i = 0; i < length; i++) for (let j = i + 1; j < length; j++) bias[i * length + j] = MASKED_SCORE;
    return tf.tensor3d(bias, [1, length, length]);
  }

  private rotaryFor(length: number): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
    if (this.rotary === undefined || this.rotary.length < length) {
      if (this.rotary !== undefined) tf.dispose([this.rotary.cos, this.rotary.sin]);
      const tables = rotaryTables(length, this.config.headSize, this.config.ropeTheta);
      this.rotary = { length, cos: tf.keep(tables.cos), sin: tf.keep(tables.sin) };
    }
    const { cos, sin } = this.rotary;
    if (this.rotary.length === length) return { cos, sin };
    return { cos: cos.slice([0, 0], [length, -1]), sin: sin.slice([0, 0], [length, -1]) };
  }

  /** per-head RMSNorm, then RoPE, of a [B*T, heads*dh] projection */
  private normAndRotate(
    x: tf.Tensor2D,
    norm: ScaleNorm,
    heads: number,
    batch: number,
    length: number,
    rope: { cos: tf.Tensor2D; sin: tf.Tensor2D },
  ): tf.Tensor2D {
    const dh = this.config.headSize;
    const normed = rmsNorm(x.reshape([batch * length * heads, dh]), norm, this.config.rmsNormEps);
    const rotated = tf.matMul(normed, this.rotateHalf);
    const table = (t: tf.Tensor2D) => t.reshape([1, length, 1, dh]);
    const shape: [number, number, number, number] = [batch, length, heads, dh];
    return normed
      .reshape(shape)
      .mul(table(rope.cos))
      .add(rotated.reshape(shape).mul(table(rope.sin)))
      .reshape([batch * length, heads * dh]);
  }

  /** [B*T, kv*dh] → [B*T, heads*dh], each key/value head repeated for its group of query heads (repeat_kv) */
  private repeatKeyValue(x: tf.Tensor2D): tf.Tensor2D {
    const { numHeads, numKeyValueHeads, headSize } = this.config;
    if (numHeads === numKeyValueHeads) return x;
    const rows = x.shape[0];
    return tf
      .tile(x.reshape([rows, numKeyValueHeads, 1, headSize]), [1, 1, numHeads / numKeyValueHeads, 1])
      .reshape([rows, numHeads * headSize]);
  }

  protected layer(x: tf.Tensor2D, i: number, inputs: LayerInputs): tf.Tensor2D {
    const p = this.weights.layers[i];
    const c = this.config;
    const { batch, length } = inputs;
    const rope = this.rotaryFor(length);
    const n = rmsNorm(x, p.inputNorm, c.rmsNormEps);
    const q = this.normAndRotate(linear(n, p.query), p.queryNorm, c.numHeads, batch, length, rope).mul(
      1 / Math.sqrt(c.headSize),
    ) as tf.Tensor2D;
    const k = this.repeatKeyValue(
      this.normAndRotate(linear(n, p.key), p.keyNorm, c.numKeyValueHeads, batch, length, rope),
    );
    const v = this.repeatKeyValue(linear(n, p.value));
    const context = attend(
      splitHeads(q, batch, length, c.numHeads),
      splitHeads(k, batch, length, c.numHeads, true),
      splitHeads(v, batch, length, c.numHeads),
      inputs.keyBias,
      inputs.scoreBias,
      inputs.attentionTemperature,
    );
    const h: tf.Tensor2D = x.add(linear(mergeHeads(context, batch, length, c.numHeads), p.output));
    const m = rmsNorm(h, p.postAttentionNorm, c.rmsNormEps);
    const gated = activation(linear(m, p.gate), c.hiddenAct).mul(linear(m, p.up)) as tf.Tensor2D;
    return h.add(linear(gated, p.down));
  }

  protected override finish(x: tf.Tensor2D): tf.Tensor2D {
    return rmsNorm(x, this.weights.finalNorm, this.config.rmsNormEps);
  }

  dispose(): void {
    tf.dispose([...tensorsOf(this.weights), this.rotateHalf]);
    if (this.rotary !== undefined) tf.dispose([this.rotary.cos, this.rotary.sin]);
    this.rotary = undefined;
  }
}

export function loadQwen3(config: ModelConfig, checkpoint: TensorSource): Qwen3Encoder {
  const c = qwen3ConfigFromJson(config);
  return new Qwen3Encoder(c, qwen3WeightsFromCheckpoint(checkpoint, c));
}
