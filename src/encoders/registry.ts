/**
 * config.json's model_type → the encoder that implements it. Adding an architecture (MPNet, RoBERTa, a decoder) means one
 * encoder file and one line in ENCODERS; callers only see TokenEncoder.
 */
import { loadBert } from "./bert";
import { loadMpnet } from "./mpnet";
import { loadRoberta } from "./roberta";
import type { ModelConfig } from "./checkpoint/config";
import type { Checkpoint } from "./checkpoint/safetensors";
import type { TokenEncoder } from "./token_encoder";

export type { TokenEncoder } from "./token_encoder";

const ENCODERS: Record<string, (config: ModelConfig, checkpoint: Checkpoint) => TokenEncoder> = {
  bert: loadBert,
  roberta: loadRoberta,
  "xlm-roberta": loadRoberta,
  mpnet: loadMpnet,
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
