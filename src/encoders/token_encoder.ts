/** What every architecture file implements (bert.ts, ...) and the registry hands to the embedding model. */
import type * as tf from "@tensorflow/tfjs";

/** A Transformer that turns padded token ids into hidden states. */
export interface TokenEncoder {
  readonly modelType: string;
  readonly hiddenSize: number;
  readonly numLayers: number;
  /** longest sequence (special tokens included) the position embeddings allow */
  readonly maxPositions: number;
  /** hidden states [B, T, H] after `layer` (0 = embedding output, default numLayers) for int ids and a 0/1 mask, both [B, T] */
  forward(ids: tf.Tensor2D, mask: tf.Tensor2D, layer?: number): tf.Tensor3D;
  /** every layer's hidden states, index 0 = embedding output (numLayers + 1 tensors) */
  forwardAllLayers(ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor3D[];
  dispose(): void;
}
