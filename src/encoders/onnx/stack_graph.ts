/**
 * The embeddings → layers stack as an ONNX graph (layers.ts StackedEncoder's run(), as a graph): declares the common inputs,
 * lets the architecture add its own, and emits the hidden states after each requested layer, stopping at the deepest one. A
 * final norm (finish) applies only to the last layer's output, as in Hugging Face's last_hidden_state.
 */
import { checkLayers, statesOutput } from "./architecture";
import { GraphBuilder } from "./graph_builder";
import type { GraphLayerInputs } from "./graph_layers";

export interface StackInputs {
  /** int32 [batch, seq] */
  ids: string;
  /** int32 [batch, seq], 1 = token, 0 = padding */
  mask: string;
  /** float scalar 1/τ */
  inverseTemperature: string;
}

/** S: what every layer shares (padding bias, score bias, query scale, and any architecture extras such as rotary tables) */
export interface StackSpec<S = GraphLayerInputs> {
  name: string;
  numLayers: number;
  hiddenSize: number;
  /** declare the architecture's extra inputs (ExtraInput names) */
  declareInputs?(g: GraphBuilder): void;
  /** [B, T, H] embedding output */
  embed(g: GraphBuilder, inputs: StackInputs): string;
  /** what every layer shares (padding bias, score bias, query scale); built only when a layer runs */
  shared(g: GraphBuilder, inputs: StackInputs): S;
  layer(g: GraphBuilder, x: string, i: number, shared: S): string;
  finish?(g: GraphBuilder, x: string): string;
}

export function stackGraph<S>(spec: StackSpec<S>, layers: readonly number[]): Uint8Array {
  const wanted = checkLayers(layers, spec.numLayers, `${spec.name} ONNX graph`);
  const last = wanted[wanted.length - 1];
  const g = new GraphBuilder(`${spec.name}_to_layer_${last}`);
  const inputs: StackInputs = {
    ids: g.input("input_ids", "int32", ["batch", "seq"]),
    mask: g.input("attention_mask", "int32", ["batch", "seq"]),
    inverseTemperature: g.input("inverse_temperature", "float", []),
  };
  spec.declareInputs?.(g);
  const emit = (x: string, layer: number) => {
    if (wanted.includes(layer)) g.output(x, statesOutput(layer), "float", ["batch", "seq", spec.hiddenSize]);
  };
  let x = spec.embed(g, inputs);
  if (last === spec.numLayers && spec.numLayers === 0 && spec.finish) x = spec.finish(g, x);
  emit(x, 0);
  if (last > 0) {
    const shared = spec.shared(g, inputs);
    for (let i = 0; i < last; i++) {
      x = spec.layer(g, x, i, shared);
      if (i + 1 === spec.numLayers && spec.finish) x = spec.finish(g, x);
      emit(x, i + 1);
    }
  }
  return g.model();
}
