/**
 * The pieces every Transformer file shares: dense layers, norms, activations, multi-head attention, the post-LayerNorm encoder
 * layer of BERT, RoBERTa and MPNet, and StackedEncoder, which runs embeddings → layers and implements TokenEncoder.
 *
 * Dense layers run on [B*T, H] 2-D matrices (rank-3 matMul is about 12x slower on the wasm backend); only the two attention
 * products are batched matMuls.
 */
import * as tf from "@tensorflow/tfjs";
import type { ForwardOptions, TokenEncoder } from "./token_encoder";

/** A Linear layer stored as [in, out] (the checkpoint's [out, in], transposed once at load). */
export type Dense = {
  weight: tf.Tensor2D;
  bias: tf.Tensor1D | undefined;
};

export type Norm = {
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
};

/** RMSNorm: a scale only */
export type ScaleNorm = {
  gamma: tf.Tensor1D;
};

export type Activation = "gelu" | "gelu_new" | "relu" | "silu";
const ACTIVATIONS: Record<string, Activation> = {
  gelu: "gelu",
  gelu_new: "gelu_new",
  gelu_pytorch_tanh: "gelu_new",
  relu: "relu",
  silu: "silu",
  swish: "silu",
};

/** config.json's hidden_act, checked against what activation() implements. */
export function activationNamed(name: string, file: string): Activation {
  if (!Object.hasOwn(ACTIVATIONS, name))
    throw new Error(
      `${file}: hidden_act "${name}" is not supported (supported: ${Object.keys(ACTIVATIONS).join(", ")})`,
    );
  return ACTIVATIONS[name];
}

export function linear(x: tf.Tensor2D, p: Dense): tf.Tensor2D {
  return tf.fused.matMul({ a: x, b: p.weight, bias: p.bias }) as tf.Tensor2D;
}

export function layerNorm(x: tf.Tensor2D, p: Norm, eps: number): tf.Tensor2D {
  const mean = x.mean(-1, true);
  const centered = x.sub(mean);
  const variance = centered.square().mean(-1, true);
  return centered.mul(variance.add(eps).rsqrt()).mul(p.gamma).add(p.beta);
}

/** x / sqrt(mean(x²) + eps) · gamma over the last axis */
export function rmsNorm(x: tf.Tensor2D, p: ScaleNorm, eps: number): tf.Tensor2D {
  return x.mul(x.square().mean(-1, true).add(eps).rsqrt()).mul(p.gamma);
}

export function activation(x: tf.Tensor2D, kind: Activation): tf.Tensor2D {
  if (kind === "relu") return tf.relu(x);
  if (kind === "silu") return x.mul(tf.sigmoid(x));
  if (kind === "gelu_new") {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(0.5).mul(inner.tanh().add(1));
  }
  // exact GELU: 0.5 x (1 + erf(x / sqrt 2))
  return x.mul(0.5).mul(tf.erf(x.mul(Math.SQRT1_2)).add(1));
}

/** [B*T, heads*dh] → [B*heads, T, dh], or with keysFirst [B*heads, dh, T] (so the score product needs no transposed operand) */
export function splitHeads(
  x: tf.Tensor2D,
  batch: number,
  length: number,
  heads: number,
  keysFirst = false,
): tf.Tensor3D {
  const headSize = x.shape[1] / heads;
  const perm = keysFirst ? [0, 2, 3, 1] : [0, 2, 1, 3];
  const shape: [number, number, number] = keysFirst
    ? [batch * heads, headSize, length]
    : [batch * heads, length, headSize];
  return x.reshape([batch, length, heads, headSize]).transpose(perm).reshape(shape);
}

/** [B*heads, T, dh] → [B*T, heads*dh] */
export function mergeHeads(context: tf.Tensor3D, batch: number, length: number, heads: number): tf.Tensor2D {
  const headSize = context.shape[2];
  return context
    .reshape([batch, heads, length, headSize])
    .transpose([0, 2, 1, 3])
    .reshape([batch * length, heads * headSize]);
}

/** Added to attention scores of padding keys: exp() of it is exactly 0 in float32. */
export const MASKED_SCORE = -1e9;

/** [B, T] 0/1 mask → [B, 1, 1, T] additive key bias */
export function paddingBias(mask: tf.Tensor2D): tf.Tensor4D {
  const [batch, length] = mask.shape;
  return tf.sub(1, tf.cast(mask, "float32")).mul(MASKED_SCORE).reshape([batch, 1, 1, length]) as tf.Tensor4D;
}

