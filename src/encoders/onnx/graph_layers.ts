/**
 * The Transformer pieces as ONNX nodes, mirroring layers.ts op for op so the two engines compute the same arithmetic: dense
 * layers, LayerNorm and RMSNorm, activations, head splitting, masked softmax attention and the post-LayerNorm layer of BERT,
 * RoBERTa and MPNet. Hidden states stay [batch, seq, hidden]; a MatMul of that by a 2-D [in, out] weight is one
 * [batch·seq, in] × [in, out] GEMM in onnxruntime.
 */
import type { Activation, Dense, Norm, PostNormLayerWeights, ScaleNorm } from "../layers";
import { MASKED_SCORE } from "../layers";
import { float, int, ints, type GraphBuilder } from "./graph_builder";
import type { Host } from "./host_weights";

export function linear(g: GraphBuilder, x: string, p: Host<Dense>, stem: string): string {
  const y = g.op("MatMul", [x, g.weight(`${stem}.weight`, p.weight)], {}, `${stem}.matmul`);
  return p.bias === undefined ? y : g.op("Add", [y, g.weight(`${stem}.bias`, p.bias)], {}, `${stem}.out`);
}

/** LayerNorm over the last axis (LayerNormalization, opset 17) */
export function layerNorm(g: GraphBuilder, x: string, p: Host<Norm>, eps: number, stem: string): string {
  const gamma = g.weight(`${stem}.gamma`, p.gamma);
  const beta = g.weight(`${stem}.beta`, p.beta);
  return g.op("LayerNormalization", [x, gamma, beta], { axis: int(-1), epsilon: float(eps) }, stem);
}

/** x / sqrt(mean(x²) + eps) · gamma over the last axis */
export function rmsNorm(g: GraphBuilder, x: string, p: Host<ScaleNorm>, eps: number, stem: string): string {
  const meanSquare = g.op("ReduceMean", [g.op("Mul", [x, x])], { axes: ints([-1]), keepdims: int(1) });
  const inverse = g.op("Reciprocal", [g.op("Sqrt", [g.op("Add", [meanSquare, g.scalar(eps)])])]);
  return g.op("Mul", [g.op("Mul", [x, inverse]), g.weight(`${stem}.gamma`, p.gamma)], {}, stem);
}

export function activation(g: GraphBuilder, x: string, kind: Activation): string {
  if (kind === "relu") return g.op("Relu", [x]);
  if (kind === "silu") return g.op("Mul", [x, g.op("Sigmoid", [x])]);
  if (kind === "gelu_new") {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    const cube = g.op("Mul", [g.op("Mul", [x, x]), x]);
    const inner = g.op("Mul", [
      g.op("Add", [x, g.op("Mul", [cube, g.scalar(0.044715)])]),
      g.scalar(Math.sqrt(2 / Math.PI)),
    ]);
    return g.op("Mul", [g.op("Mul", [x, g.scalar(0.5)]), g.op("Add", [g.op("Tanh", [inner]), g.scalar(1)])]);
  }
  // exact GELU: 0.5 x (1 + erf(x / sqrt 2))
  // written as onnxruntime's GELU fusion expects it (Div by √2, Erf, Add 1, Mul x, Mul 0.5), so it runs as one Gelu kernel
  const erf = g.op("Erf", [g.op("Div", [x, g.scalar(Math.SQRT2)])]);
  return g.op("Mul", [g.op("Mul", [x, g.op("Add", [erf, g.scalar(1)])]), g.scalar(0.5)]);
}

/** [B, T, heads·dh] → [B, heads, T, dh], or with keysFirst [B, heads, dh, T] */
export function splitHeads(g: GraphBuilder, x: string, heads: number, headSize: number, keysFirst = false): string {
  const split = g.op("Reshape", [x, g.int64s([0, 0, heads, headSize])]);
  return g.op("Transpose", [split], { perm: ints(keysFirst ? [0, 2, 3, 1] : [0, 2, 1, 3]) });
}

/** [B, heads, T, dh] → [B, T, heads·dh] */
export function mergeHeads(g: GraphBuilder, x: string, heads: number, headSize: number): string {
  const moved = g.op("Transpose", [x], { perm: ints([0, 2, 1, 3]) });
  return g.op("Reshape", [moved, g.int64s([0, 0, heads * headSize])]);
}

