/**
 * MPNet as an ONNX graph (mpnet.ts, node for node): BERT's post-LayerNorm layers over fairseq positions (padding id 1), with
 * the learned relative-position bias added to every layer's attention scores:
 *
 *   embeddings = LayerNorm(word[id] + position[cumsum(id ≠ 1) · (id ≠ 1) + 1])
 *   scores(h, i, j) = q_i · k_j / (√dh · τ) + bias[bucket(j - i), h]
 *
 * The buckets depend only on the sequence length, so the engine computes them in TypeScript (mpnet.ts relativePositionBucket)
 * and feeds them as the int32 [seq, seq] input relative_buckets; the learned [buckets, heads] table stays in the graph.
 */
import type { ModelConfig } from "../checkpoint/config";
import { mpnetConfigFromJson, mpnetWeightsFromCheckpoint, relativePositionBucket } from "../mpnet";
import type { TensorSource } from "../weights";
import type { ExtraInput, OnnxArchitecture } from "./architecture";
import { ints } from "./graph_builder";
import { layerNorm, offsetPositionIds, paddingBias, postNormLayer, queryScale } from "./graph_layers";
import { hostBytes, toHost } from "./host_weights";
import { stackGraph, type StackSpec } from "./stack_graph";

/** MPNetEmbeddings fixes padding_idx at 1 whatever config.json says (as mpnet.ts) */
const PADDING_IDX = 1;
const BUCKETS_INPUT = "relative_buckets";

/** bucket(j - i) for every query i and key j of a sequence of `length` tokens, row-major [length, length] */
function relativeBuckets(length: number): ExtraInput {
  const data = new Int32Array(length * length);
  for (let i = 0; i < length; i++)
    for (let j = 0; j < length; j++) data[i * length + j] = relativePositionBucket(j - i);
  return { name: BUCKETS_INPUT, type: "int32", dims: [length, length], data };
}

export function mpnetArchitecture(config: ModelConfig, checkpoint: TensorSource): OnnxArchitecture {
  const c = mpnetConfigFromJson(config);
  const w = toHost(mpnetWeightsFromCheckpoint(checkpoint, c));
  const spec: StackSpec = {
    name: config.modelType,
    numLayers: c.numLayers,
    hiddenSize: c.hiddenSize,
    declareInputs: (g) => g.input(BUCKETS_INPUT, "int32", ["seq", "seq"]),
    embed(g, inputs) {
      const words = g.op("Gather", [g.weight("embeddings.word", w.wordEmbeddings), inputs.ids], {}, "words");
      const table = g.weight("embeddings.position", w.positionEmbeddings);
      const positions = g.op("Gather", [table, offsetPositionIds(g, inputs.ids, PADDING_IDX)], {}, "positions");
      return layerNorm(g, g.op("Add", [words, positions]), w.embeddingNorm, c.layerNormEps, "embeddings.norm");
    },
    shared(g, inputs) {
      // [T, T, heads] rows of the table → [heads, T, T]
      const rows = g.op("Gather", [g.weight("relative_attention_bias", w.relativeAttentionBias), BUCKETS_INPUT]);
      return {
        keyBias: paddingBias(g, inputs.mask),
        scoreBias: g.op("Transpose", [rows], { perm: ints([2, 0, 1]) }, "relative_bias"),
        queryScale: queryScale(g, inputs.inverseTemperature, c.hiddenSize / c.numHeads),
      };
    },
    layer: (g, x, i, shared) => postNormLayer(g, x, w.layers[i], c, shared, `layer${i}`),
  };
  return {
    modelType: config.modelType,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    maxPositions: c.maxPositions - PADDING_IDX - 1,
    weightBytes: hostBytes(w),
    graph: (layers) => stackGraph(spec, layers),
    extraInputs: (length) => [relativeBuckets(length)],
  };
}
