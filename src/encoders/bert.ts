/**
 * BERT encoder (Hugging Face BertModel arithmetic, post-LayerNorm), written to read like the architecture:
 *
 *   embeddings = LayerNorm(word[id] + position[t] + token_type[0])
 *   each layer:  a = LayerNorm(x + Dense(SelfAttention(x)));  x = LayerNorm(a + Dense(GELU(Dense(a))))
 *
 * Dense layers run on [B*T, H] 2-D matrices (much faster than rank-3 matMul on the wasm backend); only the two attention
 * products are batched matMuls. Weights are loaded by one function, bertWeightsFromCheckpoint, which checks every shape.
 */
import * as tf from "@tensorflow/tfjs";
import type { TokenEncoder } from "./token_encoder";
import type { Checkpoint } from "./checkpoint/safetensors";
import { configInt, configNumber, configString, type ModelConfig } from "./checkpoint/config";

export interface BertConfig {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
  hiddenAct: Activation;
}

type Activation = "gelu" | "gelu_new" | "relu";
const ACTIVATIONS: Record<string, Activation> = { gelu: "gelu", gelu_new: "gelu_new", gelu_pytorch_tanh: "gelu_new", relu: "relu" };

export function bertConfigFromJson(config: ModelConfig): BertConfig {
  const act = configString(config, "hidden_act", "gelu");
  if (!(act in ACTIVATIONS)) throw new Error(`${config.file}: hidden_act "${act}" is not supported (supported: ${Object.keys(ACTIVATIONS).join(", ")})`);
  const positionType = configString(config, "position_embedding_type", "absolute");
  if (positionType !== "absolute") throw new Error(`${config.file}: position_embedding_type "${positionType}" is not supported (only "absolute")`);
  const c: BertConfig = {
    vocabSize: configInt(config, "vocab_size"),
    hiddenSize: configInt(config, "hidden_size"),
    numLayers: configInt(config, "num_hidden_layers"),
    numHeads: configInt(config, "num_attention_heads"),
    intermediateSize: configInt(config, "intermediate_size"),
    maxPositions: configInt(config, "max_position_embeddings", 512),
    typeVocabSize: configInt(config, "type_vocab_size", 2),
    layerNormEps: configNumber(config, "layer_norm_eps", 1e-12),
    hiddenAct: ACTIVATIONS[act],
  };
  if (c.hiddenSize % c.numHeads !== 0) throw new Error(`${config.file}: hidden_size ${c.hiddenSize} is not a multiple of num_attention_heads ${c.numHeads}`);
  return c;
}

// ---- weights ----

/** A Linear layer stored as [in, out] (the checkpoint's [out, in], transposed once at load: transposed matMul is slow on wasm). */
type Dense = {
  weight: tf.Tensor2D;
  bias: tf.Tensor1D;
}

type Norm = {
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
}

type BertLayerWeights = {
  query: Dense;
  key: Dense;
  value: Dense;
  attentionOutput: Dense;
  attentionNorm: Norm;
  intermediate: Dense;
  output: Dense;
  outputNorm: Norm;
}

export type BertWeights = {
  wordEmbeddings: tf.Tensor2D;
  positionEmbeddings: tf.Tensor2D;
  /** row 0 of token_type_embeddings: every token is segment A */
  tokenTypeEmbedding: tf.Tensor1D;
  embeddingNorm: Norm;
  layers: BertLayerWeights[];
}

/**
 * The one place that knows Hugging Face's tensor names. Accepts names with or without the `bert.` prefix (BertModel vs.
 * BertFor* checkpoints); a pooler, if present, is not used.
 */
export function bertWeightsFromCheckpoint(ckpt: Checkpoint, c: BertConfig): BertWeights {
  // tidy keeps the returned weights (type aliases, not interfaces, so they count as a TensorContainer), frees the untransposed
  // copies, and frees everything when a tensor is missing or misshapen
  return tf.tidy(() => mapBertWeights(ckpt, c));
}

