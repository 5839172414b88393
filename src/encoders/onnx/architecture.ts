/**
 * What the onnxruntime engine needs from an architecture: its sizes, and a function that writes the ONNX graph whose outputs
 * are the hidden states after the requested layers (0 = the embedding output), built from weights already on the host.
 *
 * Every graph takes input_ids and attention_mask (int32 [batch, seq], right-padded) and inverse_temperature (float scalar,
 * 1/τ), plus the architecture's extra per-length inputs (MPNet's relative-position buckets, Qwen3's rotary tables and causal
 * mask), which the engine asks for with extraInputs(seq).
 */

export interface ExtraInput {
  name: string;
  type: "float32" | "int32";
  dims: number[];
  data: Float32Array | Int32Array;
}

export interface OnnxArchitecture {
  readonly modelType: string;
  readonly hiddenSize: number;
  readonly numLayers: number;
  /** longest sequence the position embeddings allow (as the tfjs encoder's maxPositions) */
  readonly maxPositions: number;
  /** float32 bytes of the weights on the host (each session holds its own copy of the layers it computes) */
  readonly weightBytes: number;
  /** ModelProto bytes with one output per listed layer, named hidden_states_<layer>; computes nothing past the last */
  graph(layers: readonly number[]): Uint8Array;
  /** inputs beyond input_ids, attention_mask and inverse_temperature, for sequences of this length */
  extraInputs(length: number): ExtraInput[];
}

/** The graph output holding the hidden states after `layer`. */
export function statesOutput(layer: number): string {
  return `hidden_states_${layer}`;
}

/** Sorted distinct layers, each checked to be in 0..numLayers. */
export function checkLayers(layers: readonly number[], numLayers: number, who: string): number[] {
  for (const layer of layers)
    if (!Number.isInteger(layer) || layer < 0 || layer > numLayers)
      throw new Error(`${who}: layer must be 0..${numLayers}, got ${layer}`);
  if (layers.length === 0) throw new Error(`${who}: no layer requested`);
  return [...new Set(layers)].sort((a, b) => a - b);
}
