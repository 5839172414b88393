/**
 * Qwen3 as an ONNX graph (qwen3.ts, node for node), pre-RMSNorm, causal, grouped-query attention with rotary positions:
 *
 *   each layer:  h = x + o(Attention(RMSNorm(x)));  x = h + down(act(gate(RMSNorm(h))) · up(RMSNorm(h)))
 *   attention:   q, k RMSNorm-ed per head, then q·cos + rotate_half(q)·sin (positions 0..T-1); each key/value head repeated
 *                for its group of query heads; logits scaled by 1/(√dh · τ); causal mask and key padding bias
 *   output:      RMSNorm(x) after the last layer only
 *
 * The rotary tables and the causal mask depend only on the sequence length: the engine computes them in TypeScript and feeds
 * them as rope_cos / rope_sin (float [seq, dh]) and causal_bias (float [seq, seq]).
 */
import type { ModelConfig } from "../checkpoint/config";
import { MASKED_SCORE } from "../layers";
import { qwen3ConfigFromJson, qwen3WeightsFromCheckpoint, rotaryAngles, type Qwen3Config } from "../qwen3";
import type { TensorSource } from "../weights";
import type { ExtraInput, OnnxArchitecture } from "./architecture";
import { int, ints, type GraphBuilder } from "./graph_builder";
import {
  activation,
  attend,
  linear,
  mergeHeads,
  paddingBias,
  queryScale,
  rmsNorm,
  type GraphLayerInputs,
} from "./graph_layers";
import { hostBytes, toHost, type Host } from "./host_weights";
import { stackGraph, type StackSpec } from "./stack_graph";

type LayerWeights = Host<ReturnType<typeof qwen3WeightsFromCheckpoint>["layers"][number]>;

/** cos and sin of t · inv_freq as [T, dh] graph inputs, the tables qwen3.ts uses */
export function rotaryInputs(length: number, headSize: number, theta: number): ExtraInput[] {
  const { cos, sin } = rotaryAngles(length, headSize, theta);
  return [
    { name: "rope_cos", type: "float32", dims: [length, headSize], data: cos },
    { name: "rope_sin", type: "float32", dims: [length, headSize], data: sin },
  ];
}

/** [T, T]: 0 where query i may see key j (j ≤ i), MASKED_SCORE above the diagonal */
function causalInput(length: number): ExtraInput {
  const data = new Float32Array(length * length);
  for (let i = 0; i < length; i++) for (let j = i + 1; j < length; j++) data[i * length + j] = MASKED_SCORE;
  return { name: "causal_bias", type: "float32", dims: [length, length], data };
}

/** rotate_half over the last axis: [x1, x2] → [-x2, x1] */
function rotateHalf(g: GraphBuilder, x: string, headSize: number): string {
  const [first, second] = g.opN("Split", [x, g.int64s([headSize / 2, headSize / 2])], 2, { axis: int(-1) }, "halves");
  return g.op("Concat", [g.op("Neg", [second]), first], { axis: int(-1) });
}

interface Rope {
  cos: string;
  sin: string;
}

/** what every Qwen3 layer shares: the bias and scale of graph_layers.ts, and the [1, T, 1, dh] rotary tables */
interface Qwen3Shared extends GraphLayerInputs {
  rope: Rope;
}

/** per-head RMSNorm, then RoPE, of a [B, T, heads·dh] projection → [B, T, heads, dh] */
function normAndRotate(
  g: GraphBuilder,
  x: string,
  norm: LayerWeights["queryNorm"],
  heads: number,
  c: Qwen3Config,
  rope: Rope,
  stem: string,
): string {
  const split = g.op("Reshape", [x, g.int64s([0, 0, heads, c.headSize])]);
  const normed = rmsNorm(g, split, norm, c.rmsNormEps, stem);
  return g.op("Add", [g.op("Mul", [normed, rope.cos]), g.op("Mul", [rotateHalf(g, normed, c.headSize), rope.sin])]);
}

/** [B, T, kv, dh] → [B, T, heads, dh], each key/value head repeated for its group of query heads (repeat_kv) */
function repeatKeyValue(g: GraphBuilder, x: string, c: Qwen3Config): string {
  if (c.numHeads === c.numKeyValueHeads) return x;
  const group = c.numHeads / c.numKeyValueHeads;
  const expanded = g.op("Expand", [g.op("Unsqueeze", [x, g.int64s([3])]), g.int64s([1, 1, 1, group, 1])]);
  return g.op("Reshape", [expanded, g.int64s([0, 0, c.numHeads, c.headSize])]);
}