/** int [B, T] 0/1 mask → float [B, 1, 1, T] additive key bias (MASKED_SCORE on padding) */
export function paddingBias(g: GraphBuilder, mask: string): string {
  const m = g.op("Cast", [mask], { to: int(1) });
  const bias = g.op("Mul", [g.op("Sub", [g.scalar(1), m]), g.scalar(MASKED_SCORE)]);
  return g.op("Unsqueeze", [bias, g.int64s([1, 2])], {}, "key_bias");
}

/**
 * softmax(q kT + keyBias + scoreBias) v over [B, heads, ...]; q already scaled (1/√dh, and 1/τ). scoreBias: [heads, T, T] or
 * [1, T, T] (broadcast over the batch), or undefined.
 */
export function attend(
  g: GraphBuilder,
  q: string,
  kT: string,
  v: string,
  keyBias: string,
  scoreBias: string | undefined,
): string {
  let scores = g.op("Add", [g.op("MatMul", [q, kT], {}, "scores"), keyBias]);
  if (scoreBias !== undefined) scores = g.op("Add", [scores, scoreBias]);
  return g.op("MatMul", [g.op("Softmax", [scores], { axis: int(-1) }), v], {}, "context");
}

/** What every layer of a forward pass shares */
export interface GraphLayerInputs {
  /** [B, 1, 1, T] padding bias */
  keyBias: string;
  /** [heads, T, T] or [1, T, T] score bias (relative positions, causal mask), if any */
  scoreBias?: string;
  /** float scalar multiplying q: 1 / (√dh · τ) */
  queryScale: string;
}

export interface PostNormGraphShape {
  numHeads: number;
  hiddenSize: number;
  layerNormEps: number;
  hiddenAct: Activation;
}

/** a = LayerNorm(x + Dense(SelfAttention(x)));  out = LayerNorm(a + Dense(act(Dense(a)))) (layers.ts postNormLayer) */
export function postNormLayer(
  g: GraphBuilder,
  x: string,
  p: Host<PostNormLayerWeights>,
  c: PostNormGraphShape,
  inputs: GraphLayerInputs,
  stem: string,
): string {
  const dh = c.hiddenSize / c.numHeads;
  const q = splitHeads(g, g.op("Mul", [linear(g, x, p.query, `${stem}.query`), inputs.queryScale]), c.numHeads, dh);
  const kT = splitHeads(g, linear(g, x, p.key, `${stem}.key`), c.numHeads, dh, true);
  const v = splitHeads(g, linear(g, x, p.value, `${stem}.value`), c.numHeads, dh);
  const context = mergeHeads(g, attend(g, q, kT, v, inputs.keyBias, inputs.scoreBias), c.numHeads, dh);
  const attentionOut = linear(g, context, p.attentionOutput, `${stem}.attention_output`);
  const attended = layerNorm(
    g,
    g.op("Add", [x, attentionOut]),
    p.attentionNorm,
    c.layerNormEps,
    `${stem}.attention_norm`,
  );
  const hidden = activation(g, linear(g, attended, p.intermediate, `${stem}.intermediate`), c.hiddenAct);
  const out = linear(g, hidden, p.output, `${stem}.output`);
  return layerNorm(g, g.op("Add", [attended, out]), p.outputNorm, c.layerNormEps, `${stem}.output_norm`);
}

/** The query scale 1 / (√dh · τ) from the graph's inverse_temperature input (1/τ). */
export function queryScale(g: GraphBuilder, inverseTemperature: string, headSize: number): string {
  return g.op("Mul", [g.scalar(1 / Math.sqrt(headSize)), inverseTemperature], {}, "query_scale");
}

/** fairseq positions from int32 ids: cumsum(id ≠ pad) · (id ≠ pad) + pad (layers.ts offsetPositionIds) */
export function offsetPositionIds(g: GraphBuilder, ids: string, paddingIdx: number): string {
  const pad = g.int32s([paddingIdx], []);
  const real = g.op("Cast", [g.op("Not", [g.op("Equal", [ids, pad])])], { to: int(6) });
  const counted = g.op("CumSum", [real, g.int64s([1], [])]);
  return g.op("Add", [g.op("Mul", [counted, real]), pad], {}, "position_ids");
}

/** rows 0..T-1 of a [maxPositions, H] table, T = the second dimension of ids */
export function leadingRows(g: GraphBuilder, table: string, ids: string): string {
  const length = g.op("Shape", [ids], { start: int(1), end: int(2) }, "seq_length");
  return g.op("Slice", [table, g.int64s([0]), length, g.int64s([0])], {}, "positions");
}
