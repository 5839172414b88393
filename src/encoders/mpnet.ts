/**
 * MPNet encoder (Hugging Face MPNetModel, e.g. sentence-transformers/all-mpnet-base-v2): BERT's post-LayerNorm layers with
 * fairseq positions and a learned relative-position bias on the attention scores:
 *
 *   embeddings = LayerNorm(word[id] + position[cumsum(id ≠ 1) · (id ≠ 1) + 1])        (no token types)
 *   scores(h, i, j) = q_i · k_j / sqrt(dh) + bias[bucket(j - i), h]                     (one [heads, T, T] bias for all layers)
 *
 * bucket() is T5's bidirectional bucketing with 32 buckets and max_distance 128, as MPNetEncoder.compute_position_bias calls it.
 */
import * as tf from "@tensorflow/tfjs";
import { configInt, configNumber, configString, type ModelConfig } from "./checkpoint/config";
import {
  activationNamed,
  layerNorm,
  offsetPositionIds,
  type Activation,
  type Norm,
  type PostNormLayerWeights,
} from "./layers";
import { PostNormEncoder } from "./post_norm_encoder";
import { findPrefix, WeightReader, type TensorSource } from "./weights";

export interface MpnetConfig {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  relativeBuckets: number;
  layerNormEps: number;
  hiddenAct: Activation;
}

/** MPNetEmbeddings fixes padding_idx at 1 whatever config.json says. */
const PADDING_IDX = 1;
/** compute_position_bias always buckets with these, whatever relative_attention_num_buckets says (that only sizes the table) */
const BUCKETS = 32;
const MAX_DISTANCE = 128;

export function mpnetConfigFromJson(config: ModelConfig): MpnetConfig {
  const c: MpnetConfig = {
    vocabSize: configInt(config, "vocab_size"),
    hiddenSize: configInt(config, "hidden_size"),
    numLayers: configInt(config, "num_hidden_layers"),
    numHeads: configInt(config, "num_attention_heads"),
    intermediateSize: configInt(config, "intermediate_size"),
    maxPositions: configInt(config, "max_position_embeddings", 514),
    relativeBuckets: configInt(config, "relative_attention_num_buckets", 32),
    layerNormEps: configNumber(config, "layer_norm_eps", 1e-12),
    hiddenAct: activationNamed(configString(config, "hidden_act", "gelu"), config.file),
  };
  if (c.hiddenSize % c.numHeads !== 0)
    throw new Error(
      `${config.file}: hidden_size ${c.hiddenSize} is not a multiple of num_attention_heads ${c.numHeads}`,
    );
  if (c.relativeBuckets < BUCKETS)
    throw new Error(
      `${config.file}: relative_attention_num_buckets ${c.relativeBuckets} is below the ${BUCKETS} buckets MPNet uses`,
    );
  return c;
}

/** T5's bidirectional bucket of a relative position (memory - context): half the buckets per direction, exact below 8. */
export function relativePositionBucket(relative: number, buckets = BUCKETS, maxDistance = MAX_DISTANCE): number {
  const half = buckets / 2;
  const n = -relative;
  const offset = n < 0 ? half : 0;
  const distance = Math.abs(n);
  const maxExact = half / 2;
  if (distance < maxExact) return offset + distance;
  const large =
    maxExact + Math.trunc((Math.log(distance / maxExact) / Math.log(maxDistance / maxExact)) * (half - maxExact));
  return offset + Math.min(large, half - 1);
}

// ---- weights ----

export type MpnetWeights = {
  wordEmbeddings: tf.Tensor2D;
  positionEmbeddings: tf.Tensor2D;
  embeddingNorm: Norm;
  /** [buckets, heads] */
  relativeAttentionBias: tf.Tensor2D;
  layers: PostNormLayerWeights[];
};

/** Bare MPNetModel names, or under "mpnet." (never derived from "architectures": all-mpnet-base-v2 names MPNetForMaskedLM). */
export function mpnetWeightsFromCheckpoint(ckpt: TensorSource, c: MpnetConfig): MpnetWeights {
  return tf.tidy(() =>
    mapMpnet(new WeightReader(ckpt, findPrefix(ckpt, "embeddings.word_embeddings.weight", ["", "mpnet."])), c),
  );
}

function mapMpnet(w: WeightReader, c: MpnetConfig): MpnetWeights {
  const H = c.hiddenSize;
  return {
    wordEmbeddings: w.matrix("embeddings.word_embeddings.weight", c.vocabSize, H),
    positionEmbeddings: w.matrix("embeddings.position_embeddings.weight", c.maxPositions, H),
    embeddingNorm: w.layerNorm("embeddings.LayerNorm", H),
    relativeAttentionBias: w.matrix("encoder.relative_attention_bias.weight", c.relativeBuckets, c.numHeads),
    layers: Array.from({ length: c.numLayers }, (_, i) => {
      const l = `encoder.layer.${i}`;
      return {
        query: w.dense(`${l}.attention.attn.q`, H, H),
        key: w.dense(`${l}.attention.attn.k`, H, H),
        value: w.dense(`${l}.attention.attn.v`, H, H),
        attentionOutput: w.dense(`${l}.attention.attn.o`, H, H),
        attentionNorm: w.layerNorm(`${l}.attention.LayerNorm`, H),
        intermediate: w.dense(`${l}.intermediate.dense`, H, c.intermediateSize),
        output: w.dense(`${l}.output.dense`, c.intermediateSize, H),
        outputNorm: w.layerNorm(`${l}.output.LayerNorm`, H),
      };
    }),
  };
}

// ---- model ----

export class MpnetEncoder extends PostNormEncoder<MpnetWeights> {
  declare readonly config: MpnetConfig;
  readonly modelType = "mpnet";
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly maxPositions: number;

  constructor(config: MpnetConfig, weights: MpnetWeights) {
    super(config, weights);
    this.hiddenSize = config.hiddenSize;
    this.numLayers = config.numLayers;
    this.maxPositions = config.maxPositions - PADDING_IDX - 1;
  }

  protected embed(ids: tf.Tensor2D): tf.Tensor2D {
    const [batch, length] = ids.shape;
    const w = this.weights;
    const words = tf.gather(w.wordEmbeddings, ids.reshape([batch * length])) as tf.Tensor2D;
    const positions = tf.gather(
      w.positionEmbeddings,
      offsetPositionIds(ids, PADDING_IDX).reshape([batch * length]),
    ) as tf.Tensor2D;
    return layerNorm(words.add(positions), w.embeddingNorm, this.config.layerNormEps);
  }

  /** [heads, T, T]: bias[h, i, j] = relative_attention_bias[bucket(j - i), h] */
  protected override scoreBias(length: number): tf.Tensor3D {
    const buckets = new Int32Array(length * length);
    for (let i = 0; i < length; i++)
      for (let j = 0; j < length; j++) buckets[i * length + j] = relativePositionBucket(j - i);
    const rows = tf.gather(this.weights.relativeAttentionBias, tf.tensor1d(buckets, "int32")); // [T*T, heads]
    return rows.transpose([1, 0]).reshape([this.config.numHeads, length, length]);
  }
}

export function loadMpnet(config: ModelConfig, checkpoint: TensorSource): MpnetEncoder {
  const c = mpnetConfigFromJson(config);
  return new MpnetEncoder(c, mpnetWeightsFromCheckpoint(checkpoint, c));
}
