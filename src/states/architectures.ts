/**
 * config.json's model_type → the encoder that implements it. Adding an architecture (MPNet, RoBERTa, a decoder) means one
 * encoder file and one line in ENCODERS; callers only see TokenEncoder.
 */
import type * as tf from "@tensorflow/tfjs";
import { loadBert } from "./bert";
import type { ModelConfig } from "./checkpoint/config";
import type { Checkpoint } from "./checkpoint/safetensors";

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

const ENCODERS: Record<string, (config: ModelConfig, checkpoint: Checkpoint) => TokenEncoder> = {
  bert: loadBert,
};

export const SUPPORTED_MODEL_TYPES: readonly string[] = Object.keys(ENCODERS);

/** Fails early (before any weights are read) when config.json names an architecture we do not implement. */
export function checkModelType(config: ModelConfig): void {
  if (!Object.hasOwn(ENCODERS, config.modelType)) {
    throw new Error(`${config.file}: model_type "${config.modelType}" is not supported (supported: ${SUPPORTED_MODEL_TYPES.join(", ")})`);
  }
}

export function buildEncoder(config: ModelConfig, checkpoint: Checkpoint): TokenEncoder {
  checkModelType(config);
  return ENCODERS[config.modelType](config, checkpoint);
}
