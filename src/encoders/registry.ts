/**
 * config.json's model_type → the encoder that implements it. Adding an architecture (MPNet, RoBERTa, a decoder) means one
 * encoder file (sharing layers.ts and weights.ts) and one line in ENCODERS; callers only see TokenEncoder.
 */
import { loadBert } from "./bert";
import { loadMpnet } from "./mpnet";
import { loadQwen3 } from "./qwen3";
import { loadRoberta } from "./roberta";
import type { ModelConfig } from "./checkpoint/config";
import type { TensorSource } from "./weights";
import type { TokenEncoder } from "./token_encoder";

export type { TokenEncoder } from "./token_encoder";

const ENCODERS: Record<string, (config: ModelConfig, checkpoint: TensorSource) => TokenEncoder> = {
  bert: loadBert,
  roberta: loadRoberta,
  "xlm-roberta": loadRoberta,
  mpnet: loadMpnet,
  qwen3: loadQwen3,
};

export const SUPPORTED_MODEL_TYPES: readonly string[] = Object.keys(ENCODERS);

/** Fails early (before any weights are read) when config.json names an architecture we do not implement. */
export function checkModelType(config: ModelConfig): void {
  if (!Object.hasOwn(ENCODERS, config.modelType)) {
    throw new Error(
      `${config.file}: model_type "${config.modelType}" is not supported (supported: ${SUPPORTED_MODEL_TYPES.join(", ")})`,
    );
  }
}

export function buildEncoder(config: ModelConfig, checkpoint: TensorSource): TokenEncoder {
  checkModelType(config);
  return ENCODERS[config.modelType](config, checkpoint);
}