function qwen3Layer(
  g: GraphBuilder,
  x: string,
  p: LayerWeights,
  c: Qwen3Config,
  shared: Qwen3Shared,
  stem: string,
): string {
  const rope = shared.rope;
  const n = rmsNorm(g, x, p.inputNorm, c.rmsNormEps, `${stem}.input_norm`);
  const q = normAndRotate(g, linear(g, n, p.query, `${stem}.q`), p.queryNorm, c.numHeads, c, rope, `${stem}.q_norm`);
  const k = normAndRotate(
    g,
    linear(g, n, p.key, `${stem}.k`),
    p.keyNorm,
    c.numKeyValueHeads,
    c,
    rope,
    `${stem}.k_norm`,
  );
  const v = g.op("Reshape", [linear(g, n, p.value, `${stem}.v`), g.int64s([0, 0, c.numKeyValueHeads, c.headSize])]);
  const heads = (t: string, perm: number[]) => g.op("Transpose", [t], { perm: ints(perm) });
  const context = attend(
    g,
    heads(g.op("Mul", [q, shared.queryScale]), [0, 2, 1, 3]),
    heads(repeatKeyValue(g, k, c), [0, 2, 3, 1]),
    heads(repeatKeyValue(g, v, c), [0, 2, 1, 3]),
    shared.keyBias,
    shared.scoreBias,
  );
  const h = g.op("Add", [x, linear(g, mergeHeads(g, context, c.numHeads, c.headSize), p.output, `${stem}.o`)]);
  const m = rmsNorm(g, h, p.postAttentionNorm, c.rmsNormEps, `${stem}.post_attention_norm`);
  const gated = g.op("Mul", [
    activation(g, linear(g, m, p.gate, `${stem}.gate`), c.hiddenAct),
    linear(g, m, p.up, `${stem}.up`),
  ]);
  return g.op("Add", [h, linear(g, gated, p.down, `${stem}.down`)], {}, `${stem}.out`);
}

export function qwen3Architecture(config: ModelConfig, checkpoint: TensorSource): OnnxArchitecture {
  const c = qwen3ConfigFromJson(config);
  const w = toHost(qwen3WeightsFromCheckpoint(checkpoint, c));
  const spec: StackSpec<Qwen3Shared> = {
    name: config.modelType,
    numLayers: c.numLayers,
    hiddenSize: c.hiddenSize,
    declareInputs(g) {
      g.input("rope_cos", "float", ["seq", c.headSize]);
      g.input("rope_sin", "float", ["seq", c.headSize]);
      g.input("causal_bias", "float", ["seq", "seq"]);
    },
    embed: (g, inputs) => g.op("Gather", [g.weight("embed_tokens", w.tokenEmbeddings), inputs.ids], {}, "embeddings"),
    shared(g, inputs) {
      // [T, dh] → [1, T, 1, dh], broadcast over the batch and the heads of a [B, T, heads, dh] projection
      const table = (name: string) => g.op("Unsqueeze", [name, g.int64s([0, 2])], {}, `${name}_4d`);
      return {
        rope: { cos: table("rope_cos"), sin: table("rope_sin") },
        keyBias: paddingBias(g, inputs.mask),
        scoreBias: g.op("Unsqueeze", ["causal_bias", g.int64s([0])], {}, "causal_bias_3d"),
        queryScale: queryScale(g, inputs.inverseTemperature, c.headSize),
      };
    },
    layer: (g, x, i, shared) => qwen3Layer(g, x, w.layers[i], c, shared, `layer${i}`),
    finish: (g, x) => rmsNorm(g, x, w.finalNorm, c.rmsNormEps, "final_norm"),
  };
  return {
    modelType: config.modelType,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    maxPositions: c.maxPositions,
    weightBytes: hostBytes(w),
    graph: (layers) => stackGraph(spec, layers),
    extraInputs: (length) => [...rotaryInputs(length, c.headSize, c.ropeTheta), causalInput(length)],
  };
}