/**
 * softmax(q kT + keyBias + scoreBias) v for every (text, head) pair. keyBias [B, 1, 1, T] masks padding; scoreBias, when given,
 * is [heads, T, T] (MPNet's relative positions) or [1, T, T] (a causal mask), the same for every text.
 *
 * temperature τ (TempScale, Zhou et al. 2024) divides the content logits q·k/√dh by τ; the additive biases (padding, causal mask,
 * MPNet's relative positions) are left as they are, so masked keys stay masked for any τ. τ = 1 skips the multiply (bit-identical).
 *
 * One batched matMul is fastest on GPUs and for short texts, but the wasm backend's batched matMul slows down with length
 * (4,096 tokens, 4 heads: 1.7 s batched vs 0.38 s looped at T = 512; break-even near T = 128), so long batches there loop over
 * (text, head) with 2-D products instead.
 */
export function attend(
  q: tf.Tensor3D,
  kT: tf.Tensor3D,
  v: tf.Tensor3D,
  keyBias: tf.Tensor4D,
  scoreBias?: tf.Tensor3D,
  temperature = 1,
): tf.Tensor3D {
  if (temperature !== 1) q = q.mul(1 / temperature);
  const [pairs, length] = q.shape;
  const [batch] = keyBias.shape;
  const heads = pairs / batch;
  if (tf.getBackend() !== "wasm" || length < LOOP_ATTENTION_FROM_LENGTH) {
    let scores = tf.matMul(q, kT).reshape([batch, heads, length, length]).add(keyBias);
    if (scoreBias !== undefined) scores = scores.add(scoreBias.expandDims(0));
    return tf.matMul(tf.softmax(scores).reshape([pairs, length, length]) as tf.Tensor3D, v);
  }
  const keyRows = keyBias.reshape([batch, length]);
  const contexts: tf.Tensor2D[] = [];
  for (let i = 0; i < pairs; i++) {
    // gather, not slice: the wasm slice kernel copies the whole source tensor on every call
    const pick = (t: tf.Tensor3D) => tf.gather(t, i) as tf.Tensor as tf.Tensor2D;
    contexts.push(
      tf.tidy(() => {
        let scores = tf.matMul(pick(q), pick(kT)).add(tf.gather(keyRows, Math.floor(i / heads)));
        if (scoreBias !== undefined)
          scores = scores.add(tf.gather(scoreBias, scoreBias.shape[0] === 1 ? 0 : i % heads));
        return tf.matMul(tf.softmax(scores) as tf.Tensor2D, pick(v));
      }),
    );
  }
  return tf.stack(contexts) as tf.Tensor3D;
}

/** Sequence length from which attend() loops on the wasm backend. */
const LOOP_ATTENTION_FROM_LENGTH = 128;

/** The weights of one BERT-style layer, whatever the checkpoint calls them. */
export type PostNormLayerWeights = {
  query: Dense;
  key: Dense;
  value: Dense;
  attentionOutput: Dense;
  attentionNorm: Norm;
  intermediate: Dense;
  output: Dense;
  outputNorm: Norm;
};

export interface PostNormShape {
  numHeads: number;
  layerNormEps: number;
  hiddenAct: Activation;
}

/** a = LayerNorm(x + Dense(SelfAttention(x)));  out = LayerNorm(a + Dense(act(Dense(a)))); temperature: see attend() */
export function postNormLayer(
  x: tf.Tensor2D,
  keyBias: tf.Tensor4D,
  scoreBias: tf.Tensor3D | undefined,
  p: PostNormLayerWeights,
  c: PostNormShape,
  temperature = 1,
): tf.Tensor2D {
  const [batch, , , length] = keyBias.shape;
  const headSize = x.shape[1] / c.numHeads;
  const q = splitHeads(linear(x, p.query).mul(1 / Math.sqrt(headSize)) as tf.Tensor2D, batch, length, c.numHeads);
  const kT = splitHeads(linear(x, p.key), batch, length, c.numHeads, true);
  const v = splitHeads(linear(x, p.value), batch, length, c.numHeads);
  const context = mergeHeads(attend(q, kT, v, keyBias, scoreBias, temperature), batch, length, c.numHeads);
  const attended = layerNorm(x.add(linear(context, p.attentionOutput)), p.attentionNorm, c.layerNormEps);
  const hidden = activation(linear(attended, p.intermediate), c.hiddenAct);
  return layerNorm(attended.add(linear(hidden, p.output)), p.outputNorm, c.layerNormEps);
}

/** What one forward pass shares across layers: the padding bias and any per-architecture score bias. */
export interface LayerInputs {
  batch: number;
  length: number;
  keyBias: tf.Tensor4D;
  scoreBias?: tf.Tensor3D;
  /** attention temperature τ for every layer (1 = the model as trained) */
  attentionTemperature: number;
}

