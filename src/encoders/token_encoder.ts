/** What every architecture file implements (bert.ts, ...) and the registry hands to the embedding model. */
import type * as tf from "@tensorflow/tfjs";

/** Options of one forward pass that change the arithmetic (not what is returned). */
export interface ForwardOptions {
  /** TempScale's τ: attention content logits are divided by it in every layer; default 1 (no effect). Finite and > 0. */
  attentionTemperature?: number;
}

/** A Transformer that turns padded token ids into hidden states. */
export interface TokenEncoder {
  readonly modelType: string;
  readonly hiddenSize: number;
  readonly numLayers: number;
  /** longest sequence (special tokens included) the position embeddings allow */
  readonly maxPositions: number;
  /** hidden states [B, T, H] after `layer` (0 = embedding output, default numLayers) for int ids and a 0/1 mask, both [B, T] */
  forward(ids: tf.Tensor2D, mask: tf.Tensor2D, layer?: number, options?: ForwardOptions): tf.Tensor3D;
  /** every layer's hidden states, index 0 = embedding output (numLayers + 1 tensors) */
  forwardAllLayers(ids: tf.Tensor2D, mask: tf.Tensor2D, options?: ForwardOptions): tf.Tensor3D[];
  dispose(): void;
}