function mapBertWeights(ckpt: Checkpoint, c: BertConfig): BertWeights {
  const anchor = "embeddings.word_embeddings.weight";
  const prefix = ["", "bert."].find((p) => ckpt.has(p + anchor));
  if (prefix === undefined) throw new Error(`${ckpt.source}: tensor "${anchor}" is missing (also looked for "bert.${anchor}")`);

  const H = c.hiddenSize;
  const vector = (name: string, size: number) => tf.tensor1d(ckpt.read(prefix + name, [size]));
  const matrix = (name: string, rows: number, cols: number) => tf.tensor2d(ckpt.read(prefix + name, [rows, cols]), [rows, cols]);
  const dense = (name: string, inSize: number, outSize: number): Dense => {
    const weight = tf.transpose(matrix(`${name}.weight`, outSize, inSize)) as tf.Tensor2D;
    return { weight, bias: vector(`${name}.bias`, outSize) };
  };
  const norm = (name: string): Norm => ({ gamma: vector(`${name}.weight`, H), beta: vector(`${name}.bias`, H) });

  const tokenTypes = matrix("embeddings.token_type_embeddings.weight", c.typeVocabSize, H);
  return {
    wordEmbeddings: matrix("embeddings.word_embeddings.weight", c.vocabSize, H),
    positionEmbeddings: matrix("embeddings.position_embeddings.weight", c.maxPositions, H),
    tokenTypeEmbedding: tokenTypes.slice([0, 0], [1, H]).reshape([H]) as tf.Tensor1D,
    embeddingNorm: norm("embeddings.LayerNorm"),
    layers: Array.from({ length: c.numLayers }, (_, i) => {
      const l = `encoder.layer.${i}`;
      return {
        query: dense(`${l}.attention.self.query`, H, H),
        key: dense(`${l}.attention.self.key`, H, H),
        value: dense(`${l}.attention.self.value`, H, H),
        attentionOutput: dense(`${l}.attention.output.dense`, H, H),
        attentionNorm: norm(`${l}.attention.output.LayerNorm`),
        intermediate: dense(`${l}.intermediate.dense`, H, c.intermediateSize),
        output: dense(`${l}.output.dense`, c.intermediateSize, H),
        outputNorm: norm(`${l}.output.LayerNorm`),
      };
    }),
  };
}

// ---- blocks ----

function linear(x: tf.Tensor2D, p: Dense): tf.Tensor2D {
  return tf.fused.matMul({ a: x, b: p.weight, bias: p.bias }) as tf.Tensor2D;
}

function layerNorm(x: tf.Tensor2D, p: Norm, eps: number): tf.Tensor2D {
  const mean = x.mean(-1, true);
  const centered = x.sub(mean);
  const variance = centered.square().mean(-1, true);
  return centered.mul(variance.add(eps).rsqrt()).mul(p.gamma).add(p.beta);
}

function activation(x: tf.Tensor2D, kind: Activation): tf.Tensor2D {
  if (kind === "relu") return tf.relu(x);
  if (kind === "gelu_new") {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(0.5).mul(inner.tanh().add(1));
  }
  // exact GELU: 0.5 x (1 + erf(x / sqrt 2))
  return x.mul(0.5).mul(tf.erf(x.mul(Math.SQRT1_2)).add(1));
}

function embeddings(ids: tf.Tensor2D, w: BertWeights, c: BertConfig): tf.Tensor2D {
  const [batch, length] = ids.shape;
  const words = tf.gather(w.wordEmbeddings, ids.reshape([batch * length])) as tf.Tensor2D;
  const positions = tf.tile(w.positionEmbeddings.slice([0, 0], [length, c.hiddenSize]), [batch, 1]);
  return layerNorm(words.add(positions).add(w.tokenTypeEmbedding), w.embeddingNorm, c.layerNormEps);
}

/** [B*T, H] → [B*nh, T, dh], or with keysFirst [B*nh, dh, T] (so the score product needs no transposed operand) */
function splitHeads(x: tf.Tensor2D, batch: number, length: number, c: BertConfig, keysFirst = false): tf.Tensor3D {
  const headSize = c.hiddenSize / c.numHeads;
  const perm = keysFirst ? [0, 2, 3, 1] : [0, 2, 1, 3];
  const shape: [number, number, number] = keysFirst ? [batch * c.numHeads, headSize, length] : [batch * c.numHeads, length, headSize];
  return x.reshape([batch, length, c.numHeads, headSize]).transpose(perm).reshape(shape);
}

/**
 * softmax(q kT + mask) v for every (text, head) pair. One batched matMul is fastest on GPUs and for short texts, but the wasm
 * backend's batched matMul slows down with length (4,096 tokens, 4 heads: 1.7 s batched vs 0.38 s looped at T = 512; break-even
 * near T = 128), so long batches there loop over (text, head) with 2-D products instead.
 */
function attend(q: tf.Tensor3D, kT: tf.Tensor3D, v: tf.Tensor3D, maskBias: tf.Tensor4D): tf.Tensor3D {
  const [pairs, length] = q.shape;
  const [batch] = maskBias.shape;
  const heads = pairs / batch;
  if (tf.getBackend() !== "wasm" || length < LOOP_ATTENTION_FROM_LENGTH) {
    const scores = tf.matMul(q, kT).reshape([batch, heads, length, length]).add(maskBias);
    return tf.matMul(tf.softmax(scores).reshape([pairs, length, length]) as tf.Tensor3D, v);
  }
  const keyBias = maskBias.reshape([batch, length]);
  const contexts: tf.Tensor2D[] = [];
  for (let i = 0; i < pairs; i++) {
    // gather, not slice: the wasm slice kernel copies the whole source tensor on every call
    const pick = (t: tf.Tensor3D) => tf.gather(t, i) as tf.Tensor as tf.Tensor2D;
    contexts.push(tf.tidy(() => tf.matMul(tf.softmax(tf.matMul(pick(q), pick(kT)).add(tf.gather(keyBias, Math.floor(i / heads)))) as tf.Tensor2D, pick(v))));
  }
  return tf.stack(contexts) as tf.Tensor3D;
}