/** τ checked: a finite number > 0 (undefined → 1). */
export function checkAttentionTemperature(temperature: number | undefined, who: string): number {
  if (temperature === undefined) return 1;
  if (typeof temperature !== "number" || !Number.isFinite(temperature) || temperature <= 0) {
    throw new Error(`${who}: attentionTemperature must be a finite number > 0, got ${JSON.stringify(temperature)}`);
  }
  return temperature;
}

/**
 * TokenEncoder for an embeddings → layers stack. An architecture supplies embed(), layer() and, if it has one, a final norm
 * (finish, applied to the last layer's output only, as Hugging Face's last_hidden_state does).
 */
export abstract class StackedEncoder implements TokenEncoder {
  abstract readonly modelType: string;
  abstract readonly hiddenSize: number;
  abstract readonly numLayers: number;
  abstract readonly maxPositions: number;

  /** [B*T, H] embedding output (int32 ids) */
  protected abstract embed(ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D;
  /** layer i of the stack */
  protected abstract layer(x: tf.Tensor2D, i: number, inputs: LayerInputs): tf.Tensor2D;
  /** score bias shared by all layers (relative positions, a causal mask), if any */
  protected scoreBias(_length: number): tf.Tensor3D | undefined {
    return undefined;
  }
  protected finish(x: tf.Tensor2D): tf.Tensor2D {
    return x;
  }
  abstract dispose(): void;

  forward(ids: tf.Tensor2D, mask: tf.Tensor2D, layer = this.numLayers, options: ForwardOptions = {}): tf.Tensor3D {
    if (!Number.isInteger(layer) || layer < 0 || layer > this.numLayers)
      throw new Error(`${this.name()}: layer must be 0..${this.numLayers}, got ${layer}`);
    return tf.tidy(() => this.run(ids, mask, layer, false, options)[0]);
  }

  forwardAllLayers(ids: tf.Tensor2D, mask: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D[] {
    return tf.tidy(() => this.run(ids, mask, this.numLayers, true, options));
  }

  private name(): string {
    return this.constructor.name;
  }

  /**
   * Hidden states as [B, T, H]: of layers 0..lastLayer when keepAll, else only of lastLayer. Call inside tidy. Each layer runs
   * in its own tidy, so memory holds one layer's intermediates (attention probabilities are B * heads * T^2 floats) at a time.
   */
  private run(
    ids: tf.Tensor2D,
    mask: tf.Tensor2D,
    lastLayer: number,
    keepAll: boolean,
    options: ForwardOptions,
  ): tf.Tensor3D[] {
    const [batch, length] = ids.shape;
    if (length > this.maxPositions)
      throw new Error(`${this.name()}: ${length} tokens exceed the model's ${this.maxPositions} positions`);
    if (mask.shape[0] !== batch || mask.shape[1] !== length)
      throw new Error(`${this.name()}: mask shape [${mask.shape}] differs from ids [${ids.shape}]`);
    const attentionTemperature = checkAttentionTemperature(options.attentionTemperature, this.name());
    const inputs: LayerInputs = {
      batch,
      length,
      keyBias: paddingBias(mask),
      scoreBias: this.scoreBias(length),
      attentionTemperature,
    };
    let x = tf.tidy(() => this.embed(tf.cast(ids, "int32"), mask));
    const kept: tf.Tensor2D[] = [];
    for (let i = 0; i < lastLayer; i++) {
      const input = x;
      x = tf.tidy(() => this.layer(input, i, inputs));
      if (keepAll) kept.push(input);
      else input.dispose();
    }
    if (lastLayer === this.numLayers) {
      const last = x;
      x = tf.tidy(() => this.finish(last));
      if (x !== last) last.dispose();
    }
    kept.push(x);
    return kept.map((states) => states.reshape([batch, length, this.hiddenSize]));
  }
}

/** ids ≠ padding id → 1, as fairseq-style models (RoBERTa, MPNet) derive positions from ids, not from the attention mask */
function notPadding(ids: tf.Tensor2D, paddingIdx: number): tf.Tensor2D {
  return tf.cast(tf.notEqual(ids, paddingIdx), "int32") as tf.Tensor2D;
}

/** fairseq positions: cumsum(notPad)·notPad + padding_idx, so real tokens count from padding_idx + 1 and padding gets padding_idx */
export function offsetPositionIds(ids: tf.Tensor2D, paddingIdx: number): tf.Tensor2D {
  const real = notPadding(ids, paddingIdx);
  return tf.cumsum(real, 1).mul(real).add(tf.scalar(paddingIdx, "int32")) as tf.Tensor2D;
}