/** Sequence length from which attend() loops on the wasm backend. */
const LOOP_ATTENTION_FROM_LENGTH = 128;

function selfAttention(x: tf.Tensor2D, maskBias: tf.Tensor4D, batch: number, length: number, p: BertLayerWeights, c: BertConfig): tf.Tensor2D {
  const headSize = c.hiddenSize / c.numHeads;
  const q = splitHeads(linear(x, p.query).mul(1 / Math.sqrt(headSize)) as tf.Tensor2D, batch, length, c);
  const kT = splitHeads(linear(x, p.key), batch, length, c, true);
  const v = splitHeads(linear(x, p.value), batch, length, c);
  const context = attend(q, kT, v, maskBias); // [B*nh, T, dh]
  return context.reshape([batch, c.numHeads, length, headSize]).transpose([0, 2, 1, 3]).reshape([batch * length, c.hiddenSize]);
}

function bertLayer(x: tf.Tensor2D, maskBias: tf.Tensor4D, batch: number, length: number, p: BertLayerWeights, c: BertConfig): tf.Tensor2D {
  const attended = layerNorm(x.add(linear(selfAttention(x, maskBias, batch, length, p, c), p.attentionOutput)), p.attentionNorm, c.layerNormEps);
  const hidden = activation(linear(attended, p.intermediate), c.hiddenAct);
  return layerNorm(attended.add(linear(hidden, p.output)), p.outputNorm, c.layerNormEps);
}

/** Added to attention scores of padding keys: exp() of it is exactly 0 in float32. */
const MASKED_SCORE = -1e9;

export class BertEncoder implements TokenEncoder {
  readonly modelType = "bert";
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly maxPositions: number;

  constructor(
    readonly config: BertConfig,
    private readonly weights: BertWeights,
  ) {
    this.hiddenSize = config.hiddenSize;
    this.numLayers = config.numLayers;
    this.maxPositions = config.maxPositions;
  }

  forward(ids: tf.Tensor2D, mask: tf.Tensor2D, layer = this.numLayers): tf.Tensor3D {
    if (!Number.isInteger(layer) || layer < 0 || layer > this.numLayers) throw new Error(`BertEncoder: layer must be 0..${this.numLayers}, got ${layer}`);
    return tf.tidy(() => this.run(ids, mask, layer, false)[0]);
  }

  forwardAllLayers(ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor3D[] {
    return tf.tidy(() => this.run(ids, mask, this.numLayers, true));
  }

  /**
   * Hidden states as [B, T, H]: of layers 0..lastLayer when keepAll, else only of lastLayer. Call inside tidy. Each layer runs
   * in its own tidy, so memory holds one layer's intermediates (attention probabilities are B * heads * T^2 floats) at a time.
   */
  private run(ids: tf.Tensor2D, mask: tf.Tensor2D, lastLayer: number, keepAll: boolean): tf.Tensor3D[] {
    const [batch, length] = ids.shape;
    if (length > this.maxPositions) throw new Error(`BertEncoder: ${length} tokens exceed the model's ${this.maxPositions} positions`);
    if (mask.shape[0] !== batch || mask.shape[1] !== length) throw new Error(`BertEncoder: mask shape [${mask.shape}] differs from ids [${ids.shape}]`);
    const maskBias = tf.sub(1, tf.cast(mask, "float32")).mul(MASKED_SCORE).reshape([batch, 1, 1, length]) as tf.Tensor4D;
    let x = tf.tidy(() => embeddings(tf.cast(ids, "int32"), this.weights, this.config));
    const kept: tf.Tensor2D[] = [];
    for (let i = 0; i < lastLayer; i++) {
      const input = x;
      x = tf.tidy(() => bertLayer(input, maskBias, batch, length, this.weights.layers[i], this.config));
      if (keepAll) kept.push(input);
      else input.dispose();
    }
    kept.push(x);
    return kept.map((states) => states.reshape([batch, length, this.hiddenSize]));
  }

  dispose(): void {
    const w = this.weights;
    const all: tf.Tensor[] = [w.wordEmbeddings, w.positionEmbeddings, w.tokenTypeEmbedding, w.embeddingNorm.gamma, w.embeddingNorm.beta];
    for (const l of w.layers) {
      for (const d of [l.query, l.key, l.value, l.attentionOutput, l.intermediate, l.output]) all.push(d.weight, d.bias);
      for (const n of [l.attentionNorm, l.outputNorm]) all.push(n.gamma, n.beta);
    }
    tf.dispose(all);
  }
}

export function loadBert(config: ModelConfig, checkpoint: Checkpoint): BertEncoder {
  const c = bertConfigFromJson(config);
  return new BertEncoder(c, bertWeightsFromCheckpoint(checkpoint, c));
}
